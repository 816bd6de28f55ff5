import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CONFLICT_STATUSES, listConflicts, resolveConflict } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, RecordId, SiteId, StaffId } from '../schemas/common.ts';
import { ConflictSchema } from '../schemas/customers.ts';
import { json, ok } from './media.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { access } from '../route-conventions.ts';

const IdParams = z.object({ id: RecordId });

export function conflictRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/conflicts',
      ...access('conflict.read'),
      tags: ['Ownership conflicts'],
      summary: 'Ownership conflicts (碰车) for the managers',
      request: { query: z.object({ siteId: SiteId.optional(), status: z.enum(CONFLICT_STATUSES).optional().openapi({ example: 'open' }) }).extend(PageQuery) },
      responses: { 200: ok('a page of conflicts', page(ConflictSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const result = await listConflicts(c.get('ctx'), c.get('principal'), filter, pageRequest(c, cursors, { limit, cursor }));
      return c.json(
        pageResponse(c, cursors, result, (x) => x),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/conflicts/{id}/resolve',
      ...access('conflict.resolve'),
      tags: ['Ownership conflicts'],
      summary: 'Settle who owns the customer',
      request: { params: IdParams, headers: IdempotencyHeader, body: json(z.object({ ownerId: StaffId }).strict()) },
      responses: { 200: ok('the settled conflict', ConflictSchema), ...errorResponses },
    }),
    async (c) => c.json(await resolveConflict(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json').ownerId), 200),
  );
}
