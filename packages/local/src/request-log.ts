import { maskPhonesIn } from '@guanjia/core';

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * One console line per request (method, path with its query, status, milliseconds), so that
 * a 4xx the console or a curl line got is seen where `npm start` runs. A phone in the query
 * (`?phone=13800138000`) is masked as every log line here is; bodies are never logged.
 */
export function loggedFetch(fetch: Fetch, log: (line: string) => void, now: () => number = () => performance.now()): Fetch {
  return async (request) => {
    const started = now();
    const url = new URL(request.url);
    const target = maskPhonesIn(decodeURIComponentSafe(`${url.pathname}${url.search}`));
    try {
      const response = await fetch(request);
      log(`${request.method} ${target} ${response.status} ${Math.round(now() - started)} ms`);
      return response;
    } catch (error) {
      log(`${request.method} ${target} failed ${Math.round(now() - started)} ms`);
      throw error;
    }
  };
}

/** A query as a person would read it (中文 and + signs), or as sent when it does not decode. */
function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
