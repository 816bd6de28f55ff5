import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { defaultIsContentTypeBinary, handle } from 'hono/aws-lambda';
import { LightResponse } from './lambda-response.ts';
import { BODY_METHODS, delegateToNative } from './native-delegate.ts';

/**
 * The API as an HTTP API (payload 2.0) Lambda handler, answering as `hono/aws-lambda`'s
 * `handle()` answers, with less work per request. `handle()` builds a web `Request` for each
 * event and reads each answer back through its stream; here the request is a light object
 * whose headers are built on first use and whose body (routes that read one) comes from a
 * `Request` made then, and a text answer's body is taken as Hono gave it (lambda-response.ts).
 * Anything else (a binary body, cookies) goes through `handle()` itself, so it answers as
 * before. Written here because neither `hono/aws-lambda` nor `@hono/aws-lambda` offers it,
 * and @hono/node-server's light classes are internal to it.
 */

interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

type Result = APIGatewayProxyStructuredResultV2;

const NativeRequest = globalThis.Request;

/** As `handle()` writes a header value: a non-ASCII one percent-encoded. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range is all of ASCII, the same test as handle()'s
const headerValue = (value: string) => (/[^\x00-\x7F]/.test(value) ? encodeURIComponent(value) : value);

class LambdaRequest {
  readonly method: string;
  readonly url: string;
  #event: APIGatewayProxyEventV2;
  #headers: Headers | undefined;
  #native: Request | undefined;

  constructor(event: APIGatewayProxyEventV2) {
    this.#event = event;
    this.method = event.requestContext.http.method;
    const host = event.requestContext.domainName ?? event.headers?.host;
    // Parsed as a web Request would parse it (dot segments resolved, unsafe characters encoded), so routes see the same path.
    this.url = new URL(`https://${host}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`).href;
  }

  get headers(): Headers {
    if (!this.#headers) {
      const event = this.#event;
      const headers = new Headers();
      if (Array.isArray(event.cookies)) headers.set('Cookie', event.cookies.join('; '));
      for (const [name, value] of Object.entries(event.headers ?? {})) if (value) headers.set(name, headerValue(value));
      const body = this.#bytes();
      if (body) headers.set('content-length', String(body.length));
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** No body, no stream: what bodyLimit and the like look at first. */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#event.body ? this.native().body : null;
  }

  #bytes(): Uint8Array | undefined {
    const { body, isBase64Encoded } = this.#event;
    if (!body) return undefined;
    return isBase64Encoded ? Buffer.from(body, 'base64') : new TextEncoder().encode(body);
  }

  native(): Request {
    // The global looked up at call time, as handle() does, so whoever counts web Requests counts this one too.
    this.#native ??= new globalThis.Request(this.url, { method: this.method, headers: this.headers, ...(this.#event.body ? { body: this.#bytes() } : {}) });
    return this.#native;
  }
}

delegateToNative(
  LambdaRequest.prototype,
  ['bodyUsed', 'cache', 'credentials', 'destination', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy', 'signal'],
  BODY_METHODS,
);
Object.setPrototypeOf(LambdaRequest.prototype, NativeRequest.prototype);

/** What `handle()` makes of a text answer: the body as is, every header, nothing base64. */
function textResult(res: Response): Result | undefined {
  const plain = res instanceof LightResponse ? res.plain() : undefined;
  if (!plain) return undefined;
  const type = plain.headers.get('content-type');
  if ((type && defaultIsContentTypeBinary(type)) || plain.headers.has('content-encoding') || plain.headers.has('set-cookie')) return undefined;
  const headers: Record<string, string> = {};
  plain.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { body: plain.body, statusCode: plain.status, isBase64Encoded: false, headers };
}

/**
 * The handler. It makes Hono's `new Response(...)` a LightResponse for the whole process: the
 * Lambda runs nothing else that builds responses.
 */
export function lambdaHandler(app: FetchApp): (event: APIGatewayProxyEventV2, context: Context) => Promise<Result> {
  globalThis.Response = LightResponse as unknown as typeof Response;
  return async (event, context) => {
    const res = await app.fetch(new LambdaRequest(event) as unknown as Request, { event, requestContext: event.requestContext, lambdaContext: context });
    const result = textResult(res);
    if (result) return result;
    // `handle()` answers with the response already made: a binary body, cookies, as it always did.
    const native = res instanceof LightResponse ? res.native() : res;
    const answered = handle({ fetch: () => native } as unknown as Parameters<typeof handle>[0]);
    return (await answered(event as unknown as Parameters<typeof answered>[0], context)) as Result;
  };
}
