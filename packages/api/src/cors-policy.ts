import { z } from 'zod';

/**
 * Which web pages may call the API, in one place for its three enforcers: API Gateway in
 * AWS (infra), the app itself behind it, and the local runtime. Imports nothing but zod, so
 * the CDK app can read it.
 */

/** https://host[:port] with no path; plain http only for a developer's own machine. */
export const Origin = z
  .string()
  .url()
  .refine((o) => {
    // Checks run on after a failed one: an unparsable value is refused here too, not thrown.
    if (!URL.canParse(o)) return false;
    const url = new URL(o);
    const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    return (url.protocol === 'https:' || (local && url.protocol === 'http:')) && url.pathname === '/' && !o.endsWith('/') && !url.search && !url.hash;
  }, 'an origin is https://host[:port] with no path (http only for localhost)');

/** Origins as an environment variable holds them: comma-separated, empty for none. */
export const OriginList = z
  .string()
  .default('')
  .transform((list) =>
    list
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(z.array(Origin));

export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Besides the headers a browser always lets through (Accept, Accept-Language, ...). */
export const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key'];
/** So that a web client can tell a replayed answer from a first one. */
export const CORS_EXPOSED_HEADERS = ['idempotent-replayed'];
/** Browsers keep a preflight's answer this long; Chromium caps it at two hours anyway. */
export const CORS_MAX_AGE_SECONDS = 3600;
