import { z } from '@hono/zod-openapi';
import { ASSET_KINDS } from '@guanjia/core';
import { Day, text } from './common.ts';
import { TaskSchema } from './tasks.ts';

const Asset = z.object({ kind: z.enum(ASSET_KINDS).openapi({ example: 'home' }), label: text(100).openapi({ example: '3栋1801' }) }).strict();

export const DeliveryInputSchema = z
  .object({ asset: Asset, deliveredOn: Day.openapi({ example: '2026-11-20' }) })
  .strict()
  .openapi('DeliveryInput');
export const DeliveryCorrectionSchema = z
  .object({ deliveredOn: Day.openapi({ example: '2026-11-18' }) })
  .strict()
  .openapi('DeliveryCorrection');

export const DeliverySchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    siteId: z.string(),
    asset: z.object({ kind: z.enum(ASSET_KINDS), label: z.string() }),
    deliveredOn: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Delivery');

export const CallbackRefSchema = z.object({ taskId: z.string(), plan: z.string(), dueOn: z.string() });

export const DeliveryResultSchema = z.object({ delivery: DeliverySchema, callbacks: z.array(CallbackRefSchema), tasks: z.array(TaskSchema) });
