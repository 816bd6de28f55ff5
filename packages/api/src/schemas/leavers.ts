import { z } from '@hono/zod-openapi';
import { HANDOVER_STATUSES } from '@guanjia/core';
import { StaffId } from './common.ts';

export const HandoverInputSchema = z
  .object({
    to: z
      .array(StaffId)
      .min(1)
      .max(50)
      .openapi({ description: 'the colleagues who take the customers, in turn (round robin)', example: ['rep-zhao'] }),
  })
  .strict()
  .openapi('HandoverInput');

const count = z.number().int().nonnegative();

export const HandoverSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    fromId: z.string().openapi({ description: 'the leaver' }),
    to: z.array(z.string()),
    status: z.enum(HANDOVER_STATUSES).openapi({
      description: 'running; done; stopped: every colleague named has left since, so the rest waits for a new hand-over naming others',
    }),
    counts: z.object({ customers: count, tasks: count, skipped: count, designs: count }).openapi({
      description:
        'customers and open tasks moved so far; skipped: listed but no longer the leaver’s when reached; designs: customers a departed designer was assigned, given to the designer colleagues',
    }),
    chunksDone: count,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Handover');
