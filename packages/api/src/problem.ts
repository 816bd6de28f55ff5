import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
  type FieldError,
  type MessageParams,
} from '@guanjia/core/errors';
import { maskPhonesIn } from '@guanjia/core/phone';
import { isDetailKey, type DetailKey } from './messages/catalogue.ts';
import { CONTENT_LANGUAGE, languageOf, type Language } from './messages/language.ts';
import { domainDetail, sayDetail, sayFields, titleOf } from './messages/render.ts';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  431: 'headers_too_large',
  500: 'internal',
  501: 'not_implemented',
  503: 'unavailable',
};

/** The body of every problem answer; also for answers written outside Hono (a node server's client errors). */
export function problemBody(status: number, detail: string, code = CODES[status] ?? 'error', errors?: FieldError[], language: Language = 'en'): Problem {
  return { type: `urn:guanjia:problem:${code}`, title: titleOf(language, status), status, detail, code, ...(errors ? { errors } : {}) };
}

/** What the API says in a problem's detail: a sentence of the catalogue and the values it names. */
export type Said = DetailKey | { key: DetailKey; params: MessageParams };

const languageOfRequest = (c: Context): Language => languageOf(c.req.header('Accept-Language'));

function answer(c: Context, language: Language, status: ContentfulStatusCode, detail: string, code?: string, errors?: FieldError[]): Response {
  const body = problemBody(status, detail, code, errors && sayFields(language, errors), language);
  // The words follow Accept-Language, so a shared cache must not hand one reader's answer to another.
  c.header('Vary', 'Accept-Language', { append: true });
  return c.body(JSON.stringify(body), status, { 'Content-Type': PROBLEM_TYPE, 'Content-Language': CONTENT_LANGUAGE[language] });
}

/** A problem answer in the language the request prefers (English unless it prefers Chinese). */
export function problem(c: Context, status: ContentfulStatusCode, said: Said, code = CODES[status] ?? 'error', errors?: FieldError[]): Response {
  const language = languageOfRequest(c);
  const { key, params } = typeof said === 'string' ? { key: said, params: undefined } : said;
  return answer(c, language, status, sayDetail(language, key, params), code, errors);
}

/** An HTTPException names its case in English only; the ones the API throws or meets are known by status. */
function httpExceptionSaid(error: HTTPException): Said {
  if (error instanceof UnsupportedMediaError) return { key: 'unsupported_upload', params: { types: error.types } };
  if (error.status === 400) return /JSON/i.test(error.message) ? 'malformed_json' : 'status.400';
  const general = `status.${error.status}`;
  return isDetailKey(general) ? general : 'internal';
}

/** A body of a media type the route does not read: 415, naming the types it does. */
export class UnsupportedMediaError extends HTTPException {
  constructor(readonly types: string) {
    super(415, { message: `send the body as one of ${types}` });
  }
}

function statusOf(error: DomainError): ContentfulStatusCode {
  if (error instanceof ValidationError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof ConflictError || error instanceof InvalidTransitionError) return 409;
  return 400;
}

export type ErrorLog = (entry: Record<string, unknown>) => void;

const jsonLog: ErrorLog = (entry) => console.error(maskPhonesIn(JSON.stringify(entry)));

/** Seconds a client is asked to wait when the database does not answer: about what DynamoDB Local takes to restart. */
export const RETRY_AFTER_SECONDS = 5;
/** One log line per kind of database failure per this interval; a dead database fails every request. */
export const UNAVAILABLE_LOG_INTERVAL_MS = 10_000;

// Node's socket errors and the SDK's names for a database that cannot be reached or will
// not take more now. Matched by name, so that the API imports no AWS SDK.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

/** The kind of "cannot reach the database" this error is (its code or name), or null for any other error. */
export function unavailableKind(error: unknown): string | null {
  for (let at = error, depth = 0; at && typeof at === 'object' && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const { code, name } = at as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return name;
  }
  return null;
}

/**
 * Lets through the first entry of each kind per interval and counts the rest, reported as
 * `suppressed` on the next line of that kind.
 */
export function throttledLog(log: ErrorLog, intervalMs = UNAVAILABLE_LOG_INTERVAL_MS, now: () => number = () => performance.now()) {
  const kinds = new Map<string, { since: number; suppressed: number }>();
  return (kind: string, entry: Record<string, unknown>): void => {
    const at = now();
    const seen = kinds.get(kind);
    if (seen && at - seen.since < intervalMs) {
      seen.suppressed++;
      return;
    }
    kinds.set(kind, { since: at, suppressed: 0 });
    log({ ...entry, kind, ...(seen?.suppressed ? { suppressed: seen.suppressed } : {}) });
  };
}

/**
 * The database did not answer. Thrown where a failed read means "unavailable" whatever its
 * cause (the health check); errors of the SDK itself are recognised by `unavailableKind`.
 */
export class UnavailableError extends Error {
  readonly kind: string;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'UnavailableError';
    this.kind = unavailableKind(cause) ?? (cause instanceof Error ? cause.name : 'unknown');
  }
}

/** The one place where errors become HTTP: domain errors by name, never a stack trace. */
export function onError(log: ErrorLog = jsonLog): ErrorHandler {
  const logUnavailable = throttledLog(log);
  return (error, c) => {
    if (error instanceof DomainError) {
      const status = statusOf(error);
      const language = languageOfRequest(c);
      return answer(c, language, status, domainDetail(language, error, status), error.code, error instanceof ValidationError ? error.errors : undefined);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      // Hono's validators throw a bare 400 for a body that is not JSON: input like any other.
      return problem(c, status, httpExceptionSaid(error), status === 400 ? 'validation_failed' : undefined);
    }
    const kind = error instanceof UnavailableError ? error.kind : unavailableKind(error);
    if (kind) {
      // No stack, and one line per kind per interval: a dead database fails every request,
      // and a stack each time buried every other line.
      logUnavailable(kind, { level: 'ERROR', message: 'database unavailable', method: c.req.method, path: c.req.path, detail: error.message });
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return problem(c, 503, 'unavailable');
    }
    log({
      level: 'ERROR',
      message: 'unhandled error',
      method: c.req.method,
      path: c.req.path,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    });
    return problem(c, 500, 'internal');
  };
}
