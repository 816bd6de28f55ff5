import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { functionEnv, runNode, synthBundles, type Bundle } from '../support/bundles.ts';
import type { Suite } from './harness.ts';
import { summarize } from './measure.ts';

const RUNS = 15;

/**
 * Stand-ins for what the template sets by reference. They let the cold start run to its end
 * (a pool id must look like one) and reach nothing: no AWS call is made while importing, and
 * the API gets its cursor secret as a value instead of an ARN to read from Secrets Manager.
 */
const STAND_INS: Record<string, string | undefined> = {
  TABLE_NAME: 'guanjia-bench',
  STAFF_USER_POOL_ID: 'ap-east-1_BenchStaff',
  STAFF_CLIENT_ID: 'bench-staff-client',
  OWNER_USER_POOL_ID: 'ap-east-1_BenchOwner',
  OWNER_CLIENT_ID: 'bench-owner-client',
  CURSOR_SECRET_ARN: undefined,
};

function coldStartEnv(bundle: Bundle): Record<string, string> {
  const values = Object.fromEntries(bundle.unresolved.map((name) => [name, name in STAND_INS ? STAND_INS[name] : `bench-${name.toLowerCase()}`]));
  if (bundle.unresolved.includes('CURSOR_SECRET_ARN')) values.CURSOR_SECRET = 'bench-cursor-secret-of-forty-characters!';
  return functionEnv(bundle, values);
}

interface Subject {
  name: string;
  bytes: number | null;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  ms: number[];
}

/** One fresh `node` to its exit, in wall-clock milliseconds; a failed start is an error, not a figure. */
async function timed(subject: Subject): Promise<number> {
  const started = performance.now();
  const run = await runNode(subject.args, { cwd: subject.cwd, env: subject.env });
  const ms = performance.now() - started;
  if (run.code !== 0) throw new Error(`${subject.name}: node exited ${run.code}:\n${run.stderr}`);
  return ms;
}

/** Nearest rank, as measure.ts takes its percentiles: an observed time, never an interpolated one. */
const p90 = (ms: number[]): number => [...ms].sort((a, b) => a - b)[Math.ceil(0.9 * ms.length) - 1] ?? NaN;

/**
 * The deployed bundles' size and cold import: each function's `index.mjs` from `cdk synth`,
 * imported in a fresh Node process with the function's environment, against a bare
 * `node -e 0`, in interleaved rounds so that noise from the shared machine falls on all alike.
 */
export const bundlesSuite: Suite = {
  name: 'bundles',
  // No DynamoDB Local: a JVM starting beside the imports would be in their timings.
  standalone: true,
  async run() {
    const synthStarted = performance.now();
    const bundles = await synthBundles();
    const synthMs = performance.now() - synthStarted;
    try {
      const bare: Subject = {
        name: 'bare node (node -e 0)',
        bytes: null,
        args: ['-e', '0'],
        cwd: bundles.outdir,
        env: { PATH: process.env.PATH ?? '' },
        ms: [],
      };
      const subjects: Subject[] = [
        bare,
        ...bundles.bundles.map((bundle) => ({
          name: bundle.name,
          bytes: bundle.bytes,
          args: ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(bundle.entry).href)});`],
          cwd: bundle.dir,
          env: coldStartEnv(bundle),
          ms: [],
        })),
      ];
      // One unmeasured start each: the bundle files into the page cache, a broken start found before timing.
      for (const subject of subjects) await timed(subject);
      for (let round = 0; round < RUNS; round++) {
        const shift = round % subjects.length;
        for (const subject of [...subjects.slice(shift), ...subjects.slice(0, shift)]) subject.ms.push(await timed(subject));
      }

      const bareMedian = summarize(bare.ms).medianMs;
      const figures = subjects.map((s) => {
        const median = summarize(s.ms).medianMs;
        return { name: s.name, bytes: s.bytes, medianMs: median, p90Ms: p90(s.ms), overBareMs: median - bareMedian, ratio: median / bareMedian };
      });
      const kib = (bytes: number | null) => (bytes === null ? '-' : `${(bytes / 1024).toFixed(1)} KiB`);
      return {
        suite: 'bundles',
        setup: `each function's index.mjs from cdk synth (stage test, esbuild, minified ESM), imported by a fresh node with the function's environment; ${RUNS} runs each, interleaved with a bare node`,
        ops: [],
        comparisons: [],
        tables: [
          {
            title: 'Bundle size and cold import (wall time of a fresh node process, start to exit)',
            columns: ['function', 'bytes', 'size', 'median ms', 'p90 ms', 'over bare ms', 'x bare node'],
            rows: figures.map((f) => [
              f.name,
              f.bytes === null ? '-' : String(f.bytes),
              kib(f.bytes),
              f.medianMs.toFixed(1),
              f.p90Ms.toFixed(1),
              f.overBareMs.toFixed(1),
              f.ratio.toFixed(2),
            ]),
            rightAligned: [1, 2, 3, 4, 5, 6],
            notes: [
              `bare node median ${bareMedian.toFixed(1)} ms (${process.version}); the jobs share one bundle and differ by JOB_NAME`,
              'the import runs the cold-start code (config check, clients built); the SDK endpoints point nowhere and the API gets its cursor secret as a value',
              `synthesis with bundling took ${(synthMs / 1000).toFixed(1)} s`,
            ],
          },
        ],
        figures: { bundles: { runs: RUNS, synthMs, functions: figures } },
      };
    } finally {
      await bundles.remove();
    }
  },
};
