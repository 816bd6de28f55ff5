/**
 * A `Response` that keeps the string body, status and headers it was made with, and makes
 * the platform's `Response` only when something asks for more (its stream, a clone). Hono
 * builds every answer with `new Response(...)`, and the Lambda adapter (lambda-handler.ts)
 * needs back only what went in: without this, each answer was built as a web stream and
 * read back with `res.text()`, about a quarter of a millisecond per request. The same idea
 * as @hono/node-server's lightweight Response, which it does not export.
 */

import { BODY_METHODS, delegateToNative } from './native-delegate.ts';

const NativeResponse = globalThis.Response;
type Init = ResponseInit | undefined;
type Body = ConstructorParameters<typeof Response>[0];

export class LightResponse {
  #body: Body;
  #init: Init;
  #native: Response | undefined;
  #headers: Headers | undefined;

  constructor(body?: Body, init?: Init | LightResponse | Response) {
    // Hono copies an answer when a middleware touched `c.res` before the route answered
    // (`new Response(res.body, res)`, CORS does): a text body still unread is copied as text.
    if (init instanceof LightResponse && init.#unreadText(body)) {
      this.#body = init.#body;
      this.#init = { status: init.status, statusText: init.#init?.statusText ?? '', headers: new Headers(init.headers) };
      return;
    }
    // Any other copy, and any body but text, is the platform's own.
    if (init instanceof LightResponse || init instanceof NativeResponse || !(body === undefined || body === null || typeof body === 'string')) {
      this.#native = new NativeResponse(body, init instanceof LightResponse ? init.native() : init);
      return;
    }
    this.#body = body;
    this.#init = init;
  }

  /** Whether `body` is this answer's text body as `body` handed it out, not read by anyone. */
  #unreadText(body: unknown): boolean {
    return typeof this.#body === 'string' && this.#native !== undefined && body === this.#native.body && !this.#native.bodyUsed;
  }

  /** The platform's Response, made once, when something needs more than the body as given. */
  native(): Response {
    if (!this.#native) {
      const init = this.#init;
      this.#native = new NativeResponse(this.#body, this.#headers ? { status: init?.status, statusText: init?.statusText, headers: this.#headers } : init);
    }
    return this.#native;
  }

  /** The string body as given, with status and headers, while nothing has needed the platform's Response; else undefined. */
  plain(): { status: number; body: string; headers: Headers } | undefined {
    if (this.#native) return undefined;
    return { status: this.status, body: (this.#body as string | null | undefined) ?? '', headers: this.headers };
  }

  get headers(): Headers {
    if (this.#native) return this.#native.headers;
    if (!this.#headers) {
      const given = this.#init?.headers;
      this.#headers = given instanceof Headers ? given : new Headers(given);
      // What the platform adds to a text body of no stated type.
      if (typeof this.#body === 'string' && !this.#headers.has('content-type')) this.#headers.set('content-type', 'text/plain;charset=UTF-8');
    }
    return this.#headers;
  }

  get status(): number {
    return this.#native ? this.#native.status : (this.#init?.status ?? 200);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

// Everything else a Response has, from the platform's, so that nothing reads a stale copy.
delegateToNative(LightResponse.prototype, ['body', 'bodyUsed', 'redirected', 'statusText', 'type', 'url'], BODY_METHODS);
Object.setPrototypeOf(LightResponse, NativeResponse);
Object.setPrototypeOf(LightResponse.prototype, NativeResponse.prototype);
