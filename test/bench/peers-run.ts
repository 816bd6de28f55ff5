import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runNode } from '../support/bundles.ts';
import type { PeerBuild, PeerBundle } from './peers-build.ts';

/**
 * Runs peers-child.ts in fresh `node` processes with the handlers' environment and reads back
 * what it measured. The JWKS preload is loaded in every process, the same for each handler.
 */
export interface PeerRunner {
  /** Wall time of one fresh process from start to exit: the import, and the first answer if asked. */
  cold(bundle: PeerBundle, answer: boolean): Promise<number>;
  /** The handlers in one process, invoked in turn: per handler, each invocation's ms and the CPU µs of all. */
  warm(bundles: PeerBundle[], warmup: number, rounds: number): Promise<{ ms: number[][]; cpuMicros: number[] }>;
  /** One handler's RSS and heap after a full GC, before and after `n` invocations. */
  memory(bundle: PeerBundle, warmup: number, n: number, env?: Record<string, string>): Promise<MemoryFigures>;
}

export interface MemoryFigures {
  before: { rss: number; heapUsed: number };
  after: { rss: number; heapUsed: number };
}

export function peerRunner(built: PeerBuild, eventsFile: string, env: Record<string, string>): PeerRunner {
  let runs = 0;
  async function child<T>(mode: string, args: string[], options: { gc?: boolean; env?: Record<string, string> } = {}): Promise<T> {
    const out = join(built.dir, `out-${++runs}.json`);
    const flags = [...(options.gc ? ['--expose-gc'] : []), '--import', built.preload];
    const run = await runNode([...flags, built.child, mode, out, eventsFile, ...args], { cwd: built.dir, env: { ...env, ...options.env } });
    if (run.code !== 0) throw new Error(`peers ${mode} ${args.join(' ')}: node exited ${run.code}:\n${run.stderr.slice(-2000)}`);
    const text = await readFile(out, 'utf8');
    await rm(out, { force: true });
    return JSON.parse(text) as T;
  }
  return {
    async cold(bundle, answer) {
      const started = performance.now();
      await child('cold', [answer ? '1' : '0', bundle.file]);
      return performance.now() - started;
    },
    warm: (bundles, warmup, rounds) => child('warm', [String(warmup), String(rounds), ...bundles.map((b) => b.file)]),
    memory: (bundle, warmup, n, extra) => child('memory', [String(warmup), String(n), bundle.file], { gc: true, ...(extra ? { env: extra } : {}) }),
  };
}
