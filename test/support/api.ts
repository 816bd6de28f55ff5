import { createApp } from '@guanjia/api';
import { createIds, type Clock, type Principal } from '@guanjia/core';
import { createLocalVerifier, mintToken } from '@guanjia/local/tokens';
import { Contract, type OpenApiDocument } from './contract.ts';
import { createTestTable, type TestTable } from './dynamo.ts';

const SECRET = 'api-test-secret';

/** A clock a test can set: it stands wherever the test puts it. */
export class TestClock implements Clock {
  constructor(public current = new Date('2026-11-23T01:30:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  /** A body sent as it is: text, or a file's bytes. */
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** The HTTP app over a fresh DynamoDB Local table, called in-process with real local tokens. */
export async function createTestApi(options: { siteCacheMs?: number } = {}) {
  const table: TestTable = await createTestTable();
  const clock = new TestClock();
  const instance = () =>
    createApp({ store: table.store, clock, ids: createIds(), verifyToken: createLocalVerifier(SECRET), cursorSecret: 'cursor-test-secret', ...options });
  const app = instance();
  const tokens = new Map<string, string>();
  const contract = new Contract((await (await app.request('/openapi.json')).json()) as OpenApiDocument);

  async function tokenFor(principal: Principal): Promise<string> {
    const key = JSON.stringify(principal);
    let token = tokens.get(key);
    if (!token) tokens.set(key, (token = await mintToken(principal, SECRET)));
    return token;
  }

  /** Calls this API instance; `on` names another instance over the same table (as another Lambda would be). */
  async function call(principal: Principal | null, method: string, path: string, options: CallOptions = {}, on = app): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (principal) headers.Authorization = `Bearer ${await tokenFor(principal)}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await on.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    contract.check(method, path, res.status, res.headers.get('Content-Type'), parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  }

  return { app, instance, table, clock, call, tokenFor, close: () => table.close() };
}

export type TestApi = Awaited<ReturnType<typeof createTestApi>>;

export const admin: Principal = { sub: 'admin-1', role: 'admin', sites: [] };
export const staff = (role: 'manager' | 'sales' | 'service' | 'designer', sub: string, sites: string[]): Principal => ({ sub, role, sites });

/** A site with a manager, two sales reps and a service agent, created through the API. */
export async function seedSite(api: TestApi, siteId: string, extra: Record<string, unknown> = {}) {
  const site = await api.call(admin, 'POST', '/v1/sites', {
    body: { id: siteId, name: `Site ${siteId}`, kind: 'real_estate', smsSignature: '管家', ...extra },
  });
  if (site.status !== 201) throw new Error(`seeding site ${siteId}: ${site.status} ${JSON.stringify(site.body)}`);
  const people = {
    manager: staff('manager', `mgr-${siteId}`, [siteId]),
    repA: staff('sales', `repa-${siteId}`, [siteId]),
    repB: staff('sales', `repb-${siteId}`, [siteId]),
    service: staff('service', `svc-${siteId}`, [siteId]),
  };
  for (const p of Object.values(people)) {
    const res = await api.call(admin, 'POST', `/v1/sites/${siteId}/staff`, { body: { id: p.sub, name: p.sub, role: p.role } });
    if (res.status !== 201) throw new Error(`seeding staff ${p.sub}: ${res.status}`);
  }
  return people;
}

let serial = 0;
/** A mobile number no other test of the run uses. */
export const freshPhone = (): string => `137${String(process.pid % 10000).padStart(4, '0')}${String(++serial).padStart(4, '0')}`;
