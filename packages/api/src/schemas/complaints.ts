import { z } from '@hono/zod-openapi';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, COMPLAINT_EVENTS, COMPLAINT_NUMBER, COMPLAINT_STATES, SEVERITIES } from '@guanjia/core';
import { Id, RecordId, text } from './common.ts';

export const ComplaintInputSchema = z
  .object({
    customerId: RecordId.optional().openapi({ description: 'staff: required; an owner known at several sites names the record' }),
    deliveryId: RecordId.optional(),
    category: z.enum(COMPLAINT_CATEGORIES),
    severity: z.enum(SEVERITIES).optional(),
    channel: z.enum(COMPLAINT_CHANNELS),
    description: text(2000),
  })
  .strict()
  .openapi('ComplaintInput');

const Actor = z.object({ kind: z.enum(['staff', 'owner', 'system']), id: z.string() }).openapi({ description: 'system: a scheduled job (`sla`)' });

export const ComplaintSchema = z
  .object({
    id: z.string(),
    number: z
      .string()
      .openapi({ description: '投诉编号, quoted on the phone and in the SMS: digits only, at most 10, unique company-wide', example: '2611230417' }),
    siteId: z.string(),
    customerId: z.string(),
    deliveryId: z.string().nullable(),
    callbackId: z.string().nullable(),
    category: z.enum(COMPLAINT_CATEGORIES),
    severity: z.enum(SEVERITIES),
    channel: z.enum(COMPLAINT_CHANNELS),
    description: z.string(),
    status: z.enum(COMPLAINT_STATES),
    assigneeId: z.string().nullable(),
    filedBy: Actor,
    respondBy: z.string(),
    respondedAt: z.string().nullable(),
    responseMinutes: z.number().nullable(),
    escalated: z.boolean(),
    warnedAt: z.string().nullable().openapi({ description: 'when the SLA job warned that the deadline was near' }),
    satisfaction: z.number().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Complaint');

export const ComplaintEntrySchema = z
  .object({
    id: z.string(),
    event: z.string(),
    by: Actor,
    at: z.string(),
    note: z.string().nullable(),
    internal: z.boolean(),
    fromState: z.enum(COMPLAINT_STATES),
    toState: z.enum(COMPLAINT_STATES),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('ComplaintEntry');

export const ComplaintEventInputSchema = z
  .object({
    type: z.enum(COMPLAINT_EVENTS),
    note: text(2000).optional(),
    internal: z.boolean().optional().openapi({ description: 'a staff note the owner never sees' }),
    assigneeId: Id.optional(),
    satisfaction: z.number().int().min(1).max(5).optional(),
  })
  .strict()
  .openapi('ComplaintEventInput');

export const ComplaintListQuery = z.object({
  siteId: Id.optional(),
  status: z.enum(COMPLAINT_STATES).optional(),
  overdue: z.enum(['true', 'false']).optional().openapi({ description: 'true: unanswered past their deadline, oldest breach first' }),
  number: z
    .string()
    .trim()
    .regex(COMPLAINT_NUMBER, 'digits only, at most 10')
    .optional()
    .openapi({ description: 'the complaint of this number, if it is within reach (owners too); otherwise an empty list' }),
});
