import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, javaOf, json, launch, mintToken, START_TIMEOUT, stop, waitForHealth, type Customer, type Launched } from '../support/runtime-process.ts';

// DynamoDB Local killed under the running API, as the OOM killer or a stray `kill` would:
// the API says so with 503s a client can retry, and the runtime brings the database back.

interface Answer {
  at: number;
  status: number;
  retryAfter: string | null;
  contentType: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

describe('the local runtime when DynamoDB Local dies', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-dead-db-'));
  let apiUrl: string;
  let runtime: Launched | undefined;
  let token: string;

  beforeAll(async () => {
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    runtime = launch(port, dataDir);
    await waitForHealth(apiUrl, runtime);
    token = mintToken(dataDir, '--role', 'sales', '--sub', 'rep-li', '--sites', 'demo');
  }, START_TIMEOUT + 10_000);

  afterAll(async () => {
    await stop(runtime, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  const get = (path: string) => fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers 503 with Retry-After within seconds under load, then serves the same data once it has restarted it', async () => {
    const created = await fetch(`${apiUrl}/v1/customers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteId: 'demo', name: '王芳', phone: '13900139000', channel: 'walk_in' }),
    });
    expect(created.status).toBe(201);
    const { customer } = await json<{ customer: Customer }>(created);

    const answers: Answer[] = [];
    let loading = true;
    const worker = async () => {
      while (loading) {
        const response = await get('/v1/tasks?assigneeId=rep-li').catch(() => undefined);
        if (!response) continue;
        await response.arrayBuffer();
        answers.push({
          at: Date.now(),
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          contentType: response.headers.get('content-type'),
        });
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, worker));
    try {
      await sleep(500);
      const [java] = javaOf(dataDir);
      expect(java).toBeDefined();
      const killedAt = Date.now();
      process.kill(java!, 'SIGKILL');

      const health = await until('/health 503', 5_000, async () => {
        const response = await fetch(`${apiUrl}/health`);
        return response.status === 503 ? response : undefined;
      });
      expect(health.headers.get('content-type')).toBe('application/problem+json');
      expect(health.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await health.json()).toMatchObject({ status: 503, code: 'unavailable' });

      const first503 = await until('a request answered 503', 5_000, async () => answers.find((answer) => answer.at > killedAt && answer.status === 503));
      expect(first503.at - killedAt).toBeLessThan(5_000);
      expect(first503).toMatchObject({ contentType: 'application/problem+json', retryAfter: expect.stringMatching(/^\d+$/) });
      // Nothing in between: an unreachable database is never a 500.
      expect(answers.filter((answer) => answer.at > killedAt && answer.status !== 200 && answer.status !== 503)).toEqual([]);

      await until('/health 200 again', 60_000, async () => ((await fetch(`${apiUrl}/health`)).ok ? true : undefined));
    } finally {
      loading = false;
      await load;
    }
    const again = await get(`/v1/customers/${customer.id}`);
    expect(again.status).toBe(200);
    expect((await json<Customer>(again)).phone).toBe('+8613900139000');
    expect(runtime!.stdout()).toMatch(/DynamoDB Local stopped unexpectedly \(killed by SIGKILL\); restarting it on port \d+/);

    // Hundreds of failed requests, a handful of lines: one per kind per interval, no stacks.
    const failed = answers.filter((answer) => answer.status === 503).length;
    const lines = runtime!
      .stderr()
      .split('\n')
      .filter((line) => line.includes('database unavailable'));
    expect(failed).toBeGreaterThan(lines.length);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(runtime!.stderr()).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('stops and exits 1, saying why, when DynamoDB Local dies again as it is brought back', async () => {
    const [java] = javaOf(dataDir);
    process.kill(java!, 'SIGKILL');
    const restarted = await until('a new DynamoDB Local', 10_000, async () => javaOf(dataDir).find((pid) => pid !== java));
    process.kill(restarted, 'SIGKILL');
    expect(await runtime!.exited).toBe(1);
    expect(runtime!.stderr()).toMatch(/^Stopping: DynamoDB Local died .*\n/m);
    expect(javaOf(dataDir)).toEqual([]);
  }, 60_000);
});
