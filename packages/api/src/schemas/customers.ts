import { z } from '@hono/zod-openapi';
import { CONFLICT_STATUSES, INTAKE_CHANNELS, INTENT_LEVELS, INTERACTION_CHANNELS, LEAD_TYPES, STAGES } from '@guanjia/core';
import { Amount, Birthday, someField, Day, dayAhead, Instant, Phone, SiteId, StaffId, text } from './common.ts';

export const NeedsSchema = z
  .object({
    project: text(100).openapi({ example: '江畔花园' }),
    area: Amount.openapi({ description: 'square metres' }),
    budget: Amount.openapi({ example: 3_000_000, description: 'yuan' }),
    layout: text(50).openapi({ example: '3室2厅' }),
    handoverDate: Day.openapi({ example: '2027-06-30' }),
    householdSize: z.number().int().min(1).max(50).openapi({ example: 3 }),
    model: text(100).openapi({ example: '汉 EV' }),
    quantity: Amount.openapi({ example: 2 }),
    installDate: Day.openapi({ example: '2026-12-15' }),
    notes: text(2000).openapi({ example: '关注学区，希望南北通透' }),
  })
  .partial()
  .strict()
  // A home buyer's needs: a car's model or an installation's date belong to other kinds of site.
  .openapi('Needs', { example: { project: '江畔花园', area: 120, budget: 3_000_000, layout: '3室2厅', householdSize: 3, notes: '关注学区，希望南北通透' } });

/** The needs as a PATCH changes them: a date given null is cleared, which cancels its open milestone calls. */
export const NeedsPatchSchema = NeedsSchema.extend({
  handoverDate: Day.nullable().optional().openapi({ example: '2027-06-30', description: 'null clears it' }),
  installDate: Day.nullable().optional().openapi({ example: '2026-12-15', description: 'null clears it' }),
})
  .strict()
  .openapi('NeedsPatch', { example: { installDate: '2026-12-15' } });

export const IntakeSchema = z
  .object({
    siteId: SiteId,
    name: text(50).openapi({ example: '张伟' }),
    phone: Phone,
    channel: z.enum(INTAKE_CHANNELS).openapi({ example: 'walk_in' }),
    leadType: z.enum(LEAD_TYPES).optional().openapi({ example: 'direct' }),
    intentLevel: z.enum(INTENT_LEVELS).optional().openapi({ example: 'A' }),
    needs: NeedsSchema.optional(),
    birthday: Birthday.optional(),
    smsConsent: z.boolean().optional().openapi({ example: true }),
    note: text(2000).optional().openapi({ example: '周末带家人来看样板间' }),
    referredBy: Phone.optional().openapi({
      example: '13800138001',
      description:
        "who brought the customer (a key person, 关键人): that customer's phone at this site, so a rep can name one another rep owns; any customer of the site may refer, whatever their lead type. A phone that is no customer of the site is 400 `unknown_referrer`. Kept on a new customer only: a known one was brought, or not, the first time",
    }),
  })
  .strict()
  // The whole body's example names no referrer: a made-up number is no customer of the site, and "Try it out" would be refused.
  .openapi('Intake', {
    example: {
      siteId: 'demo',
      name: '张伟',
      phone: '13800138000',
      channel: 'walk_in',
      leadType: 'direct',
      intentLevel: 'A',
      needs: { project: '江畔花园', area: 120, budget: 3_000_000, layout: '3室2厅', householdSize: 3, notes: '关注学区，希望南北通透' },
      birthday: '02-29',
      smsConsent: true,
      note: '周末带家人来看样板间',
    },
  });

export const CustomerPatchSchema = someField(
  z
    .object({
      name: text(50).openapi({ example: '张伟' }),
      leadType: z.enum(LEAD_TYPES).openapi({
        description: 'a lead turned `potential` has its open follow-up replaced by a review (watched, not chased); turned back, the review by a follow-up',
        example: 'key_person',
      }),
      intentLevel: z.enum(INTENT_LEVELS).nullable().openapi({ example: 'H' }),
      needs: NeedsPatchSchema.openapi({
        description: "merged into the needs; setting, moving or clearing `installDate` or `handoverDate` opens, moves or cancels the site's `milestone` calls",
      }),
      birthday: Birthday.nullable(),
      smsConsent: z.boolean().openapi({ example: true }),
      note: text(2000).nullable().openapi({ example: '已看样板间，预算可上浮' }),
      stage: z.literal('customer').openapi({ description: 'set when the contract is signed', example: 'customer' }),
    })
    .partial()
    .strict(),
  // A change of a few fields, as a rep makes after a visit: not a signing, which `stage` is.
).openapi('CustomerPatch', { example: { intentLevel: 'H', note: '已看样板间，预算可上浮' } });

const LossRequestSchema = z
  .object({
    reason: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    escalation: z
      .object({ at: z.string(), taskIds: z.array(z.string()) })
      .nullable()
      .optional()
      .openapi({
        description: "set once the request waited past the site's `lossRequestAnswerDays` and became a `loss_escalation` task for each manager",
      }),
  })
  .openapi('LossRequest');
const LossDecisionSchema = LossRequestSchema.extend({
  outcome: z.enum(['approved', 'rejected']),
  decidedBy: z.string(),
  decidedAt: z.string(),
  note: z.string().nullable(),
}).openapi('LossDecision');

/** What a rep says when asking to mark a lead lost (战败原因). */
export const LossRequestInputSchema = z
  .object({ reason: text(500).openapi({ example: '已在竞品处购车' }) })
  .strict()
  .openapi('LossRequestInput');

export const LossDecisionInputSchema = z
  .object({ note: text(2000).optional().openapi({ example: '客户仍在比较，继续跟进' }) })
  .strict()
  .openapi('LossDecisionInput');

export const CustomerSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    name: z.string(),
    phone: z.string(),
    ownerId: z.string(),
    stage: z.enum(STAGES),
    leadType: z.enum(LEAD_TYPES),
    intentLevel: z.enum(INTENT_LEVELS).nullable(),
    channel: z.enum(INTAKE_CHANNELS),
    needs: z.record(z.string(), z.unknown()),
    birthday: z.string().nullable(),
    smsConsent: z.boolean(),
    note: z.string().nullable(),
    openFollowUpId: z
      .string()
      .nullable()
      .openapi({ description: "the lead's one open chasing task: a `follow_up`, or a `review` while the lead type is `potential`" }),
    lossRequest: LossRequestSchema.nullable().openapi({ description: 'a pending request to mark the lead lost (战败), for a manager to decide' }),
    lossDecision: LossDecisionSchema.nullable().openapi({ description: "a manager's last decision on such a request" }),
    designerId: z.string().nullable().openapi({ description: 'the designer assigned (decoration); they read the customer, read only' }),
    designerDecision: z.object({ decidedBy: z.string(), at: z.string() }).nullable().openapi({ description: 'who assigned the designer, and when' }),
    designAgreementAt: z.string().nullable().openapi({ description: 'when the design agreement (设计协议) was signed at a closed loop; null until then' }),
    referredBy: z.string().nullable().openapi({ description: 'the id of the customer (key person) who brought this one, if one was named at the intake' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Customer');

export const ReceptionSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    siteId: z.string(),
    receivedBy: z.string(),
    channel: z.enum(INTAKE_CHANNELS),
    name: z.string(),
    needs: z.record(z.string(), z.unknown()),
    note: z.string().nullable(),
    at: z.string(),
  })
  .openapi('Reception');

const LIST_FILTERS = ['ownerId', 'designerId', 'intentLevel', 'leadType', 'stage', 'lossRequested'] as const;

/** The list, or a lookup by phone or by 尾号: a lookup names the number and the site, nothing else. */
export const CustomerListQuery = z
  .object({
    siteId: SiteId.optional(),
    ownerId: StaffId.optional(),
    designerId: StaffId.optional().openapi({
      // No example: filled in by Swagger UI, it would refuse a sales rep's list as filled in.
      example: undefined,
      description: "the customers assigned to this designer, the latest assigned first; a designer's list is always their own",
    }),
    intentLevel: z.enum(INTENT_LEVELS).optional().openapi({ example: 'A' }),
    leadType: z.enum(LEAD_TYPES).optional().openapi({ example: 'direct' }),
    stage: z.enum(STAGES).optional().openapi({ example: 'lead' }),
    // No example: Swagger UI would fill it in, and the list as filled in would show only requests.
    lossRequested: z
      .literal('true')
      .optional()
      .openapi({ description: 'true: only the leads with a request to mark them lost (战败) waiting for a manager, the longest waiting first' }),
    // Swagger UI fills every example into "Try it out", and a lookup with a filter is refused:
    // the two lookups give their example in words, so the list as filled in works.
    phone: Phone.optional().openapi({
      example: undefined,
      description: 'finds the customer holding this number, in any written form (13800138000, 138 0013 8000); alone with siteId',
    }),
    phoneTail: z
      .string()
      .regex(/^\d{4}$/, 'exactly the last 4 digits')
      .optional()
      .openapi({ description: '尾号: the customers whose number ends in these 4 digits (8000); alone with siteId' }),
  })
  .superRefine((query, ctx) => {
    const lookup = query.phone !== undefined ? 'phone' : query.phoneTail !== undefined ? 'phoneTail' : null;
    if (lookup === null) return;
    for (const other of [...LIST_FILTERS, 'phone', 'phoneTail'] as const) {
      if (other !== lookup && query[other] !== undefined) ctx.addIssue({ code: 'custom', path: [other], message: `a lookup by ${lookup} takes no ${other}` });
    }
  });

export const InteractionInputSchema = z
  .object({
    channel: z.enum(INTERACTION_CHANNELS).openapi({ example: 'call' }),
    summary: text(2000).openapi({ example: '周六带家人来看样板间' }),
    intentLevel: z.enum(INTENT_LEVELS).optional().openapi({ example: 'H' }),
    leadType: z.enum(LEAD_TYPES).optional().openapi({
      description: 'what the contact learnt of the lead; into `potential` the next task is a review (watched, not chased), out of it a follow-up',
      example: 'direct',
    }),
    nextFollowUpAt: Instant.optional().openapi({ example: `${dayAhead(3)}T10:00:00+08:00`, description: 'an agreed time; must be in the future' }),
  })
  .strict()
  // No agreed time: an example instant passes with the calendar, and a past one is refused.
  .openapi('InteractionInput', { example: { channel: 'call', summary: '周六带家人来看样板间', intentLevel: 'H' } });

export const InteractionSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    siteId: z.string(),
    staffId: z.string(),
    channel: z.enum(INTERACTION_CHANNELS),
    summary: z.string(),
    intentLevel: z.enum(INTENT_LEVELS).nullable(),
    nextFollowUpAt: z.string().nullable(),
    taskId: z.string().nullable(),
    at: z.string(),
  })
  .openapi('Interaction');

export const ConflictSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    customerId: z.string(),
    ownerId: z.string(),
    claimantId: z.string(),
    ownerName: z.string().nullable().openapi({ description: "the owner's name when the conflict opened; null on conflicts opened before names were carried" }),
    claimantName: z.string().nullable().openapi({ description: "the claiming rep's name; null on conflicts opened before names were carried" }),
    receptionId: z.string(),
    status: z.enum(CONFLICT_STATUSES),
    createdAt: z.string(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    decidedOwnerId: z.string().nullable(),
  })
  .openapi('Conflict');

/** A buyer a key person brought, as the key person's owner reads them: who, how far they got, and whose they are; no phone. */
export const ReferralSchema = z
  .object({
    customerId: z.string(),
    name: z.string(),
    stage: z.enum(STAGES).openapi({ description: '`lead`; `customer` once signed; `owner` once delivered; `lost` if given up' }),
    ownerId: z.string().openapi({ description: 'the rep who owns the buyer' }),
    referredAt: z.string().openapi({ description: 'when the buyer was registered as brought' }),
  })
  .openapi('Referral');
