import { describe, expect, it } from 'vitest';
import { createGuanjiaClient, isProblem, orThrow, ProblemError, type Problem } from '@guanjia/client';

// The client over a recording transport: what it sends, and how it hands back answers.

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function recorder(answer: () => Response) {
  const sent: Sent[] = [];
  const fetch = async (request: Request) => {
    sent.push({ method: request.method, url: request.url, headers: Object.fromEntries(request.headers), body: await request.text() });
    return answer();
  };
  return { sent, fetch };
}

const json =
  (status: number, body: unknown, type = 'application/json') =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });

const problem: Problem = { type: 'urn:guanjia:problem:not_found', title: 'Not found', status: 404, detail: 'no customer c9', code: 'not_found' };

describe('the typed client', () => {
  it('sends the token as a bearer, the language, and the body as JSON to the documented path', async () => {
    const { sent, fetch } = recorder(json(200, { items: [], nextCursor: null }));
    const api = createGuanjiaClient({ baseUrl: 'https://api.example.com/', token: 't0k', language: 'zh-CN', fetch });
    await api.POST('/v1/customers/{id}/interactions', {
      params: { path: { id: 'c 1' } },
      body: { channel: 'call', summary: '周六来看房' },
    });
    await api.GET('/v1/tasks', { params: { query: { assigneeId: 'rep-li', limit: 5 } } });
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST https://api.example.com/v1/customers/c%201/interactions',
      'GET https://api.example.com/v1/tasks?assigneeId=rep-li&limit=5',
    ]);
    expect(sent[0]!.headers).toMatchObject({ authorization: 'Bearer t0k', 'accept-language': 'zh-CN', 'content-type': 'application/json' });
    expect(JSON.parse(sent[0]!.body)).toEqual({ channel: 'call', summary: '周六来看房' });
  });

  it('asks for the token before every request, so a refreshed token is used, and sends none when there is none', async () => {
    const { sent, fetch } = recorder(json(200, { items: [], nextCursor: null }));
    const tokens = ['first', 'second', undefined];
    const api = createGuanjiaClient({ baseUrl: 'https://api.example.com', getToken: async () => tokens.shift(), fetch });
    for (let i = 0; i < 3; i++) await api.GET('/v1/tasks');
    expect(sent.map((s) => s.headers.authorization ?? null)).toEqual(['Bearer first', 'Bearer second', null]);
    expect(sent[0]!.headers['accept-language']).toBeUndefined();
  });

  it('hands back a problem answer as a typed error, with no data', async () => {
    const { fetch } = recorder(json(404, problem, 'application/problem+json'));
    const api = createGuanjiaClient({ baseUrl: 'https://api.example.com', token: 't', fetch });
    const { data, error, response } = await api.GET('/v1/customers/{id}', { params: { path: { id: 'c9' } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    // `error` is typed as the document's Problem: its fields are read without a cast.
    expect(error?.code).toBe('not_found');
    expect(isProblem(error)).toBe(true);
  });

  it('throws a ProblemError from orThrow for a problem, and gives the data otherwise', async () => {
    const failing = createGuanjiaClient({ baseUrl: 'https://x', token: 't', fetch: recorder(json(404, problem, 'application/problem+json')).fetch });
    const thrown = await orThrow(failing.GET('/v1/customers/{id}', { params: { path: { id: 'c9' } } })).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ProblemError);
    expect((thrown as ProblemError).problem).toEqual(problem);

    const working = createGuanjiaClient({ baseUrl: 'https://x', token: 't', fetch: recorder(json(200, { items: [], nextCursor: null })).fetch });
    expect(await orThrow(working.GET('/v1/tasks'))).toEqual({ items: [], nextCursor: null });
  });

  it('throws a plain error from orThrow for an error answer that is not a problem, such as a gateway page', async () => {
    const gateway = () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } });
    const api = createGuanjiaClient({ baseUrl: 'https://x', token: 't', fetch: recorder(gateway).fetch });
    const thrown = await orThrow(api.GET('/v1/tasks')).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(ProblemError);
    expect(String(thrown)).toContain('502');
  });

  it('refuses at compile time a path, a field or a value the document lacks', async () => {
    const { sent, fetch } = recorder(json(200, {}));
    const api = createGuanjiaClient({ baseUrl: 'https://x', token: 't', fetch });
    // Each of these compiles only with its @ts-expect-error: `npm run typecheck` fails the day one of them becomes valid.
    // @ts-expect-error: no such route
    await api.GET('/v1/customer');
    // @ts-expect-error: an intake has no `email`
    await api.POST('/v1/customers', { body: { siteId: 's', name: 'n', phone: '13800138000', channel: 'walk_in', email: 'a@b.c' } });
    // @ts-expect-error: `fax` is not a channel
    await api.POST('/v1/customers', { body: { siteId: 's', name: 'n', phone: '13800138000', channel: 'fax' } });
    // @ts-expect-error: the path's id is required
    await api.GET('/v1/customers/{id}', {});
    // Types are the only guard: at run time the calls still go out as written.
    expect(sent).toHaveLength(4);
  });
});
