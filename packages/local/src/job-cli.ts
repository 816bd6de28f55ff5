import { parseArgs } from 'node:util';
import {
  atSiteTime,
  backfillPhoneTails,
  backfillSiteList,
  isJobName,
  JOB_SCHEDULES,
  JOB_ZONE,
  JOBS,
  runJob,
  siteDay,
  type Clock,
  type Context,
} from '@guanjia/core';
import { BACKFILLS, isBackfillName } from '@guanjia/dynamo';
import { withLocalStore } from './local-store.ts';
import { rebuildSummary, runRebuild, REBUILD } from './rebuild-cli.ts';

/** Backfills of named sites: sites were not listed by a query before `backfill-site-list`. */
const SITE_BACKFILLS = {
  'backfill-phone-tails': backfillPhoneTails,
  'backfill-site-list': backfillSiteList,
} as const satisfies Record<string, (ctx: Context, siteId: string) => Promise<unknown>>;
type SiteBackfill = keyof typeof SITE_BACKFILLS;
const isSiteBackfill = (name: string): name is SiteBackfill => Object.hasOwn(SITE_BACKFILLS, name);

const USAGE = `Runs a scheduled job once, as of a day or an instant, and prints what it did.

usage: npm run job -- <${Object.keys(JOBS).join('|')}> [--date YYYY-MM-DD | --at <ISO instant>] [--future]
       npm run job -- <${Object.keys(SITE_BACKFILLS).join('|')}> --site <siteId> [--site <siteId> ...]
       npm run job -- <${Object.keys(BACKFILLS).join('|')}>
       npm run job -- ${REBUILD} --site <siteId> [--from YYYY-MM-DD --to YYYY-MM-DD] [--dry-run]

  --date  the job's day (Asia/Shanghai), at the time its schedule runs it; default today
  --at    an exact instant, e.g. 2026-11-24T09:00:00+08:00
  --future  lets --date or --at name a day after today: the job then does for real, now,
          what it would do on that day (callbacks handed out, SMS sent early). Refused
          without it, with exit code 2; meant for a throw-away DATA_DIR.
  --site  a site whose customers get the phone tail (尾号) that lookups by tail need
          (customers created before tails were kept have none), or that goes on the
          list of sites the day-close job works through (sites created before it have
          to be named once). Safe to run again.
  --from, --to  with ${REBUILD}: the site days to check, inclusive; by default from the
          day of the site's first customer to today. The lead gauges are always checked, and
          the lead figures of every month the days touch.
  --dry-run  with ${REBUILD}: report the differences and write nothing. Without it, every
          counter that differs from its records is set to what they add up to.
${REBUILD} exits 0 when the figures agree with the records (as found, or once fixed), 3
when differences remain (a dry run, or counters a fact moved during the run: run it again).
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

/**
 * A job run as of a later day does that day's work for real and now: callbacks handed out
 * and SMS sent that nothing can call back. A typo in --date must not do that, so a later
 * day needs --future said out loud.
 */
function refuseFutureUnlessSaid(instant: Date, future: boolean): void {
  const day = siteDay(instant, JOB_ZONE);
  const today = siteDay(new Date(), JOB_ZONE);
  if (day <= today || future) return;
  process.stderr.write(
    `refused: ${day} is after today (${today}, ${JOB_ZONE}); the job would act now on that day's work, SMS included. Add --future to run it anyway (throw-away data only).\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      date: { type: 'string' },
      at: { type: 'string' },
      site: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      'dry-run': { type: 'boolean' },
      future: { type: 'boolean' },
    },
  });
  const [job] = positionals;
  if (!job || positionals.length > 1) fail('name one job');
  if (job === REBUILD) {
    const sites = values.site ?? [];
    if (sites.length !== 1) fail(`${REBUILD} needs one --site`);
    if (values.date !== undefined || values.at !== undefined) fail(`${REBUILD} takes --from and --to, not --date or --at`);
    let summary = { line: '', agrees: false };
    const { report } = await withLocalStore({ now: () => new Date() }, async (ctx) => {
      const rebuilt = await runRebuild(ctx, sites[0]!, { from: values.from, to: values.to, dryRun: values['dry-run'] ?? false });
      summary = rebuildSummary(rebuilt);
      return rebuilt;
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const { line, agrees } = summary;
    process.stderr.write(`${line}\n`);
    process.exit(agrees ? 0 : 3);
  }
  if (values.from !== undefined || values.to !== undefined || values['dry-run'] !== undefined) fail(`--from, --to and --dry-run go with ${REBUILD} only`);
  if (isSiteBackfill(job)) {
    const sites = values.site ?? [];
    if (sites.length === 0) fail(`${job} needs --site: sites created before they were listed are found by no query, so name each one`);
    if (values.date !== undefined || values.at !== undefined) fail(`${job} runs as of now; --date and --at do not apply`);
    const clock: Clock = { now: () => new Date() };
    const { report } = await withLocalStore(clock, async (ctx) => {
      const bySite = [];
      for (const siteId of sites) bySite.push(await SITE_BACKFILLS[job](ctx, siteId));
      return { job, sites: bySite };
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (values.site !== undefined) fail(`--site goes with ${[...Object.keys(SITE_BACKFILLS), REBUILD].join(', ')} only`);
  if (isBackfillName(job)) {
    if (values.date !== undefined || values.at !== undefined) fail(`${job} takes no day`);
    const { report } = await withLocalStore({ now: () => new Date() }, async (_, { doc, tableName }) => ({ job, ...(await BACKFILLS[job](doc, tableName)) }));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  if (!isJobName(job)) fail(`no job '${job}'`);
  const instant = asOf(job, values.date, values.at);
  refuseFutureUnlessSaid(instant, values.future ?? false);
  const clock: Clock = { now: () => new Date(instant) };
  const { report, running } = await withLocalStore(clock, (ctx) => runJob(job, ctx));
  process.stdout.write(`${JSON.stringify({ asOf: clock.now().toISOString(), ...report }, null, 2)}\n`);
  if (!running) process.stderr.write('npm start is not running: queued messages are sent when it next starts.\n');
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
