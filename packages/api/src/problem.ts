import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConflictError, DomainError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError, maskPhonesIn, type FieldError } from '@guanjia/core';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  500: 'Internal server error',
};

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  500: 'internal',
};

export function problem(c: Context, status: ContentfulStatusCode, detail: string, code = CODES[status] ?? 'error', errors?: FieldError[]): Response {
  const body: Problem = { type: `urn:guanjia:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, ...(errors ? { errors } : {}) };
  return c.body(JSON.stringify(body), status, { 'Content-Type': PROBLEM_TYPE });
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

/** The one place where errors become HTTP: domain errors by name, never a stack trace. */
export function onError(log: ErrorLog = jsonLog): ErrorHandler {
  return (error, c) => {
    if (error instanceof DomainError) {
      return problem(c, statusOf(error), error.message, error.code, error instanceof ValidationError ? error.errors : undefined);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      // Hono's validators throw a bare 400 for a body that is not JSON: input like any other.
      return problem(c, status, error.message || TITLES[status] || 'error', status === 400 ? 'validation_failed' : undefined);
    }
    log({ level: 'ERROR', message: 'unhandled error', method: c.req.method, path: c.req.path, error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) });
    return problem(c, 500, 'something went wrong on our side; the request may be retried');
  };
}
