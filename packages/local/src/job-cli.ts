import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { atSiteTime, createIds, isJobName, JOB_SCHEDULES, JOB_ZONE, JOBS, runJob, type Clock } from '@guanjia/core';
import { BACKFILLS, createDocumentClient, DynamoStore, ensureTable, isBackfillName } from '@guanjia/dynamo';
import { loadConfig } from './config.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startDynamoLocal } from './dynamo-local.ts';
import { DYNAMO_DIR } from './runtime.ts';
import { readRuntimeInfo } from './runtime-info.ts';

const USAGE = `Runs a scheduled job once, as of a day or an instant, and prints what it did.

usage: npm run job -- <${Object.keys(JOBS).join('|')}> [--date YYYY-MM-DD | --at <ISO instant>]
       npm run job -- <${Object.keys(BACKFILLS).join('|')}>

  --date  the job's day (Asia/Shanghai), at the time its schedule runs it; default today
  --at    an exact instant, e.g. 2026-11-24T09:00:00+08:00
A backfill is a one-off repair of what an older version wrote; running it again does nothing.
Works whether or not npm start is running on the same DATA_DIR.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/** The instant the job runs as of: the schedule's own time on the given day, or the exact instant. */
function asOf(job: string, date: string | undefined, at: string | undefined): Date {
  if (at !== undefined) {
    const instant = new Date(at);
    if (Number.isNaN(instant.getTime())) fail(`--at '${at}' is not an ISO instant`);
    return instant;
  }
  if (date === undefined) return new Date();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`--date '${date}' is not YYYY-MM-DD`);
  const schedule = JOB_SCHEDULES.find((s) => s.job === job);
  const time = schedule?.at ? `${String(schedule.at.hour).padStart(2, '0')}:${String(schedule.at.minute).padStart(2, '0')}` : '00:00';
  return atSiteTime(date, time, JOB_ZONE);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { date: { type: 'string' }, at: { type: 'string' } } });
  const [job] = positionals;
  if (!job || positionals.length > 1) fail('name one job');
  if (!isJobName(job) && !isBackfillName(job)) fail(`no job '${job}'`);
  if (isBackfillName(job) && (values.date !== undefined || values.at !== undefined)) fail(`${job} takes no day`);
  const instant = isJobName(job) ? asOf(job, values.date, values.at) : new Date();
  const clock: Clock = { now: () => new Date(instant) };
  const config = loadConfig();

  // A running runtime owns the database: talk to its DynamoDB Local. Otherwise start one.
  const running = readRuntimeInfo(config.dataDir);
  let stop = async () => {};
  let endpoint = running?.dynamoEndpoint;
  if (!endpoint) {
    const unlock = lockDataDir(config.dataDir);
    const dynamo = await startDynamoLocal({ dbPath: join(config.dataDir, DYNAMO_DIR), sharedDb: true });
    stop = async () => {
      await dynamo.stop();
      unlock();
    };
    endpoint = dynamo.endpoint;
  }
  const tableName = running?.tableName ?? config.tableName;
  try {
    const admin = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await ensureTable(admin, tableName);
    admin.destroy();
    const doc = createDocumentClient({ endpoint, region: 'local' });
    const report = isBackfillName(job) ? { job, ...(await BACKFILLS[job](doc, tableName)) } : await runJob(job, { store: new DynamoStore(doc, tableName), clock, ids: createIds() });
    doc.destroy();
    process.stdout.write(`${JSON.stringify({ asOf: clock.now().toISOString(), ...report }, null, 2)}\n`);
    if (!running && isJobName(job)) process.stderr.write('npm start is not running: queued messages are sent when it next starts.\n');
  } finally {
    await stop();
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
