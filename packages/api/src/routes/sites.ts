import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { addStaff, createSite, getSite, listStaff, nextOnDuty, peekOnDuty, setDuty, updateSite } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, SiteId } from '../schemas/common.ts';
import { DutyInputSchema, OnDutySchema, SiteInputSchema, SitePatchSchema, SiteSchema, StaffInputSchema, StaffSchema } from '../schemas/sites.ts';
import { siteView } from '../views.ts';
import { json } from './media.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { access } from '../route-conventions.ts';

const SiteParams = z.object({ siteId: SiteId });
const tags = ['Sites and staff'];

export function siteRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sites',
      ...access('site.create'),
      tags,
      summary: 'Create a site',
      request: { headers: IdempotencyHeader, body: json(SiteInputSchema) },
      responses: { 201: { description: 'created', content: { 'application/json': { schema: SiteSchema } } }, ...errorResponses },
    }),
    async (c) => c.json(siteView(await createSite(c.get('ctx'), c.get('principal'), c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sites/{siteId}',
      ...access('site.read'),
      tags,
      summary: 'Read a site',
      request: { params: SiteParams },
      responses: { 200: { description: 'the site', content: { 'application/json': { schema: SiteSchema } } }, ...errorResponses },
    }),
    async (c) => c.json(siteView(await getSite(c.get('ctx'), c.get('principal'), c.req.valid('param').siteId)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/sites/{siteId}',
      ...access('site.update'),
      tags,
      summary: 'Change a site',
      request: { params: SiteParams, body: json(SitePatchSchema) },
      responses: { 200: { description: 'the site', content: { 'application/json': { schema: SiteSchema } } }, ...errorResponses },
    }),
    async (c) => c.json(siteView(await updateSite(c.get('ctx'), c.get('principal'), c.req.valid('param').siteId, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sites/{siteId}/staff',
      ...access('staff.create'),
      tags,
      summary: 'Add a staff member',
      request: { params: SiteParams, headers: IdempotencyHeader, body: json(StaffInputSchema) },
      responses: { 201: { description: 'created', content: { 'application/json': { schema: StaffSchema } } }, ...errorResponses },
    }),
    async (c) => c.json(await addStaff(c.get('ctx'), c.get('principal'), c.req.valid('param').siteId, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sites/{siteId}/staff',
      ...access('staff.read'),
      tags,
      summary: 'List the staff of a site',
      request: { params: SiteParams, query: z.object(PageQuery) },
      responses: {
        200: { description: 'a page of the staff, in id order', content: { 'application/json': { schema: page(StaffSchema) } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await listStaff(c.get('ctx'), c.get('principal'), c.req.valid('param').siteId, pageRequest(c, cursors, { limit, cursor }));
      return c.json(
        pageResponse(c, cursors, result, (s) => s),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/sites/{siteId}/reception/duty',
      ...access('duty.set'),
      tags: ['Reception'],
      summary: 'Set the on-duty rotation',
      request: { params: SiteParams, body: json(DutyInputSchema) },
      responses: {
        200: { description: 'the rotation', content: { 'application/json': { schema: z.object({ siteId: z.string(), staffIds: z.array(z.string()) }) } } },
        ...errorResponses,
      },
    }),
    async (c) => c.json(await setDuty(c.get('ctx'), c.get('principal'), c.req.valid('param').siteId, c.req.valid('json').staffIds), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sites/{siteId}/reception/next',
      ...access('reception.next'),
      tags: ['Reception'],
      summary: 'Whose turn it is to receive the next walk-in; the turn moves on',
      request: { params: SiteParams },
      responses: { 200: { description: 'the rep on turn, with their name', content: { 'application/json': { schema: OnDutySchema } } }, ...errorResponses },
    }),
    async (c) => c.json(await nextOnDuty(c.get('ctx'), c.get('principal'), c.req.valid('param').siteId), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sites/{siteId}/reception/next',
      ...access('reception.next'),
      tags: ['Reception'],
      summary: 'Whose turn it is to receive the next walk-in, without moving the turn',
      request: { params: SiteParams },
      responses: { 200: { description: 'the rep on turn, with their name', content: { 'application/json': { schema: OnDutySchema } } }, ...errorResponses },
    }),
    async (c) => c.json(await peekOnDuty(c.get('ctx'), c.get('principal'), c.req.valid('param').siteId), 200),
  );
}
