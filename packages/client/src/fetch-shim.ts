// A mini-program's JavaScript has no Headers, Request, Response or FormData, and
// openapi-fetch builds on them. These are the least of each that the client and `wxFetch`
// use: enough to send JSON and text and read the answer, not a general Fetch polyfill.

type Pairs = Iterable<readonly [string, string]>;
type HeaderSource = Record<string, string> | Pairs;
type Body = string | ArrayBuffer | Uint8Array | null | undefined;

function isPairs(value: object): value is Pairs {
  return Symbol.iterator in value;
}

export class ShimHeaders {
  // Names are case-insensitive: kept lower-case, as the Fetch standard reports them.
  readonly #values = new Map<string, string>();

  constructor(init?: HeaderSource) {
    if (!init) return;
    // Headers of either kind are pairs too.
    if (isPairs(init)) for (const [name, value] of init) this.append(name, value);
    else for (const [name, value] of Object.entries(init as Record<string, string>)) this.append(name, value);
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const before = this.#values.get(key);
    this.#values.set(key, before === undefined ? String(value) : `${before}, ${value}`);
  }
  set(name: string, value: string): void {
    this.#values.set(name.toLowerCase(), String(value));
  }
  get(name: string): string | null {
    return this.#values.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }
  delete(name: string): void {
    this.#values.delete(name.toLowerCase());
  }
  forEach(fn: (value: string, name: string, headers: ShimHeaders) => void): void {
    for (const [name, value] of this.#values) fn(value, name, this);
  }
  entries(): IterableIterator<[string, string]> {
    return this.#values.entries();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#values.entries();
  }
}

const utf8 = (text: string): ArrayBuffer => {
  // TextEncoder is not in every mini-program base library; encodeURIComponent is.
  const bytes = unescape(encodeURIComponent(text));
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out.buffer;
};

const fromUtf8 = (buffer: ArrayBuffer): string => {
  let bytes = '';
  for (const byte of new Uint8Array(buffer)) bytes += String.fromCharCode(byte);
  return decodeURIComponent(escape(bytes));
};

/** Text and bytes of a body held whole, as both Request and Response here hold theirs. */
class Held {
  constructor(protected readonly held: Body) {}
  async text(): Promise<string> {
    if (this.held == null) return '';
    return typeof this.held === 'string' ? this.held : fromUtf8(this.held instanceof Uint8Array ? this.held.slice().buffer : this.held);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.held == null) return new ArrayBuffer(0);
    if (typeof this.held === 'string') return utf8(this.held);
    return this.held instanceof Uint8Array ? this.held.slice().buffer : this.held;
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

export class ShimRequest extends Held {
  readonly url: string;
  readonly method: string;
  readonly headers: ShimHeaders;

  constructor(url: string, init: { method?: string; headers?: HeaderSource; body?: Body } = {}) {
    super(init.body);
    this.url = url;
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = new ShimHeaders(init.headers);
  }
}

export class ShimResponse extends Held {
  readonly status: number;
  readonly statusText: string;
  readonly headers: ShimHeaders;
  readonly ok: boolean;
  readonly url = '';
  // No streams in a mini-program: `parseAs: 'stream'` gets nothing.
  readonly body = null;

  constructor(body?: Body, init: { status?: number; statusText?: string; headers?: HeaderSource } = {}) {
    super(body);
    this.status = init.status ?? 200;
    this.statusText = init.statusText ?? '';
    this.headers = new ShimHeaders(init.headers);
    this.ok = this.status >= 200 && this.status < 300;
  }
}

/** Nothing is a form here; openapi-fetch only asks `body instanceof FormData`. */
export class ShimFormData {}

/**
 * Puts the classes above where the runtime has none, leaving any it has alone. Call it once
 * in a mini-program's `app.js` before making a client; a browser needs none of it.
 */
export function installFetchShim(target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  const classes = { Headers: ShimHeaders, Request: ShimRequest, Response: ShimResponse, FormData: ShimFormData };
  for (const [name, shim] of Object.entries(classes)) if (typeof target[name] !== 'function') target[name] = shim;
}
