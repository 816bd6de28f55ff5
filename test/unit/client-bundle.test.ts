import { createRequire } from 'node:module';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The client as a mini-program gets it: one ES2017 CommonJS file, run in a realm that has
// JavaScript's own globals and a `wx`, and no Headers, Request, Response, fetch, URL,
// TextEncoder or Node built-ins.

const ENTRY = createRequire(import.meta.url).resolve('@guanjia/client');

async function bundle(): Promise<string> {
  const result = await build({ entryPoints: [ENTRY], bundle: true, format: 'cjs', target: 'es2017', platform: 'browser', write: false, logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

interface Call {
  url: string;
  method: string;
  header: Record<string, string>;
  data?: string;
}

describe('the client bundled for a mini-program', () => {
  it('makes a call through wx.request in a realm with no fetch classes, no URL and no Node built-ins', async () => {
    const calls: Call[] = [];
    const wx = {
      request(options: Call & { success(r: unknown): void }) {
        calls.push({ url: options.url, method: options.method, header: options.header, ...(options.data ? { data: options.data } : {}) });
        setTimeout(() => options.success({ statusCode: 201, header: { 'Content-Type': 'application/json' }, data: '{"id":"c1"}' }), 0);
      },
    };
    const realm = createContext({ module: { exports: {} }, setTimeout, wx });
    runInContext(await bundle(), realm);
    expect(runInContext('[typeof Headers, typeof Request, typeof Response, typeof fetch, typeof URL]', realm)).toEqual(Array(5).fill('undefined'));

    const answer = await runInContext(
      `const g = module.exports;
      g.installFetchShim();
      const api = g.createGuanjiaClient({ baseUrl: 'https://api.example.com', token: 't', fetch: g.wxFetch(wx) });
      api.POST('/v1/complaints', { body: { category: '漏水' } }).then((r) => ({ status: r.response.status, data: r.data }))`,
      realm,
    );
    expect(answer).toEqual({ status: 201, data: { id: 'c1' } });
    expect(calls).toEqual([
      {
        url: 'https://api.example.com/v1/complaints',
        method: 'POST',
        header: { authorization: 'Bearer t', 'content-type': 'application/json' },
        data: '{"category":"漏水"}',
      },
    ]);
  });
});
