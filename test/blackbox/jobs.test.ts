import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launch, mintToken, ROOT, START_TIMEOUT, stop, waitForHealth, type Launched } from '../support/runtime-process.ts';

const JOB_CLI = 'packages/local/src/job-cli.ts';

/** `npm run job -- <name> --date <day>` without npm, as the other CLIs are run here. */
const spawnJob = (dataDir: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', JOB_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: START_TIMEOUT,
  });

function runJob(dataDir: string, ...args: string[]) {
  const result = spawnJob(dataDir, ...args);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/**
 * The day after tomorrow in Asia/Shanghai (UTC+8 all year), the jobs' zone: two days on, not
 * one, so that a run started just before Shanghai's midnight still names a day after today.
 */
const laterInShanghai = () => new Date(Date.now() + (8 + 48) * 3_600_000).toISOString().slice(0, 10);

/** The day three months before `day`, so that a delivery then has its living check due on `day`. */
const threeMonthsBefore = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 - 3, d));
  return date.toISOString().slice(0, 10);
};

describe('scheduled jobs, run from the command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-jobs-'));
  const day = '2026-11-16';
  let runtime: Launched | undefined;
  let apiUrl: string;
  let service: string;
  let customerId: string;

  const api = async (path: string, token: string, body?: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    runtime = launch(port, dataDir);
    await waitForHealth(apiUrl, runtime);
    service = mintToken(dataDir, '--role', 'service', '--sub', 'svc-chen', '--sites', 'demo');
    const rep = mintToken(dataDir, '--role', 'sales', '--sub', 'rep-li', '--sites', 'demo');
    const created = await api('/v1/customers', rep, { siteId: 'demo', name: '郑洁', phone: '13912345678', channel: 'walk_in', smsConsent: true });
    customerId = created.body.customer.id;
    const delivered = await api(`/v1/customers/${customerId}/deliveries`, service, {
      asset: { kind: 'home', label: '5栋302' },
      deliveredOn: threeMonthsBefore(day),
    });
    expect(delivered.body.callbacks[0].dueOn).toBe(day);
  }, START_TIMEOUT + 30_000);

  afterAll(async () => {
    await stop(runtime, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("rebuilds the demo site's report figures from its records and finds them as its facts kept them", () => {
    const report = runJob(dataDir, 'reports-rebuild', '--site', 'demo');
    expect(report).toMatchObject({ job: 'reports-rebuild', siteId: 'demo', differences: 0, fixed: 0, list: [] });
    expect(report.compared).toBeGreaterThan(0);
  }, 60_000);

  it('runs against the running runtime, and the dispatcher takes the SMS from the stream', async () => {
    const report = runJob(dataDir, 'callbacks', '--date', day);
    expect(report).toMatchObject({ job: 'callbacks', asOf: '2026-11-16T01:30:00.000Z', due: 1, announced: 1 });
    // Sent now or deferred to 09:00 by quiet hours, depending on the hour the test runs at: never left queued.
    let state = 'queued';
    for (let i = 0; i < 50 && state === 'queued'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await api(`/v1/customers/${customerId}/messages`, service)).body.items[0]?.state ?? 'none';
    }
    expect(['sent', 'deferred']).toContain(state);
    expect(runJob(dataDir, 'callbacks', '--date', day)).toMatchObject({ due: 0, announced: 0 });
  }, 60_000);

  it('refuses a day after today in one line with exit code 2, and runs it only when told --future', () => {
    const later = laterInShanghai();
    for (const when of [
      ['--date', later],
      ['--at', `${later}T00:05:00+08:00`],
    ]) {
      const refused = spawnJob(dataDir, 'callbacks', ...when);
      expect(refused.status).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(new RegExp(`^refused: ${later} is after today [^\\n]*--future[^\\n]*\\n$`));
    }
    expect(runJob(dataDir, 'outbox', '--at', `${later}T09:00:00+08:00`, '--future')).toMatchObject({ job: 'outbox' });
  }, 60_000);

  it(
    'runs with the runtime stopped too, on the same data',
    async () => {
      await stop(runtime, dataDir);
      runtime = undefined;
      expect(runJob(dataDir, 'callbacks', '--date', '2026-11-17')).toMatchObject({ days: ['2026-11-17'], due: 0 });
      expect(runJob(dataDir, 'outbox', '--at', '2026-11-17T09:00:00+08:00')).toMatchObject({ job: 'outbox' });
    },
    START_TIMEOUT,
  );
});
