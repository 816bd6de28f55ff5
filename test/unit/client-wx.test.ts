import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createGuanjiaClient,
  installFetchShim,
  ShimHeaders,
  ShimRequest,
  ShimResponse,
  wxFetch,
  type WxLike,
  type WxRequestOptions,
  type WxRequestSuccess,
} from '@guanjia/client';

// The mini-program transport over a stand-in `wx`: no WeChat here, only the contract of
// `wx.request` (options in, `success` or `fail` called back).

type Answer = Omit<WxRequestSuccess, 'header'> & { header?: Record<string, string> };

function standInWx(answer: (options: WxRequestOptions) => Answer | { errMsg: string }) {
  const calls: WxRequestOptions[] = [];
  const wx: WxLike = {
    request(options) {
      calls.push(options);
      const result = answer(options);
      // wx calls back later, never within request() itself.
      setTimeout(() => ('errMsg' in result ? options.fail(result) : options.success({ header: {}, ...result })), 0);
      return { abort() {} };
    },
  };
  return { wx, calls };
}

const problem = { type: 'urn:guanjia:problem:validation_failed', title: '请求无效', status: 400, detail: 'phone', code: 'validation_failed' };

describe('wxFetch, a fetch over wx.request', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('passes the method, url, headers and a JSON body as a string, asking wx not to parse the answer', async () => {
    const { wx, calls } = standInWx(() => ({ statusCode: 201, header: { 'Content-Type': 'application/json' }, data: '{"id":"s1"}' }));
    const response = await wxFetch(wx, { timeout: 5000 })(
      new Request('https://api.example.com/v1/sites', {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: '{"name":"江畔"}',
      }),
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: 'https://api.example.com/v1/sites',
      method: 'POST',
      header: { authorization: 'Bearer t', 'content-type': 'application/json' },
      data: '{"name":"江畔"}',
      responseType: 'text',
      timeout: 5000,
    });
    expect(calls[0]!.dataType).not.toBe('json');
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: 's1' });
  });

  it('sends no data with a GET, and a file as bytes', async () => {
    const { wx, calls } = standInWx(() => ({ statusCode: 200, data: '{}' }));
    const send = wxFetch(wx);
    await send(new Request('https://x/v1/tasks?limit=5'));
    await send(
      new Request('https://x/v1/imports', {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.ms-excel' },
        body: new Uint8Array([0xd0, 0xcf, 0x11]),
      }),
    );
    expect('data' in calls[0]!).toBe(false);
    expect(calls[1]!.data).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(calls[1]!.data as ArrayBuffer)]).toEqual([0xd0, 0xcf, 0x11]);
  });

  it('asks for bytes when the request accepts a spreadsheet, and hands them back whole', async () => {
    const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04]).buffer;
    const { wx, calls } = standInWx(() => ({ statusCode: 200, data: bytes }));
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const response = await wxFetch(wx)(new Request('https://x/v1/reports/intent-levels', { headers: { Accept: xlsx } }));
    expect(calls[0]!.responseType).toBe('arraybuffer');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it('answers a 204 with an empty body, and a problem with its JSON', async () => {
    const { wx } = standInWx((o) => (o.method === 'DELETE' ? { statusCode: 204, data: '' } : { statusCode: 400, data: JSON.stringify(problem) }));
    const send = wxFetch(wx);
    expect(await (await send(new Request('https://x/a', { method: 'DELETE' }))).text()).toBe('');
    const refused = await send(new Request('https://x/b'));
    expect(refused.status).toBe(400);
    expect(refused.ok).toBe(false);
    expect(await refused.json()).toEqual(problem);
  });

  it('fails as fetch does, with a TypeError, when wx.request fails, and refuses PATCH, which wx.request cannot send', async () => {
    const { wx, calls } = standInWx(() => ({ errMsg: 'request:fail timeout' }));
    await expect(wxFetch(wx)(new Request('https://x/v1/tasks'))).rejects.toThrow(
      new TypeError('wx.request GET https://x/v1/tasks failed: request:fail timeout'),
    );
    await expect(wxFetch(wx)(new Request('https://x/v1/sites/s1', { method: 'PATCH', body: '{}' }))).rejects.toThrow(/cannot send PATCH/);
    expect(calls).toHaveLength(1);
  });

  it('drives the typed client where the runtime has no Headers, Request, Response, FormData or fetch, as in a mini-program', async () => {
    for (const name of ['Headers', 'Request', 'Response', 'FormData', 'fetch']) vi.stubGlobal(name, undefined);
    installFetchShim();
    expect(globalThis.Headers).toBe(ShimHeaders);
    const { wx, calls } = standInWx((o) =>
      o.url.endsWith('/v1/me/preferences')
        ? { statusCode: 200, header: { 'Content-Type': 'application/json' }, data: '{"smsCare":false}' }
        : { statusCode: 404, header: { 'Content-Type': 'application/problem+json' }, data: JSON.stringify({ ...problem, status: 404, code: 'not_found' }) },
    );
    const api = createGuanjiaClient({ baseUrl: 'https://api.example.com', getToken: () => 'owner-token', language: 'zh', fetch: wxFetch(wx) });

    const saved = await api.PUT('/v1/me/preferences', { body: { smsCare: false } });
    expect(saved.response).toBeInstanceOf(ShimResponse);
    expect(saved.data).toEqual({ smsCare: false });
    expect(calls[0]).toMatchObject({
      method: 'PUT',
      data: '{"smsCare":false}',
      header: { authorization: 'Bearer owner-token', 'accept-language': 'zh', 'content-type': 'application/json' },
    });

    const missing = await api.GET('/v1/me/deliveries');
    expect(missing.error?.code).toBe('not_found');
  });

  it('leaves a runtime that has the fetch classes as it is', () => {
    const target: Record<string, unknown> = { Headers, Request, Response };
    installFetchShim(target);
    expect(target.Headers).toBe(Headers);
    expect(target.Response).toBe(Response);
    expect(target.FormData).toBeDefined();
  });

  it('keeps, in the shim, header names case-insensitive and Chinese text whole between text and bytes', async () => {
    const headers = new ShimHeaders({ 'Content-Type': 'application/json' });
    headers.append('accept', 'text/csv');
    headers.append('Accept', 'application/json');
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('ACCEPT')).toBe('text/csv, application/json');

    const text = '{"name":"张伟","note":"周六来 🏠"}';
    const bytes = new Uint8Array(await new ShimRequest('https://x', { method: 'POST', body: text }).arrayBuffer());
    expect(bytes).toEqual(new TextEncoder().encode(text));
    expect(await new ShimResponse(bytes.buffer, { status: 200 }).text()).toBe(text);
    expect(await new ShimResponse(bytes).json()).toEqual({ name: '张伟', note: '周六来 🏠' });
  });
});
