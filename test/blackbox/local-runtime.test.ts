import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The local runtime as a user meets it: `npm start` in a shell, tokens from the CLI, curl.
// Nothing of the packages is imported; everything goes through processes and HTTP.

const ROOT = resolve(import.meta.dirname, '../..');
const START = 'packages/local/src/start.ts';
const TOKEN_CLI = 'packages/local/src/token-cli.ts';
// Java takes seconds to start, more on a busy machine running other test files.
const START_TIMEOUT = 90_000;
const JWT_LINE = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;

interface Launched {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function runtimeEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
  // Whatever the surrounding shell set must not steer the runtime away from its defaults.
  for (const name of ['HOST', 'TABLE_NAME', 'DYNAMO_PORT']) delete env[name];
  return env;
}

/** `npm start` without npm: the same entry, with tsx loaded in-process so the pid is node's own. */
function launch(port: number, dataDir: string): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', START], { cwd: ROOT, env: runtimeEnv(port, dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForHealth(apiUrl: string, launched: Launched): Promise<void> {
  let gone = false;
  void launched.exited.then(() => (gone = true));
  const deadline = Date.now() + START_TIMEOUT;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the runtime exited while starting:\n${launched.stdout()}\n${launched.stderr()}`);
    try {
      const response = await fetch(`${apiUrl}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer from ${apiUrl}/health within ${START_TIMEOUT} ms:\n${launched.stdout()}\n${launched.stderr()}`);
}

/** Stops a runtime the way a test must never fail to: politely, then firmly. */
async function stop(launched: Launched | undefined, dataDir: string): Promise<void> {
  if (launched && launched.child.exitCode === null && launched.child.signalCode === null) {
    launched.child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000));
    if ((await Promise.race([launched.exited, timeout])) === 'timeout') launched.child.kill('SIGKILL');
  }
  // A node killed outright cannot take Java along; those are found by the data folder in their command line.
  for (const pid of javaOf(dataDir)) process.kill(pid, 'SIGKILL');
}

function javaOf(dataDir: string): number[] {
  const found = spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' });
  if (found.error) throw found.error;
  return found.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number);
}

interface Customer {
  id: string;
  phone: string;
  ownerId: string;
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

function mintToken(dataDir: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', TOKEN_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toMatch(JWT_LINE);
  return result.stdout.trim();
}

describe('the local runtime, started as a user starts it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-local-'));
  let port: number;
  let apiUrl: string;
  let runtime: Launched | undefined;
  let salesToken: string;
  let customerId: string;

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

  it('prints where the API and its docs are and how to get a token', () => {
    const banner = runtime!.stdout();
    expect(banner).toContain(apiUrl);
    expect(banner).toContain(`${apiUrl}/docs`);
    expect(banner).toContain(`${apiUrl}/openapi.json`);
    expect(banner).toContain('npm run token -- --role sales --sub rep-li --sites demo');
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

  it('mints the same way with the command the banner shows', () => {
    const result = spawnSync('npm', ['run', 'token', '--', '--role', 'manager', '--sub', 'mgr-demo', '--sites', 'demo'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(JWT_LINE);
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
    const { items } = await json<{ items: unknown[] }>(tasks);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'follow_up', status: 'open', customerId, assigneeId: 'rep-li' });
  });

  it('answers a request without a token with 401 problem+json', async () => {
    const response = await api('/v1/tasks?assigneeId=rep-li');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await json<{ status: number }>(response)).status).toBe(401);
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

  it('finds its data again after a restart, and does not seed twice', async () => {
    runtime = launch(port, dataDir);
    await waitForHealth(apiUrl, runtime);

    // The token minted before the restart still holds: the secret lives in the data folder.
    const customer = await api(`/v1/customers/${customerId}`, { token: salesToken });
    expect(customer.status).toBe(200);
    expect((await json<Customer>(customer)).phone).toBe('+8613800138000');

    const manager = mintToken(dataDir, '--role', 'manager', '--sub', 'mgr-demo', '--sites', 'demo');
    const staff = await api('/v1/sites/demo/staff', { token: manager });
    expect(staff.status).toBe(200);
    const { items } = await json<{ items: { id: string }[] }>(staff);
    expect(items.map((member) => member.id).sort()).toEqual(['mgr-demo', 'rep-li', 'rep-zhao', 'svc-chen']);
  }, START_TIMEOUT + 10_000);
});
