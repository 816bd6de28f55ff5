import { z } from '@hono/zod-openapi';
import { COMPLAINT_CATEGORIES, COMPLAINT_CHANNELS, COMPLAINT_EVENTS, COMPLAINT_NUMBER, COMPLAINT_STATES, SEVERITIES, STAFF_ROLES } from '@guanjia/core';
import { RecordId, SiteId, StaffId, text } from './common.ts';

export const ComplaintInputSchema = z
  .object({
    customerId: RecordId.optional().openapi({ description: 'staff: required; an owner known at several sites names the record' }),
    deliveryId: RecordId.optional(),
    category: z.enum(COMPLAINT_CATEGORIES).openapi({ example: 'repair' }),
    severity: z.enum(SEVERITIES).optional().openapi({ example: 'normal' }),
    channel: z.enum(COMPLAINT_CHANNELS).openapi({ example: 'mini_program' }),
    description: text(2000).openapi({ example: '卫生间地漏返味，已经一周了' }),
  })
  .strict()
  // An owner's filing, which works as it is for the phone of the intake example; staff add
  // `customerId`, a record id no example can know.
  .openapi('ComplaintInput', { example: { category: 'repair', severity: 'normal', channel: 'mini_program', description: '卫生间地漏返味，已经一周了' } });

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

const OwnerActor = z
  .object({
    kind: z.enum(['staff', 'owner', 'system']),
    name: z
      .string()
      .nullable()
      .openapi({ description: "the staff member's name (陈静); null for the owner, a job, or staff not on the site's list", example: '陈静' }),
    role: z.enum(STAFF_ROLES).nullable().openapi({ description: "the staff member's role, for a label such as 客服专员; null as name is", example: 'service' }),
  })
  .openapi('OwnerActor', { description: 'who acted, as the owner is shown it: staff by name and role, never by id' });

/** A complaint as its owner reads it: how staff route, chase and measure it is theirs. */
export const OwnerComplaintSchema = ComplaintSchema.omit({
  filedBy: true,
  assigneeId: true,
  warnedAt: true,
  callbackId: true,
  responseMinutes: true,
})
  .extend({ filedBy: OwnerActor })
  .openapi('OwnerComplaint', {
    description: 'what an owner is shown: staff by name, without the assignee, SLA warning, callback or response minutes staff see',
  });

export const OwnerComplaintEntrySchema = ComplaintEntrySchema.omit({ by: true, internal: true, details: true })
  .extend({
    by: OwnerActor,
    details: z
      .object({ satisfaction: z.number().optional(), assignee: OwnerActor.optional() })
      .openapi({ description: "close: the owner's score; assign: who now handles it" }),
  })
  .openapi('OwnerComplaintEntry', { description: 'a timeline entry as the owner is shown it; internal notes never reach the owner' });

/** The shape of a complaint each caller gets: staff see the whole record, an owner their view of it. */
export const SeenComplaintSchema = z.union([ComplaintSchema, OwnerComplaintSchema]);
export const SeenComplaintEntrySchema = z.union([ComplaintEntrySchema, OwnerComplaintEntrySchema]);

export const ComplaintEventInputSchema = z
  .object({
    type: z.enum(COMPLAINT_EVENTS).openapi({ example: 'respond' }),
    note: text(2000).optional().openapi({ example: '已联系业主，明天上午安排维修师傅上门' }),
    internal: z.boolean().optional().openapi({
      description:
        "whether the owner never sees this step's note. A staff `note` is internal unless it says `false`; the other steps, and an owner's note, are shown to the owner unless staff say `true`",
      example: false,
    }),
    assigneeId: StaffId.optional().openapi({
      description: "for `assign`: an active service agent or manager of the complaint's site (others may not read complaints: 400 `cannot_read_complaints`)",
      example: 'svc-chen',
    }),
    satisfaction: z.number().int().min(1).max(5).optional().openapi({ example: 5 }),
  })
  .strict()
  // One step with what it takes: every field at once would be an answer that also assigns and scores.
  .openapi('ComplaintEventInput', { example: { type: 'respond', note: '已联系业主，明天上午安排维修师傅上门' } });

export const ComplaintListQuery = z.object({
  siteId: SiteId.optional(),
  status: z.enum(COMPLAINT_STATES).optional().openapi({ example: 'received' }),
  overdue: z.enum(['true', 'false']).optional().openapi({ description: 'true: unanswered past their deadline, oldest breach first', example: 'false' }),
  number: z
    .string()
    .trim()
    .regex(COMPLAINT_NUMBER, 'digits only, at most 10')
    .optional()
    // No example: Swagger UI would fill it in, and the list would become a lookup of a number no one was given.
    .openapi({ description: 'the complaint of this number (2611230417), if it is within reach (owners too); otherwise an empty list' }),
});
