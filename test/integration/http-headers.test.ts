import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, MAX_BODY_BYTES } from '@guanjia/api';
import { createIds, type Principal } from '@guanjia/core';
import { createLocalVerifier, mintToken } from '@guanjia/local/tokens';
import { TestClock } from '../support/api.ts';
import { createTestTable, type TestTable } from '../support/dynamo.ts';

const SECRET = 'http-headers-secret';
const CONSOLE = 'https://console.example.com';
const ELSEWHERE = 'https://elsewhere.example.com';
const admin: Principal = { sub: 'admin-h', role: 'admin', sites: [] };

let table: TestTable;
let app: ReturnType<typeof createApp>;
let bare: ReturnType<typeof createApp>;
let token: string;

beforeAll(async () => {
  table = await createTestTable();
  const deps = {
    store: table.store,
    clock: new TestClock(),
    ids: createIds(),
    verifyToken: createLocalVerifier(SECRET),
    cursorSecret: 'http-headers-cursor-secret',
  };
  app = createApp({ ...deps, corsOrigins: [CONSOLE, 'http://localhost:5173'] });
  bare = createApp(deps);
  token = await mintToken(admin, SECRET);
  const site = await app.request('/v1/sites', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: 'hdr', name: 'hdr', kind: 'retail', smsSignature: '管家' }),
  });
  expect(site.status).toBe(201);
});
afterAll(() => table.close());

const preflight = (origin: string, on = app) =>
  on.request('/v1/customers', {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' },
  });
const auth = (extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, ...extra });

describe('CORS', () => {
  it('answers a preflight from an allowed origin with 204 and the CORS headers, before any token is asked for', async () => {
    const res = await preflight(CONSOLE);
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(CONSOLE);
    expect(res.headers.get('Access-Control-Allow-Methods')?.split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']));
    expect(res.headers.get('Access-Control-Allow-Headers')?.split(',')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect(res.headers.get('Access-Control-Max-Age')).toBe('3600');
    expect(res.headers.get('Vary')).toContain('Origin');
    expect(res.headers.get('WWW-Authenticate')).toBeNull();
  });

  it('gives a preflight from an origin not listed no Access-Control-Allow-Origin, and no 401', async () => {
    const res = await preflight(ELSEWHERE);
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('allows no origin at all when none is configured', async () => {
    for (const origin of [CONSOLE, 'http://localhost:5173']) {
      const res = await preflight(origin, bare);
      expect(res.status).toBe(204);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    }
  });

  it("lets an allowed origin's page read answers, errors included, and the replay marker", async () => {
    const ok = await app.request('/v1/sites/hdr', { headers: auth({ Origin: CONSOLE }) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe(CONSOLE);
    expect(ok.headers.get('Access-Control-Expose-Headers')).toBe('idempotent-replayed');
    const unauthenticated = await app.request('/v1/sites/hdr', { headers: { Origin: CONSOLE } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('Access-Control-Allow-Origin')).toBe(CONSOLE);
    const elsewhere = await app.request('/v1/sites/hdr', { headers: auth({ Origin: ELSEWHERE }) });
    expect(elsewhere.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

const post = (body: string, extra: Record<string, string> = {}) =>
  app.request('/v1/sites', { method: 'POST', headers: auth({ 'Content-Type': 'application/json', ...extra }), body });
const site = JSON.stringify({ name: '北苑店', kind: 'retail', smsSignature: '管家' });

type Send = () => Response | Promise<Response>;

/** One request of each kind of answer `/v1` gives: success, replay, each error. */
const answers: [string, Send][] = [
  ['a read', () => app.request('/v1/sites/hdr', { headers: auth() })],
  ['a creation', () => post(site, { 'Idempotency-Key': 'hdr-1' })],
  ['a replay', async () => (await post(site, { 'Idempotency-Key': 'hdr-2' }), post(site, { 'Idempotency-Key': 'hdr-2' }))],
  ['a 400', () => post('{"name": ')],
  ['a 401', () => app.request('/v1/sites/hdr')],
  ['a 404', () => app.request('/v1/sites/nowhere', { headers: auth() })],
  ['a 413', () => post(JSON.stringify({ note: 'x'.repeat(MAX_BODY_BYTES) }))],
];
// A preflight carries no data, and browsers keep it by Access-Control-Max-Age, not Cache-Control.
const otherAnswers: [string, Send][] = [
  ['a preflight', () => preflight(CONSOLE)],
  ['/health', () => app.request('/health')],
  ['/openapi.json', () => app.request('/openapi.json')],
  ['/docs', () => app.request('/docs')],
  ['/docs/swagger-ui-bundle.js', () => app.request('/docs/swagger-ui-bundle.js')],
  ['an unknown route', () => app.request('/nowhere')],
];

describe('security headers', () => {
  it.each([...answers, ...otherAnswers])('are on %s: no sniffing, no framing', async (_, send) => {
    const res = await send();
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
  });

  it.each(answers)('keep %s under /v1 out of every cache', async (_, send) => {
    const res = await send();
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('are checked above on a stored answer that was really replayed', async () => {
    const res = await answers.find(([name]) => name === 'a replay')![1]();
    expect(res.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('forbid the JSON answers to load or run anything', async () => {
    const res = await app.request('/v1/sites/hdr', { headers: auth() });
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe('/docs', () => {
  it('has a policy that lets the page load its own scripts, styles and the OpenAPI document, and nothing from elsewhere', async () => {
    const csp = (await app.request('/docs')).headers.get('Content-Security-Policy')!;
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toContain("'self'");
    expect(directives['img-src']).toEqual(["'self'", 'data:']);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
  });

  it('loads every asset from its own origin, as files the policy allows, and runs no inline script', async () => {
    const page = await (await app.request('/docs')).text();
    const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="/);
      expect(body!.trim()).toBe('');
    }
    expect(page).not.toMatch(/\son[a-z]+=|\sstyle=|<style/i);
    const assets = [...page.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(4);
    for (const asset of assets) {
      // Same origin: a path of this server, not another host (`//cdn...`, `https://...`).
      expect(asset).toMatch(/^\/(?!\/)/);
      const res = await app.request(asset);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/^text\/(javascript|css)/);
    }
    const css = await (await app.request('/docs/swagger-ui.css')).text();
    for (const [, url] of css.matchAll(/url\(\s*["']?([^"')]*)/g)) expect(url).toMatch(/^data:/);
  });

  it('tells Swagger UI to show no validator badge, an image the policy would refuse', async () => {
    const init = await (await app.request('/docs/init.js')).text();
    expect(init).toContain('validatorUrl: null');
    expect(init).toContain("url: '/openapi.json'");
  });
});
