import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { getRequestListener } from '@hono/node-server';
import { createApp } from '@guanjia/api';
import { cachedSites, createIds, isJobName, JOB_SCHEDULES, runJob, systemClock } from '@guanjia/core';
import { DynamoStore, createDocumentClient, ensureTable } from '@guanjia/dynamo';
import type { LocalConfig } from './config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { consoleErrorLog } from './error-log.ts';
import { answerClientErrors } from './client-error.ts';
import { DYNAMO_HOST, freePort } from './dynamo-local.ts';
import { superviseDynamoLocal, type DynamoGaveUpError } from './dynamo-supervisor.ts';
import { startOutboxDispatcher } from './outbox-dispatcher.ts';
import { startImportWorker } from './import-worker.ts';
import { loggedFetch } from './request-log.ts';
import { writeRuntimeInfo } from './runtime-info.ts';
import { startScheduler } from './scheduler.ts';
import { seedDemoHistory } from './demo-history.ts';
import { seedDemo, type SeedResult } from './seed.ts';
import { createLocalVerifier, loadOrCreateSecret, mintToken } from './tokens.ts';

export interface Runtime {
  apiUrl: string;
  docsUrl: string;
  openApiUrl: string;
  dataDir: string;
  dynamoEndpoint: string;
  seed: SeedResult;
  /** Closes the HTTP server and stops DynamoDB Local; safe to call more than once. */
  stop(): Promise<void>;
}

export interface RuntimeOptions {
  /** Progress lines for a person watching the console. */
  log?: (line: string) => void;
  /**
   * DynamoDB Local died and could not be brought back; the runtime cannot serve and must be
   * stopped. Called at most once, and never after stop().
   */
  onFatal?: (error: DynamoGaveUpError) => void;
}

/** The database lives under the data folder, so that a restart finds yesterday's records. */
export const DYNAMO_DIR = 'dynamodb';

/** `2.4 s`: the time since `began`, as the progress lines say it. */
const seconds = (began: number): string => `${((Date.now() - began) / 1000).toFixed(1)} s`;

function urlHost(host: string): string {
  // A wildcard address cannot be browsed to; the loopback name reaches it on this machine.
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The HTTP server could not take its address: a setting for the user to change. */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') fail(new ListenError(`PORT ${port} on ${host} is in use; set PORT to another port`));
      else if (error.code === 'EADDRNOTAVAIL') fail(new ListenError(`HOST ${host} is not an address of this machine`));
      else fail(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      done((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    // Keep-alive connections of a browser or curl would otherwise hold close() open.
    server.closeAllConnections();
  });
}

export async function startRuntime(config: LocalConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? (() => {});
  mkdirSync(config.dataDir, { recursive: true });
  const unlock = lockDataDir(config.dataDir);
  const undo: (() => Promise<void> | void)[] = [unlock];
  // Set as a stop begins: DynamoDB Local going down from then on is expected.
  let ending = false;
  // Every step runs even when one before it failed: Java must not outlive a stuck socket.
  const unwind = async () => {
    ending = true;
    const failures: unknown[] = [];
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw new AggregateError(failures, 'The local runtime did not stop cleanly');
  };

  try {
    const secret = loadOrCreateSecret(config.dataDir);

    // The address is taken first, so that a busy PORT fails in a moment rather than after
    // Java has started. Requests that arrive meanwhile wait for the app, so that once the
    // server answers, the table and the demo site are there.
    let serve: (listener: RequestListener) => void = () => {};
    const ready = new Promise<RequestListener>((done) => (serve = done));
    const server = createServer((request, response) => void ready.then((listener) => listener(request, response)));
    answerClientErrors(server);
    const port = await listen(server, config.port, config.host);
    let closing: Promise<void> | undefined;
    const closeServer = () => (closing ??= close(server));
    undo.push(closeServer);

    // Java and the first start's history take seconds: a line per step, so that the console
    // does not look stuck. The port is chosen here so that the first line can name it.
    const dynamoPort = config.dynamoPort || (await freePort());
    log(`Starting DynamoDB Local (Java) on ${DYNAMO_HOST}:${dynamoPort}...`);
    const javaBegan = Date.now();
    const dynamo = await superviseDynamoLocal({ dbPath: join(config.dataDir, DYNAMO_DIR), sharedDb: true, port: dynamoPort }, { log });
    log(`DynamoDB Local is up (${seconds(javaBegan)}).`);
    undo.push(() => dynamo.stop());
    void dynamo.gaveUp.then((error) => {
      if (!ending) options.onFatal?.(error);
    });

    const admin = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await ensureTable(admin, config.tableName);
    } finally {
      admin.destroy();
    }
    log(`Table ${config.tableName} is ready.`);
    const doc = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' });
    undo.push(() => doc.destroy());

    const ctx = { store: new DynamoStore(doc, config.tableName), clock: systemClock, ids: createIds() };
    const app = createApp({
      ...ctx,
      verifyToken: createLocalVerifier(secret),
      // Derived, not random: cursors handed out before a restart still work after it.
      cursorSecret: createHmac('sha256', secret).update('guanjia-local cursor').digest('hex'),
      log: consoleErrorLog,
      corsOrigins: config.corsOrigins,
    });

    const seed = await seedDemo(app, await mintToken({ role: 'admin', sub: 'local-seed' }, secret, '5m'));
    if (seed.siteCreated) {
      // Before the dispatcher starts: the history's SMS went out in the past, and are recorded so.
      log("Seeding the demo site's history...");
      const began = Date.now();
      const history = await seedDemoHistory(ctx.store, systemClock.now());
      log(`Seeded the demo site with ${history.days} days of history (${history.facts} facts, ${seconds(began)}).`);
    } else log('Demo site found from an earlier run.');

    // As the SMS Lambda does: the site's quiet hours and cap read once per SITE_CACHE_MS.
    const dispatcher = await startOutboxDispatcher({ ...ctx, store: cachedSites(ctx.store) }, { endpoint: dynamo.endpoint, tableName: config.tableName });
    undo.push(() => dispatcher.stop());
    const importWorker = await startImportWorker(ctx, { endpoint: dynamo.endpoint, tableName: config.tableName });
    undo.push(() => importWorker.stop());
    const scheduler = startScheduler({
      schedules: JOB_SCHEDULES.filter((s) => isJobName(s.job)),
      run: async (job) => {
        const report = await runJob(job, ctx);
        // The outbox job runs every minute; it is worth a line only when it did something.
        if (job !== 'outbox' || report.released || report.requeued || report.failed || report.importsNudged || report.handoversNudged)
          log(`job ${job}: ${JSON.stringify(report)}`);
      },
      log,
    });
    undo.push(() => scheduler.stop());
    undo.push(writeRuntimeInfo(config.dataDir, { pid: process.pid, dynamoEndpoint: dynamo.endpoint, tableName: config.tableName }));

    serve(getRequestListener(loggedFetch(app.fetch, log)));
    // Again, so that a stop closes the door before it takes the database away.
    undo.push(closeServer);

    const apiUrl = `http://${urlHost(config.host)}:${port}`;
    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      docsUrl: `${apiUrl}/docs`,
      openApiUrl: `${apiUrl}/openapi.json`,
      dataDir: config.dataDir,
      dynamoEndpoint: dynamo.endpoint,
      seed,
      stop: () => (stopping ??= unwind()),
    };
  } catch (error) {
    // The error that stopped the start is the one worth reporting, not a cleanup's.
    await unwind().catch(() => {});
    throw error;
  }
}
