import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { correctDelivery, listDeliveries, recordDelivery, type Delivery, type Task } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, RecordId } from '../schemas/common.ts';
import { DeliveryCorrectionSchema, DeliveryInputSchema, DeliveryResultSchema, DeliverySchema } from '../schemas/deliveries.ts';
import { taskView, withoutVersion } from '../views.ts';
import { json, ok } from './media.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { access, REACH } from '../route-conventions.ts';

const tags = ['Deliveries and callbacks'];

const resultView = ({ delivery, callbacks }: { delivery: Delivery; callbacks: Task[] }) => ({
  delivery: withoutVersion(delivery),
  callbacks: callbacks.map((t) => ({ taskId: t.id, plan: t.plan ?? '', dueOn: t.dueOn ?? '' })),
  tasks: callbacks.map(taskView),
});

export function deliveryRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/deliveries',
      ...access('delivery.create'),
      tags,
      summary: 'Record a handover: the customer becomes an owner and the callback plan opens',
      request: { params: z.object({ id: RecordId }), headers: IdempotencyHeader, body: json(DeliveryInputSchema) },
      responses: {
        200: ok(
          'the same asset (label compared after NFKC folding and trimming) was delivered already: that delivery, its date corrected if it differed',
          DeliveryResultSchema,
        ),
        201: ok('recorded, with its callbacks', DeliveryResultSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const result = await recordDelivery(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json'));
      return result.outcome === 'created' ? c.json(resultView(result), 201) : c.json(resultView(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/deliveries',
      ...access('delivery.read', REACH.ownCustomers),
      tags,
      summary: "The customer's deliveries",
      request: { params: z.object({ id: RecordId }), query: z.object(PageQuery) },
      responses: { 200: ok('a page of the deliveries', page(DeliverySchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await listDeliveries(c.get('ctx'), c.get('principal'), c.req.valid('param').id, pageRequest(c, cursors, { limit, cursor }));
      return c.json(pageResponse(c, cursors, result, withoutVersion), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/{id}/deliveries/{deliveryId}',
      ...access('delivery.create'),
      tags,
      summary: 'Correct the delivery date; open callbacks move with it',
      request: { params: z.object({ id: RecordId, deliveryId: RecordId.openapi({ example: '0mwsl98g0k3m8q2r6t1w4' }) }), body: json(DeliveryCorrectionSchema) },
      responses: { 200: ok('corrected, with its callbacks', DeliveryResultSchema), ...errorResponses },
    }),
    async (c) => {
      const { id, deliveryId } = c.req.valid('param');
      return c.json(resultView(await correctDelivery(c.get('ctx'), c.get('principal'), id, deliveryId, c.req.valid('json').deliveredOn)), 200);
    },
  );
}
