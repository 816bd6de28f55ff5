import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document the contract check reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
}

interface Operation {
  template: string;
  method: string;
  pattern: RegExp;
  literalLength: number;
}

// The document itself and the page that renders it are not operations of the API.
const OUTSIDE_THE_DOCUMENT = /^\/(openapi\.json|docs)(\/|$)/;

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Holds every answer the suite receives to the document the server publishes: the status
 * must be one the operation declares, and a JSON body must match the declared schema.
 * A generated client is written against the document, so drift here breaks clients.
 */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(document as object, 'openapi.json');
    for (const [template, methods] of Object.entries(document.paths)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+');
      for (const method of Object.keys(methods)) {
        this.operations.push({ template, method, pattern: new RegExp(`^${source}$`), literalLength: template.replace(/\{[^}]+\}/g, '').length });
      }
    }
    // A literal segment beats a parameter (`/v1/me/complaints` before `/v1/me/{x}`).
    this.operations.sort((a, b) => b.literalLength - a.literalLength);
  }

  /** Throws, naming the operation and what is wrong, when an answer breaks the document. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
    const path = new URL(url, 'http://contract').pathname;
    if (OUTSIDE_THE_DOCUMENT.test(path)) return;
    const operation = this.operations.find((o) => o.method === method.toLowerCase() && o.pattern.test(path));
    if (!operation) {
      // A route the document does not name must not exist.
      if (status !== 404 && status !== 405) throw new Error(`${method} ${path} answered ${status} but the document names no such operation`);
      return;
    }
    const name = `${method.toUpperCase()} ${operation.template}`;
    const responses = this.document.paths[operation.template]![operation.method]!.responses ?? {};
    const declared = responses[String(status)] ?? responses.default;
    if (!declared) throw new Error(`${name} answered ${status}, which the document does not declare (it declares ${Object.keys(responses).join(', ')})`);
    if (!declared.content) return;
    const mediaType = (contentType ?? '').split(';')[0]!.trim();
    if (!(mediaType in declared.content))
      throw new Error(`${name} ${status} answered ${mediaType || 'no content type'}; the document declares ${Object.keys(declared.content).join(', ')}`);
    if (!mediaType.endsWith('json')) return;
    const pointer = [
      'paths',
      operation.template,
      operation.method,
      'responses',
      declared === responses.default ? 'default' : String(status),
      'content',
      mediaType,
      'schema',
    ]
      .map(escapePointer)
      .join('/');
    let validate = this.validators.get(pointer);
    if (!validate) this.validators.set(pointer, (validate = this.ajv.compile({ $ref: `openapi.json#/${pointer}` })));
    if (!validate(body))
      throw new Error(`${name} ${status} body breaks the document: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
  }
}
