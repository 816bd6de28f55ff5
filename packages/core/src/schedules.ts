import { addOffset, atSiteTime, siteDay, siteMinuteOfDay } from './calendar.ts';

/**
 * When each job runs, written once: the CDK stack turns these into EventBridge Scheduler
 * schedules and the local runtime fires them in process, so the two cannot drift apart.
 */
/**
 * The zone every job runs in and counts its day in: the schedules fire on its wall clock, and
 * "today" for the callbacks and care jobs is its calendar day.
 */
export const JOB_ZONE = 'Asia/Shanghai';

export interface JobSchedule {
  job: 'callbacks' | 'care' | 'outbox' | 'sla' | 'day-close';
  description: string;
  timezone: typeof JOB_ZONE;
  every?: { minutes: number };
  at?: { hour: number; minute: number };
}

export const JOB_SCHEDULES: readonly JobSchedule[] = [
  { job: 'callbacks', description: 'announce and assign the callbacks due today, catching up missed days', timezone: JOB_ZONE, at: { hour: 9, minute: 30 } },
  { job: 'care', description: 'birthday greetings and campaigns due today, to consenting customers', timezone: JOB_ZONE, at: { hour: 10, minute: 0 } },
  { job: 'outbox', description: 'release SMS deferred by quiet hours once their time has come', timezone: JOB_ZONE, every: { minutes: 1 } },
  {
    job: 'sla',
    description: 'warn of unanswered complaints near their deadline and escalate breaches to the managers',
    timezone: JOB_ZONE,
    every: { minutes: 15 },
  },
  {
    job: 'day-close',
    description:
      "write each site day's overdue follow-ups once it has ended, text the managers the day's figures in the evening, and give them the loss requests left undecided too long",
    timezone: JOB_ZONE,
    // The evening digest goes out in the run before a site's quiet hours start: at most this long before.
    every: { minutes: 15 },
  },
];

type Timing = { kind: 'at'; hour: number; minute: number } | { kind: 'every'; minutes: number };

/** Exactly one of `at` and `every`; an interval divides the day so that it repeats at the same clock times daily. */
function timing(s: JobSchedule): Timing {
  if (s.at && !s.every) {
    const { hour, minute } = s.at;
    if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
      throw new RangeError(`${s.job}: ${hour}:${minute} is not a time of day`);
    }
    return { kind: 'at', hour, minute };
  }
  if (s.every && !s.at) {
    const { minutes } = s.every;
    // Whole divisions of an hour or of a day in hours: the intervals a cron expression can
    // hold, so AWS fires on the same wall-clock minutes as the local scheduler.
    const fits = Number.isInteger(minutes) && minutes >= 1 && (minutes < 60 ? 60 % minutes === 0 : minutes % 60 === 0 && 24 % (minutes / 60) === 0);
    if (!fits) throw new RangeError(`${s.job}: every ${minutes} minutes does not divide an hour or a day into whole hours`);
    return { kind: 'every', minutes };
  }
  throw new RangeError(`${s.job}: a schedule runs either at a time of day or every few minutes`);
}

/**
 * The expression for EventBridge Scheduler; the schedule's zone goes beside it as
 * ScheduleExpressionTimezone. Intervals are crons too: a `rate()` counts from when the
 * schedule was created, not from the top of the hour as the local scheduler does.
 */
export function toScheduleExpression(s: JobSchedule): string {
  const t = timing(s);
  if (t.kind === 'at') return `cron(${t.minute} ${t.hour} * * ? *)`;
  if (t.minutes < 60) return `cron(0/${t.minutes} * * * ? *)`;
  return `cron(0 0/${t.minutes / 60} * * ? *)`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The first fire time strictly after `after`, on the wall clock of the schedule's zone. */
export function nextRun(s: JobSchedule, after: Date): Date {
  const t = timing(s);
  const today = siteDay(after, s.timezone);
  const step = t.kind === 'at' ? 1440 : t.minutes;
  const first = t.kind === 'at' ? t.hour * 60 + t.minute : 0;
  // Start at the slot holding the current minute; usually it or the next one is the answer,
  // and only a DST change (a skipped or repeated hour) walks further.
  const from = t.kind === 'at' ? first : Math.floor(siteMinuteOfDay(after, s.timezone) / step) * step;
  for (const [day, start] of [
    [today, from],
    [addOffset(today, 'P1D'), first],
  ] as const) {
    for (let m = start; m < 1440; m += step) {
      const at = atSiteTime(day, `${pad(Math.floor(m / 60))}:${pad(m % 60)}`, s.timezone);
      if (at > after) return at;
    }
  }
  throw new Error(`${s.job}: no run found after ${after.toISOString()}`);
}
