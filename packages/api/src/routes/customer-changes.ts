import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CHANGE_FIELDS, listCustomerChanges } from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import { errorResponses, RecordId } from '../schemas/common.ts';
import { ok } from './media.ts';
import { access, REACH } from '../route-conventions.ts';

const CustomerChangeSchema = z
  .object({
    field: z.enum(CHANGE_FIELDS).openapi({
      description:
        'intentLevel, leadType, stage (a signing is its move to customer), ownerId, designerId, or designAgreementAt (the design agreement signed at a closed loop)',
    }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    by: z.string().openapi({ description: 'who made the change', example: 'rep-li' }),
    via: z.enum(['interaction', 'update', 'conflict', 'delivery', 'loss', 'designer', 'handover', 'close_loop']).openapi({
      description:
        "through what: a contact, an edit, a settled conflict, a delivery, an approved loss, a designer assigned, a leaver's handover, a closed loop (闭环)",
    }),
    at: z.string().openapi({ example: '2026-11-24T02:30:00.000Z' }),
  })
  .openapi('CustomerChange');

export function customerChangeRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/changes',
      ...access('customer.read', REACH.ownCustomers),
      tags: ['Customers'],
      summary:
        "The customer's change log (变更记录): every change of intent level, lead type, stage, owner and designer, who made it, when, from and to; oldest first",
      request: { params: z.object({ id: RecordId }) },
      responses: { 200: ok('the change log', z.object({ items: z.array(CustomerChangeSchema) })), ...errorResponses },
    }),
    async (c) => {
      const changes = await listCustomerChanges(c.get('ctx'), c.get('principal'), c.req.valid('param').id);
      return c.json({ items: changes.map(({ field, from, to, by, via, at }) => ({ field, from, to, by, via, at })) }, 200);
    },
  );
}
