import { loadConfig, type LocalConfig } from './config.ts';
import { JavaMissingError, assertJava } from './dynamo-local.ts';
import type { Runtime } from './runtime.ts';

// The SDK warns on every start under Node 20 that later releases will need Node 22; the
// variable is the SDK's documented switch (aws/aws-sdk-js-v3#7983). Set for this local tool
// only, and only when the user has not chosen otherwise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Problems the user can fix, told in one line; anything else keeps its stack. Matched by
// name, so that checking for them does not load the modules that throw them.
const EXPECTED = new Set(['ConfigError', 'DataDirInUseError', 'JavaMissingError', 'ListenError', 'SeedError']);

function fail(error: unknown): never {
  const text = !(error instanceof Error) ? String(error) : EXPECTED.has(error.name) ? error.message : (error.stack ?? error.message);
  process.stderr.write(`Could not start: ${text}\n`);
  process.exit(1);
}

try {
  assertJava();
} catch (error) {
  if (!(error instanceof JavaMissingError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

let config: LocalConfig;
try {
  config = loadConfig();
} catch (error) {
  fail(error);
}

// Until the runtime is up there is nothing to stop gracefully: exiting runs the exit hooks
// that kill Java and free the data folder.
let onSignal: (signal: NodeJS.Signals) => void = () => {
  process.stdout.write('stopped\n');
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, (s) => onSignal(s));

// Loaded after the Java check, so that a machine without Java hears about it at once.
const { startRuntime } = await import('./runtime.ts');
const { banner } = await import('./banner.ts');

// DynamoDB Local that keeps dying cannot be fixed from here: say why in one line, stop the
// rest, and exit non-zero so that a supervisor (or the person at the console) sees it.
let onFatal: (error: Error) => void = () => {};
let runtime: Runtime;
try {
  runtime = await startRuntime(config, { log: (line) => process.stdout.write(`${line}\n`), onFatal: (error) => onFatal(error) });
} catch (error) {
  fail(error);
}
process.stdout.write(banner(runtime));

const running = runtime;
onFatal = (error) => {
  onSignal = () => process.exit(1);
  process.stderr.write(`Stopping: ${error.message}\n`);
  running.stop().finally(() => process.exit(1));
};
onSignal = (signal) => {
  // A second Ctrl+C while stopping means "now": the exit hooks still take Java down.
  onSignal = () => process.exit(1);
  process.stdout.write(`\n${signal}: stopping...\n`);
  running.stop().then(
    () => {
      process.stdout.write('stopped\n');
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
};
