import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createApp, type AppDeps } from '@guanjia/api';
import { createIds } from '@guanjia/core';

/**
 * The API's own Lambda adapter answers every event exactly as `hono/aws-lambda`'s `handle()`
 * did: the same status, headers, body and base64 flag, for text, JSON, empty, binary and
 * cookie-carrying answers, and for requests with a body. `handle()`'s answers are taken
 * first, since the adapter makes Hono's responses light ones for the rest of the process.
 */

const recorded = JSON.parse(readFileSync(new URL('../functions/events/api-get-customers.json', import.meta.url), 'utf8')) as APIGatewayProxyEventV2;
const context = { functionName: 'test', awsRequestId: 'r' } as Context;

function event(
  method: string,
  path: string,
  options: { query?: string; body?: string; base64?: boolean; headers?: Record<string, string>; cookies?: string[] } = {},
) {
  const { queryStringParameters: _q, ...rest } = structuredClone(recorded);
  return {
    ...rest,
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: { ...rest.headers, ...options.headers },
    ...(options.cookies ? { cookies: options.cookies } : {}),
    ...(options.body !== undefined ? { body: options.body, isBase64Encoded: options.base64 ?? false } : {}),
    requestContext: { ...rest.requestContext, http: { ...rest.requestContext.http, method, path } },
  } as APIGatewayProxyEventV2;
}

const sample = new Hono();
sample.use('*', async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
});
sample.get('/json', (c) => c.json({ q: c.req.query('q'), agent: c.req.header('user-agent'), cookie: c.req.header('cookie') ?? null }));
sample.get('/text', (c) => c.text('好的'));
sample.get('/plain', (c) => c.body('no type given'));
sample.delete('/empty', (c) => c.body(null, 204));
sample.get('/binary', (c) => c.body(new Uint8Array([0x50, 0x4b, 3, 4, 0, 255]), 200, { 'Content-Type': 'application/octet-stream' }));
sample.get('/cookie', (c) => {
  c.header('Set-Cookie', 'a=1');
  return c.json({ ok: true });
});
sample.post('/echo', async (c) => c.json({ got: await c.req.json(), length: c.req.header('content-length') }, 201));
sample.put('/bytes', async (c) => c.json({ bytes: [...new Uint8Array(await c.req.arrayBuffer())] }));
sample.get('/header', (c) => c.json({ name: c.req.header('x-name') }));
sample.get('/csv', (c) => c.body('\uFEFF姓名,电话\r\n', 200, { 'Content-Type': 'text/csv; charset=utf-8' }));

const store = { latestConsent: async () => null, isDeactivated: async () => false, ping: async () => undefined } as unknown as AppDeps['store'];
const guanjia = createApp({
  store,
  clock: { now: () => new Date('2026-11-23T01:30:00Z') },
  ids: createIds(),
  verifyToken: async () => {
    throw new Error('no token is valid here');
  },
  cursorSecret: 'x'.repeat(40),
  docs: false,
  corsOrigins: ['https://console.example.com'],
});

const cases: Array<[string, Hono<any>, APIGatewayProxyEventV2]> = [
  ['JSON with a query and the cookies', sample, event('GET', '/json', { query: 'q=%E5%BC%A0&x=1', cookies: ['a=1', 'b=2'] })],
  ['text', sample, event('GET', '/text')],
  ['a body with no stated type', sample, event('GET', '/plain')],
  ['no body', sample, event('DELETE', '/empty')],
  ['a binary body', sample, event('GET', '/binary')],
  ['a cookie set', sample, event('GET', '/cookie')],
  ['a JSON request body', sample, event('POST', '/echo', { body: '{"name":"张伟"}', headers: { 'content-type': 'application/json' } })],
  ['a base64 request body', sample, event('PUT', '/bytes', { body: Buffer.from([1, 2, 255]).toString('base64'), base64: true })],
  ['a non-ASCII header', sample, event('GET', '/header', { headers: { 'x-name': '张伟' } })],
  ['no route', sample, event('GET', '/nowhere')],
  ["the API's health", guanjia, event('GET', '/health')],
  ["the API's OpenAPI document", guanjia, event('GET', '/openapi.json')],
  ["the API's 401 problem", guanjia, event('GET', '/v1/customers/abc')],
  ["the API's CORS preflight", guanjia, event('OPTIONS', '/v1/customers', { headers: { 'access-control-request-method': 'POST' } })],
  ["the API's 404 problem", guanjia, event('GET', '/v2/nothing')],
  ['a path with dot segments, resolved as a web Request resolves it', guanjia, event('GET', '/docs/../health')],
];

const NativeRequest = globalThis.Request;
const NativeResponse = globalThis.Response;
// Before the adapter exists: handle() on the platform's Request and Response.
const expected = await Promise.all(cases.map(([, app, e]) => handle(app)(e as never, context)));
// handle() reads a text answer through Response.text(), which drops a leading BOM.
const before = (await handle(sample)(event('GET', '/csv') as never, context)) as { body: string };
const { lambdaHandler } = await import('@guanjia/api/lambda-handler');

describe("the API's Lambda adapter", () => {
  it.each(cases.map((c, i) => [c[0], i] as const))('answers %s as hono/aws-lambda does', async (_name, i) => {
    const [, app, e] = cases[i]!;
    expect(await lambdaHandler(app)(e, context)).toEqual(expected[i]);
  });

  it("keeps a CSV answer's BOM, which handle() loses reading the body as text, so Excel and WPS read its Chinese", async () => {
    const ours = await lambdaHandler(sample)(event('GET', '/csv'), context);
    expect(ours.body).toBe('\uFEFF姓名,电话\r\n');
    expect(before.body).toBe('姓名,电话\r\n');
  });

  it('takes a JSON answer as Hono gave it: no web Request is built and no body read back through a stream', async () => {
    const text = vi.spyOn(NativeResponse.prototype, 'text');
    const built = vi.fn();
    const counting = new Proxy(NativeRequest, { construct: (target, args) => (built(), new target(...(args as [string]))) });
    globalThis.Request = counting;
    try {
      const result = await lambdaHandler(guanjia)(event('GET', '/v1/customers/abc'), context);
      expect(result.statusCode).toBe(401);
      expect(text).not.toHaveBeenCalled();
      expect(built).not.toHaveBeenCalled();
    } finally {
      globalThis.Request = NativeRequest;
      text.mockRestore();
    }
  });
});
