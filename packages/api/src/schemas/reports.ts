import { z } from '@hono/zod-openapi';
import { INTAKE_CHANNELS } from '@guanjia/core';
import { Day, SiteId } from './common.ts';

const count = z.number().int().nonnegative();

const DailyActivityFigures = {
  receptions: count.openapi({ description: 'receptions (来店/来电) the staff member recorded' }),
  newCustomers: count.openapi({ description: 'new customers the staff member came to own' }),
  interactions: count.openapi({ description: 'contacts with customers (回访) the staff member recorded' }),
  followUpsDone: count.openapi({ description: 'open follow-ups those contacts closed' }),
  followUpsOverdue: count.openapi({
    description: "the staff member's follow-ups due before the day's end and still open at it; for today, due before now and still open",
  }),
};

export const DailyActivityQuery = z.object({
  siteId: SiteId,
  date: Day.optional().openapi({ description: "a day in the site's zone; the site's today when left out" }),
});

export const DailyActivitySchema = z
  .object({
    siteId: z.string(),
    date: z.string(),
    rows: z.array(z.object({ staffId: z.string(), name: z.string(), ...DailyActivityFigures })),
    totals: z.object(DailyActivityFigures),
  })
  .openapi('DailyActivityReport');

const IntentLevelFigures = {
  H: count,
  A: count,
  B: count,
  C: count,
  unrated: count.openapi({ description: 'leads with no intent level yet' }),
  direct: count,
  keyPerson: count,
  potential: count,
  total: count.openapi({ description: 'leads (stage lead) owned at the end of the month; for the current month, now' }),
  upgraded: count.openapi({ description: 'changes between H, A, B and C in the month towards H (C→B is up; a first rating is neither)' }),
  downgraded: count.openapi({ description: 'changes between H, A, B and C in the month towards C' }),
  signed: count.openapi({ description: 'leads that became customers in the month' }),
  lost: count.openapi({ description: 'leads marked lost in the month' }),
};

export const IntentLevelsQuery = z.object({
  siteId: SiteId,
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .optional()
    .openapi({ example: '2026-11', description: "a month in the site's zone, up to 36 months back; the current one when left out" }),
});

export const IntentLevelsSchema = z
  .object({
    siteId: z.string(),
    month: z.string(),
    rows: z.array(z.object({ staffId: z.string(), name: z.string(), ...IntentLevelFigures })),
    totals: z.object(IntentLevelFigures),
  })
  .openapi('IntentLevelReport');

const rate = z.number().min(0).max(1).nullable();

const ServiceAggregate = z.object({
  callbacks: z.object({
    due: count.openapi({ description: 'callbacks given to an agent in the span' }),
    done: count.openapi({ description: 'callbacks closed: reached, declined, or unreached after the last attempt' }),
    reached: count,
    unreached: count.openapi({ description: 'callbacks closed unreached after the last attempt' }),
    // Calls are due on the day they are given and done on the day they close, so a span that
    // closes calls given before it can show more done than due: a ratio above 1, not an error.
    completionRate: z
      .number()
      .min(0)
      .nullable()
      .openapi({ description: 'done ÷ due; null when nothing was due; above 1 when calls given before the span were closed in it' }),
  }),
  complaints: z.object({
    filed: count,
    answered: count.openapi({ description: 'complaints given their first answer in the span' }),
    answeredInWindow: count.openapi({ description: 'of those, answered by their deadline' }),
    answeredInWindowRate: rate,
    averageResponseMinutes: z.number().nonnegative().nullable().openapi({ description: 'minutes from receipt to first answer, on average' }),
  }),
  satisfaction: z.object({
    count: count.openapi({ description: "scores given: a reached callback's, and a complaint's on closing" }),
    average: z.number().min(1).max(5).nullable(),
    satisfiedRate: rate.openapi({ description: 'the share of scores 4–5 (满意率)' }),
  }),
});

export const ServiceQuery = z.object({
  siteId: SiteId.optional().openapi({ description: "every site in the caller's reach when left out" }),
  from: Day.openapi({ description: 'the first site day, inclusive', example: '2026-11-01' }),
  to: Day.openapi({ description: 'the last site day, inclusive; at most 92 days after from', example: '2026-11-23' }),
});

export const ServiceSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    sites: z.array(ServiceAggregate.extend({ siteId: z.string() })),
    rows: z.array(
      z.object({
        siteId: z.string(),
        staffId: z.string(),
        name: z.string(),
        callbacksDone: count,
        complaintsAnswered: count,
        answeredInWindowRate: rate,
        satisfactionAverage: z.number().min(1).max(5).nullable(),
        satisfactionCount: count,
      }),
    ),
    totals: ServiceAggregate.openapi({ description: 'the sites of the answer together' }),
    group: ServiceAggregate.openapi({ description: "the whole company's aggregate, to hold a site against" }),
  })
  .openapi('ServiceReport');

export const RegistrationsQuery = z.object({
  siteId: SiteId,
  from: Day.openapi({ description: 'the first site day, inclusive', example: '2026-11-01' }),
  to: Day.openapi({ description: 'the last site day, inclusive; at most 92 days after from', example: '2026-11-23' }),
});

export const RegistrationsSchema = z
  .object({
    rows: z.array(
      z.object({
        date: z.string(),
        staffId: z.string(),
        name: z.string().openapi({ description: "the staff member's name; the id if they are not on the site's staff list" }),
        channel: z.enum(INTAKE_CHANNELS).openapi({ description: 'the source the customer came by (来源)' }),
        receptions: count.openapi({ description: 'receptions the staff member recorded through that source' }),
        newCustomers: count.openapi({ description: 'new customers the staff member came to own through that source' }),
      }),
    ),
    byKeyPerson: z
      .array(
        z.object({
          keyPersonId: z.string().openapi({ description: 'the customer named as `referredBy` at the intakes' }),
          name: z.string().nullable().openapi({ description: "the key person's name now" }),
          referrals: count.openapi({ description: 'new customers the key person brought in the span' }),
        }),
      )
      .openapi({ description: 'referrals by key person (关键人) over the span, in id order; a sales rep reads the key persons they own' }),
  })
  .openapi('RegistrationsReport');
