import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS, CORS_REQUEST_HEADERS } from './cors-policy.ts';

/**
 * Runs before authentication: a browser's preflight never carries the token, so it must be
 * answered without one. An origin not listed gets no Access-Control-Allow-Origin, and its
 * page cannot read the answer.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: [...CORS_METHODS],
    allowHeaders: CORS_REQUEST_HEADERS,
    exposeHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
  });
}

/**
 * The API answers JSON, never a page: nothing may run in it or frame it, and no browser may
 * sniff it as another type. A route that does serve a page (`/docs`) sets its own policy,
 * which this one leaves in place.
 */
export function apiSecurityHeaders(): MiddlewareHandler {
  return secureHeaders({ xFrameOptions: 'DENY', contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] }, overwrite: false });
}

/** `/v1` answers hold customers' names and phone numbers: no browser or proxy may keep a copy. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
};
