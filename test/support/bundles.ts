import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/**
 * The Lambda bundles exactly as `cdk synth` builds them (esbuild through NodejsFunction,
 * locally, no Docker), and a way to run one as Lambda would: a fresh `node` per invocation,
 * the function's environment, the handler the template names, the event in, the result out.
 * The tests and `npm run bench` share it; nothing here imports vitest.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const THIS_MODULE = pathToFileURL(import.meta.filename).href;
const RESULT_FILE = 'bundles.json';

export interface Bundle {
  /** `api`, `sms`, or `job:<name>` for each scheduled job. */
  name: string;
  /** The `AWS::Lambda::Function` in the template. */
  logicalId: string;
  /** The template's `Handler`: `<file without .mjs>.<export>`. */
  handler: string;
  /** The asset folder in the cloud assembly, `asset.<hash>`, which Lambda gets zipped. */
  dir: string;
  /** The bundle itself, `index.mjs`. */
  entry: string;
  /** esbuild's metafile, `index.meta.json`. */
  metafile: string;
  /** Size of `index.mjs` in bytes. */
  bytes: number;
  /** Variables the template sets to a literal value. */
  environment: Record<string, string>;
  /** Variables the template sets to a CloudFormation reference (a table name, a pool id): whoever runs the bundle supplies them. */
  unresolved: string[];
}

export interface Bundles {
  /** The cloud assembly folder (a temporary one). */
  outdir: string;
  bundles: Bundle[];
  /** The bundle of the function named so; throws when there is none. */
  get(name: string): Bundle;
  /** Deletes the assembly. */
  remove(): Promise<void>;
}

/**
 * Synthesizes the stage `test` of the CDK app into `outdir` in this process, cdk-nag
 * included (a finding fails the synthesis), and describes each function's bundle.
 */
export async function synthesizeBundles(outdir: string): Promise<Bundle[]> {
  // Loaded here, so that a caller of `synthBundles` does not load the CDK it never runs.
  const { App } = await import('aws-cdk-lib');
  const { NodejsFunction } = await import('aws-cdk-lib/aws-lambda-nodejs');
  const { createApp } = await import('../../infra/create-app.ts');
  const { app, stack } = createApp(new App({ outdir, context: { stage: 'test' } }));
  const named = new Map<InstanceType<typeof NodejsFunction>, string>([
    [stack.api.function.fn, 'api'],
    [stack.dispatcher.function.fn, 'sms'],
    [stack.imports.function.fn, 'imports'],
    ...stack.jobs.jobs.map((job) => [job.function.fn, `job:${job.schedule.job}`] as const),
  ]);
  const unknown = stack.node.findAll().filter((c) => c instanceof NodejsFunction && !named.has(c));
  if (unknown.length) throw new Error(`functions this helper does not name yet: ${unknown.map((c) => c.node.path).join(', ')}`);

  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Properties: Record<string, any> }> };
  return Promise.all(
    [...named].map(async ([fn, name]) => {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
      const props = template.Resources[logicalId]?.Properties;
      const hash = /^([0-9a-f]{64})\.zip$/.exec(String(props?.Code?.S3Key))?.[1];
      if (!props || !hash) throw new Error(`${name}: no ${logicalId} with an asset S3Key in the template`);
      const dir = join(outdir, `asset.${hash}`);
      const entry = join(dir, 'index.mjs');
      const variables = Object.entries((props.Environment?.Variables ?? {}) as Record<string, unknown>);
      return {
        name,
        logicalId,
        handler: String(props.Handler),
        dir,
        entry,
        metafile: join(dir, 'index.meta.json'),
        bytes: (await stat(entry)).size,
        environment: Object.fromEntries(variables.filter((v): v is [string, string] => typeof v[1] === 'string')),
        unresolved: variables.filter(([, value]) => typeof value !== 'string').map(([key]) => key),
      };
    }),
  );
}

/**
 * `synthesizeBundles` in a child process, in a new temporary folder: the CDK and esbuild
 * print their progress there (shown only when synthesis fails), and the caller's process
 * stays free of the CDK. Takes several seconds.
 */
export async function synthBundles(): Promise<Bundles> {
  const outdir = await mkdtemp(join(tmpdir(), 'guanjia-bundles-'));
  const script = [
    `import { writeFileSync } from 'node:fs';`,
    `const { synthesizeBundles } = await import(${JSON.stringify(THIS_MODULE)});`,
    `const outdir = ${JSON.stringify(outdir)};`,
    `writeFileSync(outdir + '/${RESULT_FILE}', JSON.stringify(await synthesizeBundles(outdir)));`,
  ].join('\n');
  const run = await runNode(['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, env: process.env });
  if (run.code !== 0) {
    await rm(outdir, { recursive: true, force: true });
    throw new Error(`synthesis failed (exit ${run.code}):\n${run.stderr}\n${run.stdout}`);
  }
  const bundles = JSON.parse(await readFile(join(outdir, RESULT_FILE), 'utf8')) as Bundle[];
  return {
    outdir,
    bundles,
    get: (name) => {
      const found = bundles.find((b) => b.name === name);
      if (!found) throw new Error(`no bundle '${name}'; there are ${bundles.map((b) => b.name).join(', ')}`);
      return found;
    },
    remove: () => rm(outdir, { recursive: true, force: true }),
  };
}

/** An endpoint nothing listens on: an AWS call nobody routed fails at once instead of leaving the machine. */
export const NOWHERE = 'http://127.0.0.1:9';

/**
 * What the bundle finds in `process.env`: what Lambda's runtime sets, the template's literal
 * variables, then `values`. Every variable the template leaves to CloudFormation must be
 * given a value, or `undefined` to leave it out (`CURSOR_SECRET_ARN` when the test passes
 * `CURSOR_SECRET`), so a variable added to the stack cannot go unnoticed here.
 */
export function functionEnv(bundle: Bundle, values: Record<string, string | undefined>): Record<string, string> {
  const missing = bundle.unresolved.filter((name) => !(name in values));
  if (missing.length) throw new Error(`${bundle.name}: the template sets ${missing.join(', ')} by reference; give a value or undefined`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: 'UTC',
    LANG: 'en_US.UTF-8',
    _HANDLER: bundle.handler,
    LAMBDA_TASK_ROOT: bundle.dir,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionNameOf(bundle),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: 'ap-east-1',
    // Not the shared config and credentials files of whoever runs this: files that do not exist.
    AWS_CONFIG_FILE: join(dirname(bundle.dir), 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dirname(bundle.dir), 'no-aws-credentials'),
    AWS_ENDPOINT_URL: NOWHERE,
    // Lambda runs Node 24, where the SDK has no end-of-support notice to print; this machine runs 20.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...bundle.environment,
  };
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

const functionNameOf = (bundle: Bundle): string => `guanjia-test-${bundle.name.replace(':', '-')}`;

/** One invocation's outcome, as Lambda would report it, with what the function printed. */
export interface Invocation<T = unknown> {
  /** What the handler returned; undefined when it threw. */
  result: T | undefined;
  /** What it threw (at cold start or in the handler), as Lambda reports it. */
  error: { errorType: string; errorMessage: string } | undefined;
  /** The JSON lines of stdout and stderr (Powertools' log lines and metrics), as CloudWatch Logs would get them. */
  lines: Record<string, any>[];
  stdout: string;
  stderr: string;
  ms: number;
}

// The smallest Lambda runtime: import the bundle (cold start), call the handler once with
// the event from stdin and a context, write the outcome to the file named by argv[1].
const RUNTIME = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [, out, functionName] = process.argv;
const [file, name] = process.env._HANDLER.split('.');
let outcome;
try {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const handler = (await import(pathToFileURL(join(process.env.LAMBDA_TASK_ROOT, file + '.mjs')).href))[name];
  if (typeof handler !== 'function') throw new TypeError(process.env._HANDLER + ' is not a function');
  const deadline = Date.now() + 30000;
  const context = {
    functionName, functionVersion: '$LATEST', awsRequestId: crypto.randomUUID(),
    invokedFunctionArn: 'arn:aws:lambda:ap-east-1:123456789012:function:' + functionName,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, logGroupName: '/aws/lambda/' + functionName,
    logStreamName: 'local', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  outcome = { result: (await handler(event, context)) ?? null };
} catch (error) {
  outcome = { error: { errorType: error?.name ?? typeof error, errorMessage: error?.message ?? String(error) } };
}
writeFileSync(out, JSON.stringify(outcome));
process.exit(0);
`;

let invocations = 0;

/** Invokes the bundle's handler once, in a fresh `node` with `env` (see `functionEnv`) and nothing else. */
export async function invokeBundle<T = unknown>(bundle: Bundle, event: unknown, env: Record<string, string>): Promise<Invocation<T>> {
  const out = join(dirname(bundle.dir), `invocation-${process.pid}-${++invocations}.json`);
  await writeFile(out, '');
  const started = performance.now();
  const run = await runNode(['--input-type=module', '-e', RUNTIME, out, functionNameOf(bundle)], { cwd: bundle.dir, env, stdin: JSON.stringify(event) });
  const ms = performance.now() - started;
  const text = await readFile(out, 'utf8');
  await rm(out, { force: true });
  if (run.code !== 0 || !text) throw new Error(`${bundle.name}: the runtime exited ${run.code} without an outcome:\n${run.stderr}\n${run.stdout}`);
  const outcome = JSON.parse(text) as { result?: T; error?: Invocation['error'] };
  const lines = `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);
  return { result: outcome.result, error: outcome.error, lines, stdout: run.stdout, stderr: run.stderr, ms };
}

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node` with these arguments, to its exit. */
export function runNode(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string }): Promise<NodeRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
    // A child that exits without reading its stdin (`node -e 0`, on a busy machine) closes the pipe first: its exit code tells.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin ?? '');
  });
}

/** The files esbuild read for the bundle, as paths relative to the project (`node_modules/@aws-sdk/...`). */
export async function bundleInputs(bundle: Bundle): Promise<{ read: string[]; inOutput: string[] }> {
  const meta = JSON.parse(await readFile(bundle.metafile, 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const inOutput = Object.values(meta.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return { read: Object.keys(meta.inputs), inOutput };
}
