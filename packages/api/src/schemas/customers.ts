import { z } from '@hono/zod-openapi';
import { CONFLICT_STATUSES, INTAKE_CHANNELS, INTENT_LEVELS, INTERACTION_CHANNELS, LEAD_TYPES, STAGES } from '@guanjia/core';
import { Amount, Birthday, someField, Day, Id, Instant, Phone, text } from './common.ts';

export const NeedsSchema = z
  .object({
    project: text(100),
    area: Amount,
    budget: Amount,
    layout: text(50),
    handoverDate: Day,
    householdSize: z.number().int().min(1).max(50),
    model: text(100),
    quantity: Amount,
    installDate: Day,
    notes: text(2000),
  })
  .partial()
  .strict()
  .openapi('Needs');

export const IntakeSchema = z
  .object({
    siteId: Id,
    name: text(50),
    phone: Phone,
    channel: z.enum(INTAKE_CHANNELS),
    leadType: z.enum(LEAD_TYPES).optional(),
    intentLevel: z.enum(INTENT_LEVELS).optional(),
    needs: NeedsSchema.optional(),
    birthday: Birthday.optional(),
    smsConsent: z.boolean().optional(),
    note: text(2000).optional(),
  })
  .strict()
  .openapi('Intake');

export const CustomerPatchSchema = someField(
  z
    .object({
      name: text(50),
      leadType: z.enum(LEAD_TYPES),
      intentLevel: z.enum(INTENT_LEVELS).nullable(),
      needs: NeedsSchema,
      birthday: Birthday.nullable(),
      smsConsent: z.boolean(),
      note: text(2000).nullable(),
      stage: z.literal('customer').openapi({ description: 'set when the contract is signed' }),
    })
    .partial()
    .strict(),
).openapi('CustomerPatch');

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
    openFollowUpId: z.string().nullable(),
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

const LIST_FILTERS = ['ownerId', 'intentLevel', 'leadType', 'stage'] as const;

/** The list, or a lookup by phone or by 尾号: a lookup names the number and the site, nothing else. */
export const CustomerListQuery = z
  .object({
    siteId: Id.optional(),
    ownerId: Id.optional(),
    intentLevel: z.enum(INTENT_LEVELS).optional(),
    leadType: z.enum(LEAD_TYPES).optional(),
    stage: z.enum(STAGES).optional(),
    phone: Phone.optional().openapi({ description: 'finds the customer holding this number, in any written form; alone with siteId' }),
    phoneTail: z
      .string()
      .regex(/^\d{4}$/, 'exactly the last 4 digits')
      .optional()
      .openapi({ example: '8000', description: '尾号: the customers whose number ends in these 4 digits; alone with siteId' }),
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
    channel: z.enum(INTERACTION_CHANNELS),
    summary: text(2000),
    intentLevel: z.enum(INTENT_LEVELS).optional(),
    nextFollowUpAt: Instant.optional(),
  })
  .strict()
  .openapi('InteractionInput');

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
