import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { myComplaints, myDeliveries, myPreferences, myRecords, setMyPreferences } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, page, PageQuery } from '../schemas/common.ts';
import { OwnerComplaintSchema } from '../schemas/complaints.ts';
import { MyDeliverySchema, MyPreferencesSchema, MyRecordSchema } from '../schemas/me.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { ok } from './media.ts';
import { access, REACH } from '../route-conventions.ts';

const tags = ['Owners'];

/** The mini-program's routes: an owner only, found by the phone in their token; staff get 403. */
export function meRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me',
      ...access('me.read', REACH.ownerOnly),
      tags,
      summary: "The owner's customer records, one per site where they are known",
      request: { query: z.object(PageQuery) },
      responses: { 200: ok('a page of the records', page(MyRecordSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await myRecords(c.get('ctx'), c.get('principal'), pageRequest(c, cursors, { limit, cursor }));
      return c.json(
        pageResponse(c, cursors, result, (r) => r),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/deliveries',
      ...access('me.read', REACH.ownerOnly),
      tags,
      summary: "The handovers of every one of the owner's records, the latest first",
      request: { query: z.object(PageQuery) },
      responses: { 200: ok('a page of the deliveries', page(MyDeliverySchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await myDeliveries(c.get('ctx'), c.get('principal'), pageRequest(c, cursors, { limit, cursor }));
      return c.json(
        pageResponse(c, cursors, result, (d) => d),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/complaints',
      ...access('me.read', REACH.ownerOnly),
      tags,
      summary: "The owner's complaints at every site, newest first",
      request: { query: z.object(PageQuery) },
      responses: { 200: ok('a page of complaints, as the owner is shown them', page(OwnerComplaintSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await myComplaints(c.get('ctx'), c.get('principal'), pageRequest(c, cursors, { limit, cursor }));
      return c.json(
        pageResponse(c, cursors, result, (x) => x),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/me/preferences',
      ...access('me.read', REACH.ownerOnly),
      tags,
      summary: "Whether care texts go to the owner's phone, as the newest consent record says",
      responses: { 200: ok('the preferences', MyPreferencesSchema), ...errorResponses },
    }),
    async (c) => c.json(await myPreferences(c.get('ctx'), c.get('principal')), 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/me/preferences',
      ...access('me.update', REACH.ownerOnly),
      tags,
      summary: "Care texts on or off for the owner's phone, at every site; kept as a consent record",
      request: { body: { content: { 'application/json': { schema: MyPreferencesSchema } }, required: true } },
      responses: { 200: ok('saved', MyPreferencesSchema), ...errorResponses },
    }),
    async (c) => c.json(await setMyPreferences(c.get('ctx'), c.get('principal'), c.req.valid('json')), 200),
  );
}
