import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  javaOf,
  json,
  JWT_LINE,
  launch,
  mintToken,
  ROOT,
  START_TIMEOUT,
  stop,
  TOKEN_CLI,
  waitForHealth,
  type Customer,
  type Launched,
} from '../support/runtime-process.ts';

// The local runtime as a user meets it: `npm start` in a shell, tokens from the CLI, curl.
// Nothing of the packages is imported; everything goes through processes and HTTP.

const BANNER_FIRST_LINE = 'Guanjia local runtime is up.';

/** What the server answers to bytes that no HTTP client would send, read until it closes. */
function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((done, fail) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => done(answer));
    socket.on('error', fail);
  });
}

/** The lines printed before the banner, which must come last in a start's output. */
function progressBeforeBanner(stdout: string): string[] {
  const at = stdout.indexOf(BANNER_FIRST_LINE);
  expect(at, stdout).toBeGreaterThan(-1);
  return stdout.slice(0, at).split('\n').filter(Boolean);
}

describe('the local runtime, started as a user starts it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-local-'));
  let port: number;
  let apiUrl: string;
  let runtime: Launched | undefined;
  let salesToken: string;
  let customerId: string;
  let leadsBeforeRestart: number;
  const leadsNow = async (token: string) =>
    (await json<{ totals: { total: number } }>(await api('/v1/reports/intent-levels?siteId=demo', { token }))).totals.total;

  const api = (path: string, init: RequestInit & { token?: string } = {}) => {
    const { token, headers, ...rest } = init;
    return fetch(`${apiUrl}${path}`, {
      ...rest,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(rest.body ? { 'content-type': 'application/json' } : {}), ...headers },
    });
  };

  beforeAll(async () => {
    port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    runtime = launch(port, dataDir);
    await waitForHealth(apiUrl, runtime);
  }, START_TIMEOUT + 10_000);

  afterAll(async () => {
    await stop(runtime, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('tells each step of a first start as it goes, the seeding included, before the banner', () => {
    expect(progressBeforeBanner(runtime!.stdout())).toEqual([
      expect.stringMatching(/^Starting DynamoDB Local \(Java\) on 127\.0\.0\.1:\d+\.\.\.$/),
      expect.stringMatching(/^DynamoDB Local is up \(\d+\.\d s\)\.$/),
      'Table guanjia is ready.',
      "Seeding the demo site's history...",
      expect.stringMatching(/^Seeded the demo site with 17 days of history \(\d+ facts, \d+\.\d s\)\.$/),
    ]);
  });

  it('prints where the API and its docs are and how to get a token', () => {
    const banner = runtime!.stdout();
    expect(banner).toContain(apiUrl);
    expect(banner).toContain(`${apiUrl}/docs`);
    expect(banner).toContain(`${apiUrl}/openapi.json`);
    // Quiet (-s), so that `$(...)` holds the token whatever npm's log level; one line per role.
    const lines = banner.split('\n').map((line) => line.trim());
    const prefix = `DATA_DIR=${dataDir} npm run -s token --`;
    expect(lines).toContain(`TOKEN=$(${prefix} --role sales --sub rep-li --sites demo)`);
    expect(lines).toContain(`${prefix} --role manager --sub mgr-demo --sites demo`);
    expect(lines).toContain(`${prefix} --role service --sub svc-chen --sites demo`);
    expect(lines).toContain(`${prefix} --role designer --sub des-wang --sites demo`);
    expect(lines).toContain(`${prefix} --role admin --sub you`);
    expect(lines).toContain(`${prefix} --role owner --sub o1 --phone 13800138000`);
    expect(banner).not.toMatch(/npm run token/);
    expect(banner).toContain(dataDir);
  });

  it('mints tokens through the CLI with nothing but the token on stdout', () => {
    salesToken = mintToken(dataDir, '--role', 'sales', '--sub', 'rep-li', '--sites', 'demo');
    const refused = spawnSync(process.execPath, ['--import', 'tsx', TOKEN_CLI, '--role', 'boss', '--sub', 'x'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('usage:');
  });

  it("mints an owner's token from the phone as the API takes it, and refuses a wrong one in one line with exit code 2", () => {
    const token = mintToken(dataDir, '--role', 'owner', '--sub', 'o1', '--phone', '138 0013 8000');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { phone: string };
    expect(claims.phone).toBe('+8613800138000');
    const refused = spawnSync(process.execPath, ['--import', 'tsx', TOKEN_CLI, '--role', 'owner', '--sub', 'o1', '--phone', '1380013'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^error: --phone "1380013" is not a valid phone number[^\n]*\n$/);
  });

  it('mints the same way with the command the banner shows, with or without npm silenced by .npmrc', () => {
    // npm_config_loglevel outranks the project's .npmrc and -s outranks it: `notice` stands for an .npmrc without `loglevel=silent`.
    for (const loglevel of [undefined, 'notice']) {
      const result = spawnSync('npm', ['run', '-s', 'token', '--', '--role', 'manager', '--sub', 'mgr-demo', '--sites', 'demo'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, ...(loglevel ? { npm_config_loglevel: loglevel } : {}) },
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout, `loglevel ${loglevel ?? 'from .npmrc'}`).toMatch(JWT_LINE);
    }
  }, 30_000);

  it('takes in a customer over HTTP and opens the first follow-up', async () => {
    const created = await api('/v1/customers', {
      method: 'POST',
      token: salesToken,
      body: JSON.stringify({ siteId: 'demo', name: '张伟', phone: '13800138000', channel: 'walk_in' }),
    });
    const body = await json<{ customer: Customer }>(created);
    expect(created.status, JSON.stringify(body)).toBe(201);
    expect(body.customer.phone).toBe('+8613800138000');
    expect(body.customer.ownerId).toBe('rep-li');
    customerId = body.customer.id;

    const tasks = await api('/v1/tasks?assigneeId=rep-li', { token: salesToken });
    expect(tasks.status).toBe(200);
    const { items } = await json<{ items: { customerId: string }[] }>(tasks);
    // The demo history left rep-li follow-ups of other customers.
    const mine = items.filter((task) => task.customerId === customerId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'follow_up', status: 'open', customerId, assigneeId: 'rep-li' });
  });

  it("has the demo site's history from its first start: registrations on each of the last 14 days", async () => {
    const manager = mintToken(dataDir, '--role', 'manager', '--sub', 'mgr-demo', '--sites', 'demo');
    const today = await json<{ date: string }>(await api('/v1/reports/daily-activity?siteId=demo', { token: manager }));
    const from = new Date(Date.parse(`${today.date}T00:00:00Z`) - 13 * 86_400_000).toISOString().slice(0, 10);
    const registrations = await api(`/v1/reports/registrations?siteId=demo&from=${from}&to=${today.date}`, { token: manager });
    expect(registrations.status).toBe(200);
    const { rows } = await json<{ rows: { date: string }[] }>(registrations);
    expect(new Set(rows.map((row) => row.date)).size).toBe(14);
    leadsBeforeRestart = await leadsNow(manager);
  });

  it('answers a request without a token with 401 problem+json', async () => {
    const response = await api('/v1/tasks?assigneeId=rep-li');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await json<{ status: number }>(response)).status).toBe(401);
  });

  it('prints one line per request with its method, path, status and time, the phone in the query masked', async () => {
    const response = await api('/v1/customers?siteId=demo&phone=13800138000');
    expect(response.status).toBe(401);
    // The line is written before the answer leaves, but reaches this process through a pipe.
    const line = /^GET \/v1\/customers\?siteId=demo&phone=138\*\*\*\*8000 401 \d+ ms$/m;
    const deadline = Date.now() + 5_000;
    while (!line.test(runtime!.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const output = runtime!.stdout();
    expect(output).toMatch(line);
    // The banner's examples print a whole number as commands to copy; what follows it is the log.
    const bannerEnd = output.indexOf('Press Ctrl+C to stop.');
    expect(bannerEnd).toBeGreaterThan(-1);
    const logged = output.slice(bannerEnd);
    expect(`${logged}${runtime!.stderr()}`).not.toContain('13800138000');
  });

  it("answers headers over node's limit with 431 problem+json, as every other error", async () => {
    const response = await fetch(`${apiUrl}/v1/tasks?assigneeId=rep-li`, {
      headers: { authorization: `Bearer ${salesToken}`, 'x-padding': 'x'.repeat(20_000) },
    });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await json<{ status: number; code: string }>(response)).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it("answers a token caught with npm's script header, sent as curl sends it, with 400 naming npm run -s token", async () => {
    const token = `\n> token\n> tsx packages/local/src/token-cli.ts --role sales --sub rep-li --sites demo\n\n${salesToken}`;
    const answer = await rawRequest(port, `GET /v1/tasks?assigneeId=rep-li HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('npm run -s token');
  });

  it('refuses a second runtime on the same data folder', async () => {
    const second = launch(await freePort(), dataDir);
    try {
      expect(await second.exited).toBe(1);
      expect(second.stderr()).toContain('in use');
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 30_000);

  it('stops on SIGINT with exit code 0 and leaves no Java behind', async () => {
    runtime!.child.kill('SIGINT');
    expect(await runtime!.exited).toBe(0);
    expect(runtime!.stdout()).toMatch(/stopped\n$/);
    expect(javaOf(dataDir)).toEqual([]);
  }, 30_000);

  it(
    'finds its data again after a restart, and does not seed twice',
    async () => {
      runtime = launch(port, dataDir);
      await waitForHealth(apiUrl, runtime);
      expect(progressBeforeBanner(runtime.stdout())).toEqual([
        expect.stringMatching(/^Starting DynamoDB Local \(Java\) on 127\.0\.0\.1:\d+\.\.\.$/),
        expect.stringMatching(/^DynamoDB Local is up \(\d+\.\d s\)\.$/),
        'Table guanjia is ready.',
        'Demo site found from an earlier run.',
      ]);

      // The token minted before the restart still holds: the secret lives in the data folder.
      const customer = await api(`/v1/customers/${customerId}`, { token: salesToken });
      expect(customer.status).toBe(200);
      expect((await json<Customer>(customer)).phone).toBe('+8613800138000');

      const manager = mintToken(dataDir, '--role', 'manager', '--sub', 'mgr-demo', '--sites', 'demo');
      const staff = await api('/v1/sites/demo/staff', { token: manager });
      expect(staff.status).toBe(200);
      const { items } = await json<{ items: { id: string }[] }>(staff);
      expect(items.map((member) => member.id).sort()).toEqual(['des-wang', 'mgr-demo', 'rep-li', 'rep-zhao', 'svc-chen']);
      expect(await leadsNow(manager)).toBe(leadsBeforeRestart);
    },
    START_TIMEOUT + 10_000,
  );
});
