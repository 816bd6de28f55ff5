import { z } from '@hono/zod-openapi';
import { isCallbackOffset, MAX_CALLBACK_OFFSET, PLAN_NAME, SITE_BOUNDS, SITE_KINDS, STAFF_ROLES } from '@guanjia/core';
import { Id, Phone, someField, text } from './common.ts';

// The bounds are core's (a site saved by any door keeps to them); the schema shows them to clients.
const whole = ({ min, max }: { min: number; max: number }) => z.number().int().min(min).max(max);
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const Days = whole(SITE_BOUNDS.cadenceDays);

export const QuietHoursSchema = z.object({ start: Clock, end: Clock }).strict();
export const CadenceSchema = z
  .object({ firstVisitDays: Days, undecidedDays: Days, H: Days, A: Days, B: Days, C: Days })
  .partial()
  .strict()
  .openapi({ description: 'days between follow-ups; defaults 2 (first visit), 3 (no level yet), H 2, A 7, B 14, C 30' });
export const CallbackPlanSchema = z
  .array(
    z
      .object({
        plan: z.string().trim().regex(PLAN_NAME, '1 to 32 letters, digits, - and _'),
        offset: z
          .string()
          .max(32)
          .refine(isCallbackOffset, `an ISO 8601 date duration of at most ${MAX_CALLBACK_OFFSET}, such as P3M`)
          .openapi({ description: `from the delivery day, at most ${MAX_CALLBACK_OFFSET} (a month counts as 31 days)`, example: 'P3M' }),
        checklist: z.array(text(SITE_BOUNDS.checklistItemLength)).max(SITE_BOUNDS.checklistItems),
      })
      .strict(),
  )
  .max(SITE_BOUNDS.callbackPlans)
  // A plan's name is part of its callbacks' ids, so two entries may not share one.
  .refine((plans) => new Set(plans.map((p) => p.plan)).size === plans.length, 'each plan name once');

export const SiteInputSchema = z
  .object({
    id: Id.optional(),
    name: text(100),
    kind: z.enum(SITE_KINDS),
    timezone: text(64).optional(),
    smsSignature: text(20),
    quietHours: QuietHoursSchema.optional(),
    followUpCadence: CadenceSchema.optional(),
    callbackPlan: CallbackPlanSchema.optional(),
    callbackAttempts: whole(SITE_BOUNDS.callbackAttempts).optional(),
    callbackCapacity: whole(SITE_BOUNDS.callbackCapacity).optional().openapi({
      description:
        '每位客服每天最多分配的回访数 (default 40): the callbacks job gives each service agent at most this many a day, oldest due first; the rest follow on the next days',
      example: 40,
    }),
    smsCareCap: z
      .object({ count: whole(SITE_BOUNDS.careCapCount), days: whole(SITE_BOUNDS.careCapDays) })
      .strict()
      .optional(),
    smsTemplates: z.record(z.string().max(40), text(500)).optional().openapi({ description: 'texts by purpose with {placeholders}; checked when saved' }),
  })
  .strict()
  .openapi('SiteInput');

export const SitePatchSchema = someField(SiteInputSchema.omit({ id: true, kind: true }).partial().strict()).openapi('SitePatch');

export const SiteSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(SITE_KINDS),
    timezone: z.string(),
    smsSignature: z.string(),
    quietHours: z.object({ start: z.string(), end: z.string() }),
    followUpCadence: z.object({ firstVisitDays: z.number(), undecidedDays: z.number(), H: z.number(), A: z.number(), B: z.number(), C: z.number() }),
    callbackPlan: z.array(z.object({ plan: z.string(), offset: z.string(), checklist: z.array(z.string()) })),
    callbackAttempts: z.number().int(),
    callbackCapacity: z.number().int().openapi({ description: '每位客服每天最多分配的回访数: callbacks given to each service agent a day, at most' }),
    smsCareCap: z.object({ count: z.number().int(), days: z.number().int() }),
    smsTemplates: z.record(z.string(), z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Site');

export const StaffInputSchema = z
  .object({ id: Id, name: text(50), role: z.enum(STAFF_ROLES), phone: Phone.optional() })
  .strict()
  .openapi('StaffInput');

export const StaffSchema = z
  .object({ siteId: z.string(), id: z.string(), name: z.string(), role: z.enum(STAFF_ROLES), phone: z.string().nullable(), createdAt: z.string() })
  .openapi('Staff');

export const DutyInputSchema = z
  .object({ staffIds: z.array(Id).max(50) })
  .strict()
  .openapi('DutyInput');
