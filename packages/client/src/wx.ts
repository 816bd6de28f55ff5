import type { Transport } from './client.ts';

// The part of a mini-program's `wx` the client uses, typed here so that the package needs
// no WeChat typings, and so that a test can hand in a stand-in.

export interface WxRequestSuccess {
  statusCode: number;
  header: Record<string, string>;
  data: string | ArrayBuffer;
}

export interface WxRequestOptions {
  url: string;
  method: string;
  header: Record<string, string>;
  data?: string | ArrayBuffer;
  /** Anything but `json`: `wx` then hands back the body as it came instead of parsing it. */
  dataType: string;
  responseType: 'text' | 'arraybuffer';
  timeout?: number;
  success(result: WxRequestSuccess): void;
  fail(error: { errMsg: string }): void;
}

export interface WxLike {
  request(options: WxRequestOptions): unknown;
}

export interface WxFetchOptions {
  /** Milliseconds before `wx.request` gives up; the mini-program's own default otherwise. */
  timeout?: number;
}

// What `wx.request` can send; it has no PATCH, so a PATCH fails here, saying so, instead of
// going out as something else.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

const TEXT = /json|^text\/|urlencoded/;

// Answers read as bytes: the spreadsheet reports. Everything else comes back as text.
const BINARY = /spreadsheetml|octet-stream/;

// Bodies a Response may not carry.
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A `fetch` over `wx.request`, for `createGuanjiaClient({ fetch: wxFetch(wx) })`. The
 * Request and Response it uses are the runtime's: call `installFetchShim()` first in a
 * mini-program, which has none.
 */
export function wxFetch(wx: WxLike, options: WxFetchOptions = {}): Transport {
  return async (request) => {
    const method = request.method.toUpperCase();
    if (!METHODS.has(method)) throw new TypeError(`wx.request cannot send ${method} ${request.url}`);
    const header: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      header[name] = value;
    });
    // JSON and text go as a string, as `wx.request` expects them; a file (an import's sheet) as bytes.
    const type = request.headers.get('Content-Type');
    const body = method === 'GET' || method === 'HEAD' || !type ? undefined : TEXT.test(type) ? await request.text() : await request.arrayBuffer();
    const binary = BINARY.test(request.headers.get('Accept') ?? '');
    const answer = await new Promise<WxRequestSuccess>((resolve, reject) => {
      wx.request({
        url: request.url,
        method,
        header,
        ...(body !== undefined ? { data: body } : {}),
        dataType: 'text',
        responseType: binary ? 'arraybuffer' : 'text',
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        success: resolve,
        // Fetch's own way of saying the network failed: a TypeError.
        fail: (error) => reject(new TypeError(`wx.request ${method} ${request.url} failed: ${error.errMsg}`)),
      });
    });
    const status = answer.statusCode;
    return new Response(NO_BODY.has(status) ? null : answer.data, { status, headers: answer.header });
  };
}
