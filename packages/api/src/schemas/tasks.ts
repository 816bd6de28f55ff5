import { z } from '@hono/zod-openapi';
import { CHECK_RESULTS, CLOSE_LOOP_NEXT, INTERACTION_CHANNELS, TASK_KINDS, TASK_OUTCOMES, TASK_STATUSES } from '@guanjia/core';
import { Day, Instant, SiteId, StaffId, text } from './common.ts';
import { ComplaintSchema } from './complaints.ts';

/** 闭环 (000): what the rep asked after the designer meeting, and what comes next. */
export const CloseLoopSchema = z
  .object({
    satisfiedDesigner: z.boolean().openapi({ description: 'satisfied with how the designer communicated', example: true }),
    satisfiedWork: z.boolean().openapi({ description: 'satisfied with the work the designer showed', example: true }),
    satisfiedIdea: z.boolean().openapi({ description: "agrees with the designer's design idea", example: false }),
    budgetClear: z.boolean().openapi({ description: 'clear on what the budget will be spent on', example: true }),
    next: z.enum(CLOSE_LOOP_NEXT).openapi({ description: 'sign the design agreement now, or book a second visit', example: 'second_visit' }),
    secondVisitAt: Instant.optional().openapi({ description: "with second_visit: the time agreed; the customer's open follow-up moves there" }),
  })
  .strict()
  .openapi('CloseLoop');

export const TaskSchema = z
  .object({
    id: z.string(),
    kind: z.enum(TASK_KINDS),
    status: z.enum(TASK_STATUSES),
    siteId: z.string(),
    customerId: z.string(),
    customerName: z
      .string()
      .nullable()
      .openapi({ description: "the customer's name when the task was opened or last renamed; null on tasks written before names were carried" }),
    customerPhone: z.string().nullable().openapi({
      description:
        "the customer's phone, whole to those who may see the customer and masked (`138****8000`) to others; null on tasks written before phones were carried",
    }),
    assigneeId: z.string().nullable().openapi({ description: 'null for a callback not yet given to an agent' }),
    dueAt: z.string(),
    createdAt: z.string(),
    outcome: z.enum(TASK_OUTCOMES).nullable(),
    note: z.string().nullable(),
    closedAt: z.string().nullable(),
    closedBy: z.string().nullable(),
    plan: z.string().nullable().openapi({
      description: "callbacks: the plan entry (`P3M`, `repair`); milestones: the customer's date and the days before it (`installDate-30`)",
    }),
    dueOn: z.string().nullable().openapi({ description: 'callbacks and milestones: the site day the call is due' }),
    deliveryId: z.string().nullable(),
    complaintId: z.string().nullable().openapi({ description: 'repair callbacks and escalations: their complaint' }),
    checklist: z.array(z.string()).nullable(),
    assetLabel: z.string().nullable().openapi({
      description: 'callbacks: the handed-over asset (home, car) they are about; null on other kinds and on callbacks written before it was carried',
    }),
    attempts: z.number().int(),
    result: z
      .object({
        checklist: z.record(z.string(), z.enum(CHECK_RESULTS)),
        satisfaction: z.number().int().nullable(),
        issues: z.array(z.object({ category: z.string(), description: z.string() })),
        closeLoop: CloseLoopSchema.nullable().optional().openapi({ description: "close_loop tasks: the customer's answers and what came of them" }),
      })
      .nullable(),
  })
  .openapi('Task');

/** A completion's answer: the task, and for a callback whose findings had issues the complaints they opened. */
export const CompletedTaskSchema = TaskSchema.extend({
  complaints: z
    .array(ComplaintSchema)
    .openapi({ description: 'one per entry of `issues`, each with the number to quote to the owner; empty for a follow-up or a review' }),
}).openapi('CompletedTask');

export const TaskListQuery = z.object({
  assigneeId: StaffId.optional(),
  siteId: SiteId.optional(),
  kind: z.enum(TASK_KINDS).optional().openapi({ example: 'follow_up' }),
  status: z.enum(TASK_STATUSES).optional().openapi({ description: 'open unless said otherwise', example: 'open' }),
  dueBefore: z.union([Day, Instant]).optional().openapi({
    description: "an instant, or a day (`YYYY-MM-DD`): due before that day ends in the site's zone, so `dueBefore=<today>` is today's list",
    example: '2026-11-30',
  }),
});

export const CompletionSchema = z
  .object({
    outcome: z.enum(TASK_OUTCOMES).openapi({ example: 'reached' }),
    note: text(2000).optional().openapi({ example: '业主表示入住三个月一切正常' }),
    satisfaction: z.number().int().min(1).max(5).optional().openapi({ example: 5 }),
    checklist: z
      .record(text(64), z.enum(CHECK_RESULTS))
      .optional()
      .openapi({ example: { 门窗开关顺畅: 'ok', 水电正常: 'issue' } }),
    issues: z
      .array(z.object({ category: text(32).openapi({ example: '水电' }), description: text(2000).openapi({ example: '厨房插座不通电' }) }).strict())
      .max(20)
      .optional(),
    channel: z.enum(INTERACTION_CHANNELS).optional().openapi({ example: 'call' }),
    closeLoop: CloseLoopSchema.optional().openapi({ description: 'required for a close_loop task, refused on any other kind' }),
  })
  .strict()
  // A follow-up reached: the checklist, score and issues are a callback's findings.
  .openapi('Completion', { example: { outcome: 'reached', note: '客户周六带家人来看样板间', channel: 'call' } });
