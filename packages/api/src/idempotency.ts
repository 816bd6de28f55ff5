import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { IdempotencyRecord, Principal } from '@guanjia/core';
import type { AppEnv } from './env.ts';
import { problem } from './problem.ts';

/** Where the API keeps what it answered to each `Idempotency-Key`, apart from the use cases' store. */
export interface IdempotencyStore {
  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null>;
  /**
   * Writes the pending record; false when one exists already (another request holds the key),
   * unless that one is a pending record created before `staleBefore`: its request died.
   */
  beginIdempotency(record: IdempotencyRecord, staleBefore: string): Promise<boolean>;
  completeIdempotency(record: IdempotencyRecord): Promise<void>;
  /** Forgets a pending key whose request failed, so that the client can try again. */
  releaseIdempotency(scope: string, key: string): Promise<void>;
}

const KEY = /^[\x21-\x7e]{1,255}$/;
const TTL_SECONDS = 24 * 60 * 60;
/**
 * A key still pending after this long belongs to a request that died before it could let go
 * (its database went away mid-request, its function was stopped): the API's function stops
 * after 10 s, so a retry may take the key over rather than hear "in progress" for a day.
 */
export const PENDING_ABANDONED_AFTER_MS = 60_000;

/** Bodies that differ only in key order or spacing are the same request. */
function canonical(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), (_, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
        : value,
    );
  } catch {
    return text;
  }
}

/**
 * Whose key it is, and with what reach. A record answers only the identity that made it
 * (issuer, role and sub: a sub is unique within one issuer, and one person's service and
 * manager accounts are not each other) holding the same reach (its sites, an owner's phone).
 * Reach is checked before any replay by keying on it rather than by running each route's
 * check a second time here: a token whose reach changed finds no record, so its request runs
 * through the route, reach check first. A replay therefore repeats only an answer this same
 * reach was given, and tells the caller nothing it did not already get. Hashed, so that no
 * separator of the table's key shape can appear in it.
 */
export function scopeOf(principal: Principal): string {
  const reach = [principal.issuer ?? '', principal.role, principal.sub, [...principal.sites].sort(), principal.phone ?? ''];
  return createHash('sha256').update(JSON.stringify(reach)).digest('hex');
}

/** The same request: method, path and body, whatever the body's key order or spacing. */
export function requestHashOf(method: string, path: string, body: string): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex');
}

function replay(record: IdempotencyRecord): Response {
  return new Response(record.body ?? null, {
    status: record.status ?? 200,
    headers: { 'Content-Type': record.contentType ?? 'application/json', 'Idempotent-Replayed': 'true' },
  });
}

/**
 * `Idempotency-Key` on POST: a retry over a flaky mobile connection gets the first answer
 * again and creates nothing. Keys belong to the caller and their reach; the same key with
 * another body is 422; while the first request is still running, a second is told to wait (409).
 */
export function idempotency(store: IdempotencyStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('Idempotency-Key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (!KEY.test(key)) return problem(c, 400, 'idempotency_key_malformed', 'validation_failed');

    const scope = scopeOf(c.get('principal'));
    // Read as bytes: a route that takes a file (a GBK CSV) must get them as sent, and a body
    // read as text first would come back re-encoded. Latin-1 keeps every byte in the hash.
    const bytes = Buffer.from(await c.req.arrayBuffer());
    const json = /json/i.test(c.req.header('Content-Type') ?? '');
    const requestHash = requestHashOf(c.req.method, c.req.path, bytes.toString(json ? 'utf8' : 'latin1'));
    const now = new Date();
    const pending: IdempotencyRecord = {
      scope,
      key,
      requestHash,
      state: 'pending',
      createdAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + TTL_SECONDS,
    };

    if (!(await store.beginIdempotency(pending, new Date(now.getTime() - PENDING_ABANDONED_AFTER_MS).toISOString()))) {
      const existing = await store.getIdempotency(scope, key);
      if (!existing) return problem(c, 409, 'idempotency_finished', 'idempotency_in_progress');
      if (existing.requestHash !== requestHash) return problem(c, 422, 'idempotency_key_reused', 'idempotency_key_reused');
      if (existing.state === 'pending') return problem(c, 409, 'idempotency_pending', 'idempotency_in_progress');
      return replay(existing);
    }

    try {
      await next();
    } catch (error) {
      await store.releaseIdempotency(scope, key);
      throw error;
    }
    // Answers that a retry could change (a conflict, a server fault) are not remembered.
    const status = c.res.status;
    if (status >= 500 || status === 409 || status === 429) {
      await store.releaseIdempotency(scope, key);
      return;
    }
    const body = await c.res.clone().text();
    await store.completeIdempotency({ ...pending, state: 'done', status, body, contentType: c.res.headers.get('Content-Type') ?? 'application/json' });
  };
}
