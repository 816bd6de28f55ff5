import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

export type { components, paths };
/** Every error answer of the API: `application/problem+json` (RFC 9457) with a stable `code`. */
export type Problem = components['schemas']['Problem'];
/** Typed by the committed `schema.d.ts`: a path, a field or a status the API lacks does not compile. */
export type GuanjiaClient = Client<paths>;
/** What the client sends through: `fetch` itself, or `wxFetch(wx)` in a mini-program. */
export type Transport = (request: Request) => Promise<Response>;

type Token = string | null | undefined;

export interface GuanjiaClientOptions {
  /** Where the API answers, without `/v1`: `https://api.example.com`, `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** A bearer token for every request. */
  token?: string;
  /** Asked before every request, for a token that is refreshed; nothing sends no `Authorization`. */
  getToken?: () => Token | Promise<Token>;
  /** `zh` or `zh-CN` for problem titles and details in Chinese; English otherwise. */
  language?: string;
  /** The global `fetch` unless given. */
  fetch?: Transport;
}

export function createGuanjiaClient(options: GuanjiaClientOptions): GuanjiaClient {
  const { baseUrl, token, getToken, language } = options;
  // The global is looked up at each request, so that a fetch polyfilled or stubbed after the
  // client was made is the one used.
  const client = createClient<paths>({ baseUrl, fetch: options.fetch ?? ((request) => globalThis.fetch(request)) });
  client.use({
    async onRequest({ request }) {
      const bearer = getToken ? await getToken() : token;
      if (bearer) request.headers.set('Authorization', `Bearer ${bearer}`);
      if (language) request.headers.set('Accept-Language', language);
    },
  });
  return client;
}

/** Whether a value is a problem answer's body, for the `error` of a call or a value caught. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const { status, code, title } = value as Record<string, unknown>;
  return typeof status === 'number' && typeof code === 'string' && typeof title === 'string';
}

/** A problem answer as a thrown error, for code that prefers `try` to checking `error`. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
    this.name = 'ProblemError';
  }
}

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful answer, or a `ProblemError`: `const site = await orThrow(api.POST(...))`.
 * An error answer that is not a problem (a gateway's own page) throws a plain `Error`.
 */
export async function orThrow<D>(call: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (response.ok) return data as D;
  if (isProblem(error)) throw new ProblemError(error);
  throw new Error(`${response.status} ${response.statusText || 'error'} from ${response.url || 'the API'}`);
}
