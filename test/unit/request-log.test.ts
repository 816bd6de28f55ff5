import { describe, expect, it } from 'vitest';
import { loggedFetch } from '@guanjia/local/request-log';

describe('the request log of npm start', () => {
  it('prints method, path with query, status and milliseconds, one line per request, with phones masked', async () => {
    const lines: string[] = [];
    let clock = 0;
    const fetch = loggedFetch(
      async () => {
        clock += 12;
        return new Response('{}', { status: 404 });
      },
      (line) => lines.push(line),
      () => clock,
    );
    const response = await fetch(new Request('http://127.0.0.1:3000/v1/customers?siteId=demo&phone=13800138000'));
    expect(response.status).toBe(404);
    expect(lines).toEqual(['GET /v1/customers?siteId=demo&phone=138****8000 404 12 ms']);
  });

  it('says a request failed when the app threw, and lets the error through', async () => {
    const lines: string[] = [];
    const fetch = loggedFetch(
      async () => {
        throw new Error('boom');
      },
      (line) => lines.push(line),
      () => 0,
    );
    await expect(fetch(new Request('http://127.0.0.1:3000/health', { method: 'POST' }))).rejects.toThrow('boom');
    expect(lines).toEqual(['POST /health failed 0 ms']);
  });
});
