import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listMessages, optOut, type OutboxMessage } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, RecordId } from '../schemas/common.ts';
import { ConsentSchema, MessageSchema, OptOutSchema } from '../schemas/messages.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { ok } from './media.ts';
import { access, REACH } from '../route-conventions.ts';

const tags = ['SMS and care'];

const messageView = ({ version: _v, siteId: _s, customerId: _c, providerId: _p, updatedAt: _u, ...message }: OutboxMessage) => message;

export function messageRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/messages',
      ...access('customer.read', REACH.ownCustomers),
      tags,
      summary: 'Every SMS queued, sent, deferred or suppressed for the customer, newest first',
      request: { params: z.object({ id: RecordId }), query: z.object(PageQuery) },
      responses: { 200: ok('a page of messages', page(MessageSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await listMessages(c.get('ctx'), c.get('principal'), c.req.valid('param').id, pageRequest(c, cursors, { limit, cursor }));
      return c.json(pageResponse(c, cursors, result, messageView), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sms/opt-out',
      ...access('sms.opt_out'),
      tags,
      summary: 'The number gets no care message again (notices still go); kept as a record',
      request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: OptOutSchema } }, required: true } },
      responses: { 201: ok('recorded', ConsentSchema), ...errorResponses },
    }),
    async (c) => c.json(await optOut(c.get('ctx'), c.get('principal'), c.req.valid('json').phone), 201),
  );
}
