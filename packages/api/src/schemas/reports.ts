import { z } from '@hono/zod-openapi';
import { Day, Id } from './common.ts';

const count = z.number().int().nonnegative();

const DailyActivityFigures = {
  receptions: count.openapi({ description: 'receptions (来店/来电) the staff member recorded' }),
  newCustomers: count.openapi({ description: 'new customers the staff member came to own' }),
  interactions: count.openapi({ description: 'contacts with customers (回访) the staff member recorded' }),
  followUpsDone: count.openapi({ description: 'open follow-ups those contacts closed' }),
  followUpsOverdue: count.openapi({ description: "the staff member's follow-ups due before the day's end and still open at it; for today, due before now and still open" }),
};

export const DailyActivityQuery = z.object({
  siteId: Id,
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
