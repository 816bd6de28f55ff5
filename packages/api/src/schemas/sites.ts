import { z } from '@hono/zod-openapi';
import { isCallbackOffset, MAX_CALLBACK_OFFSET, MILESTONE_FIELDS, PLAN_NAME, SITE_BOUNDS, SITE_KINDS, STAFF_ROLES } from '@guanjia/core';
import { DesignerFeesSchema, DesignerSettings } from './designers.ts';
import { Id, Phone, someField, StaffId, text } from './common.ts';

// The bounds are core's (a site saved by any door keeps to them); the schema shows them to clients.
const whole = ({ min, max }: { min: number; max: number }) => z.number().int().min(min).max(max);
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const Days = whole(SITE_BOUNDS.cadenceDays);

export const QuietHoursSchema = z.object({ start: Clock.openapi({ example: '21:00' }), end: Clock.openapi({ example: '09:00' }) }).strict();
export const CadenceSchema = z
  .object({
    firstVisitDays: Days.openapi({ example: 2 }),
    undecidedDays: Days.openapi({ example: 3 }),
    H: Days.openapi({ example: 2 }),
    A: Days.openapi({ example: 7 }),
    B: Days.openapi({ example: 14 }),
    C: Days.openapi({ example: 30 }),
  })
  .partial()
  .strict()
  .openapi({
    description: 'days between follow-ups; defaults 2 (first visit), 3 (no level yet), H 2, A 7, B 14, C 30',
    example: { firstVisitDays: 2, undecidedDays: 3, H: 2, A: 7, B: 14, C: 30 },
  });
export const CallbackPlanSchema = z
  .array(
    z
      .object({
        plan: z.string().trim().regex(PLAN_NAME, '1 to 32 letters, digits, - and _').openapi({ example: 'P3M' }),
        offset: z
          .string()
          .max(32)
          .refine(isCallbackOffset, `an ISO 8601 date duration of at most ${MAX_CALLBACK_OFFSET}, such as P3M`)
          .openapi({ description: `from the delivery day, at most ${MAX_CALLBACK_OFFSET} (a month counts as 31 days)`, example: 'P3M' }),
        checklist: z
          .array(text(SITE_BOUNDS.checklistItemLength).openapi({ example: '门窗开关顺畅' }))
          .max(SITE_BOUNDS.checklistItems)
          .openapi({ example: ['门窗开关顺畅', '水电正常', '墙面无裂缝'] }),
      })
      .strict(),
  )
  .max(SITE_BOUNDS.callbackPlans)
  // A plan's name is part of its callbacks' ids, so two entries may not share one.
  .refine((plans) => new Set(plans.map((p) => p.plan)).size === plans.length, 'each plan name once');

export const MilestonesSchema = z
  .array(
    z
      .object({
        field: z.enum(MILESTONE_FIELDS).openapi({ example: 'installDate' }),
        daysBefore: whole(SITE_BOUNDS.milestoneDays).openapi({ example: 30 }),
      })
      .strict(),
  )
  .max(SITE_BOUNDS.milestones)
  // The pair is part of the task's id: two entries alike would be one call.
  .refine((rules) => new Set(rules.map((r) => `${r.field}:${r.daysBefore}`)).size === rules.length, 'each field and daysBefore once')
  .openapi({
    description:
      "按客户时间节点跟进: a `milestone` task for the owner this many days before the customer's `needs.installDate` or `needs.handoverDate`, beside the follow-up; default 30 and 7 days before installDate, 14 before handoverDate; a list replaces the whole list",
    example: [
      { field: 'installDate', daysBefore: 30 },
      { field: 'installDate', daysBefore: 7 },
      { field: 'handoverDate', daysBefore: 14 },
    ],
  });

export const SiteInputSchema = z
  .object({
    id: Id.optional().openapi({ example: 'jiangpan', description: 'chosen once; made up when left out' }),
    name: text(100).openapi({ example: '江畔花园售楼处' }),
    kind: z.enum(SITE_KINDS).openapi({ example: 'real_estate' }),
    timezone: text(64).optional().openapi({ example: 'Asia/Shanghai' }),
    smsSignature: text(20).openapi({ example: '江畔花园' }),
    quietHours: QuietHoursSchema.optional(),
    followUpCadence: CadenceSchema.optional(),
    callbackPlan: CallbackPlanSchema.optional(),
    callbackAttempts: whole(SITE_BOUNDS.callbackAttempts).optional().openapi({ example: 3 }),
    callbackCapacity: whole(SITE_BOUNDS.callbackCapacity).optional().openapi({
      description:
        '每位客服每天最多分配的回访数 (default 40): the callbacks job gives each service agent at most this many a day, oldest due first; the rest follow on the next days',
      example: 40,
    }),
    potentialReviewDays: whole(SITE_BOUNDS.potentialReviewDays).optional().openapi({
      description:
        '潜在客户回顾周期, 天 (default 90): a potential lead gets no follow-up; its owner gets a review task this many days after intake and after each review',
      example: 90,
    }),
    milestones: MilestonesSchema.optional(),
    lossRequestAnswerDays: whole(SITE_BOUNDS.lossRequestAnswerDays).optional().openapi({
      description:
        '战败申请审批时限, 天 (default 2): a loss request no manager has decided after this many site days becomes a `loss_escalation` task for each manager',
      example: 2,
    }),
    smsCareCap: z
      .object({ count: whole(SITE_BOUNDS.careCapCount).openapi({ example: 4 }), days: whole(SITE_BOUNDS.careCapDays).openapi({ example: 30 }) })
      .strict()
      .optional(),
    smsTemplates: z
      .record(z.string().max(40), text(500))
      .optional()
      .openapi({
        description: 'texts by purpose with {placeholders}; checked when saved',
        example: { birthday: '【{signature}】{name}您好，祝您生日快乐，阖家幸福！回T退订' },
      }),
    ...DesignerSettings,
  })
  .strict()
  // A new site as an admin first saves it; the rules left out take their defaults.
  .openapi('SiteInput', { example: { id: 'jiangpan', name: '江畔花园售楼处', kind: 'real_estate', smsSignature: '江畔花园' } });

// One rule changed, as an admin does: every field at once would overwrite the demo's texts and plans.
export const SitePatchSchema = someField(SiteInputSchema.omit({ id: true, kind: true }).partial().strict()).openapi('SitePatch', {
  example: { callbackCapacity: 40 },
});

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
    potentialReviewDays: z.number().int().openapi({ description: '潜在客户回顾周期: days between the reviews of a potential lead' }),
    milestones: z.array(z.object({ field: z.enum(MILESTONE_FIELDS), daysBefore: z.number().int() })).openapi({
      description: "the customer's dates the site calls ahead of, and how many days ahead",
    }),
    lossRequestAnswerDays: z.number().int().openapi({ description: 'site days a loss request waits for a manager before it becomes their task' }),
    smsCareCap: z.object({ count: z.number().int(), days: z.number().int() }),
    smsTemplates: z.record(z.string(), z.string()),
    designerFees: DesignerFeesSchema.required(),
    designBudgetPercent: z.number().int(),
    matchMargin: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Site');

export const StaffInputSchema = z
  .object({
    id: Id.openapi({ example: 'rep-wang' }),
    name: text(50).openapi({ example: '王芳' }),
    role: z.enum(STAFF_ROLES).openapi({ example: 'sales' }),
    phone: Phone.optional().openapi({ example: '13912345678' }),
  })
  .strict()
  .openapi('StaffInput');

export const StaffSchema = z
  .object({
    siteId: z.string(),
    id: z.string(),
    name: z.string(),
    role: z.enum(STAFF_ROLES),
    phone: z.string().nullable(),
    createdAt: z.string(),
    deactivatedAt: z.string().nullable().optional().openapi({ description: 'when a manager deactivated them (离职); absent while active' }),
    deactivatedBy: z.string().nullable().optional().openapi({ description: 'who deactivated them' }),
  })
  .openapi('Staff');

export const DutyInputSchema = z
  .object({
    staffIds: z
      .array(StaffId)
      .max(50)
      .openapi({ example: ['rep-li', 'rep-zhao'] }),
  })
  .strict()
  .openapi('DutyInput');

export const OnDutySchema = z
  .object({
    staffId: z.string().openapi({ example: 'rep-li' }),
    name: z.string().openapi({ description: 'the name the desk calls the rep by', example: '李明' }),
  })
  .openapi('OnDuty');
