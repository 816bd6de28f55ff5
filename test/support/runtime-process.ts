import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { expect } from 'vitest';

// Processes as a user starts them: `npm start` and the CLIs, with nothing of the packages imported.

export const ROOT = resolve(import.meta.dirname, '../..');
export const START = 'packages/local/src/start.ts';
export const TOKEN_CLI = 'packages/local/src/token-cli.ts';
// Java takes seconds to start, more on a busy machine running other test files, and a first
// start tells the demo site's history on top.
export const START_TIMEOUT = 150_000;
export const JWT_LINE = /^[\w-]+\.[\w-]+\.[\w-]+\n$/;

export interface Launched {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export function runtimeEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
  // Whatever the surrounding shell set must not steer the runtime away from its defaults.
  for (const name of ['HOST', 'TABLE_NAME', 'DYNAMO_PORT']) delete env[name];
  return env;
}

/** `npm start` without npm: the same entry, with tsx loaded in-process so the pid is node's own. */
export function launch(port: number, dataDir: string): Launched {
  return watch(spawn(process.execPath, ['--import', 'tsx', START], { cwd: ROOT, env: runtimeEnv(port, dataDir), stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** `npm start` itself, as a supervisor runs it: the child is npm, whatever it starts beneath. */
export function launchNpmStart(port: number, dataDir: string): Launched {
  return watch(spawn('npm', ['start'], { cwd: ROOT, env: runtimeEnv(port, dataDir), stdio: ['ignore', 'pipe', 'pipe'] }));
}

function watch(child: ChildProcess): Launched {
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitForHealth(apiUrl: string, launched: Launched): Promise<void> {
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
export async function stop(launched: Launched | undefined, dataDir: string): Promise<void> {
  if (launched && launched.child.exitCode === null && launched.child.signalCode === null) {
    launched.child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000));
    if ((await Promise.race([launched.exited, timeout])) === 'timeout') launched.child.kill('SIGKILL');
  }
  // A node killed outright cannot take Java along; those are found by the data folder in their command line.
  for (const pid of javaOf(dataDir)) process.kill(pid, 'SIGKILL');
}

/** Every live process below `pid`: what a signal to it must take down. */
export function descendantsOf(pid: number): number[] {
  const table = spawnSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  if (table.error) throw table.error;
  const children = new Map<number, number[]>();
  for (const line of table.stdout.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (!child || parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length; ) {
    const next = children.get(queue.shift()!) ?? [];
    found.push(...next);
    queue.push(...next);
  }
  return found;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function javaOf(dataDir: string): number[] {
  const found = spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' });
  if (found.error) throw found.error;
  return found.stdout.split('\n').filter(Boolean).map(Number);
}

export interface Customer {
  id: string;
  phone: string;
  ownerId: string;
}

export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export function mintToken(dataDir: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', TOKEN_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toMatch(JWT_LINE);
  return result.stdout.trim();
}
