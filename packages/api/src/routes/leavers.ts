import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { deactivateStaff, getHandover, startHandover, type HandoverRecord } from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import type { Leavers } from '../leavers.ts';
import { access } from '../route-conventions.ts';
import { errorResponses, IdempotencyHeader, RecordId, SiteId, StaffId } from '../schemas/common.ts';
import { HandoverInputSchema, HandoverSchema } from '../schemas/leavers.ts';
import { StaffSchema } from '../schemas/sites.ts';
import { json } from './media.ts';

/**
 * The leaver of the examples is the staff member the example of `POST …/staff` adds, so that
 * "Try it out" in /docs on the demo never takes away the demo's own rep (`rep-li`).
 */
const StaffParams = z.object({
  siteId: SiteId,
  staffId: StaffId.openapi({
    example: 'rep-wang',
    description:
      "the staff member who leaves. The example, `rep-wang`, is not one of the demo's own staff: it is the rep the example of `POST /v1/sites/{siteId}/staff` adds, so add them first. Deactivating cannot be undone, so /docs does not offer the demo's own reps (`rep-li`, `rep-zhao`).",
  }),
});
const tags = ['Sites and staff'];
const HANDOVERS_PATH = '/v1/handovers';

const handoverView = (r: HandoverRecord) => ({
  id: r.id,
  siteId: r.siteId,
  fromId: r.fromId,
  to: r.to,
  status: r.status,
  counts: { ...r.counts, designs: r.counts.designs ?? 0 },
  chunksDone: r.chunksDone,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

/** A rep who leaves (离职交接): deactivated, then their customers and open tasks handed to colleagues. */
export function leaverRoutes(app: OpenAPIHono<AppEnv>, leavers: Leavers): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sites/{siteId}/staff/{staffId}/deactivate',
      ...access('staff.deactivate'),
      tags,
      summary: 'Deactivate a staff member who leaves',
      description:
        'Marks the staff member inactive with who and when; from then on their tokens answer 401 (`staff_deactivated`), at once on the instance that took the request and within 30 seconds on any other. Deactivating again changes nothing.',
      request: { params: StaffParams },
      responses: { 200: { description: 'the staff member, deactivated', content: { 'application/json': { schema: StaffSchema } } }, ...errorResponses },
    }),
    async (c) => {
      const { siteId, staffId } = c.req.valid('param');
      const staff = await deactivateStaff(c.get('ctx'), c.get('principal'), siteId, staffId);
      leavers.left(staff.id);
      return c.json(staff, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/sites/{siteId}/staff/{staffId}/handover',
      ...access('staff.handover'),
      tags,
      summary: "Hand a leaver's customers and open tasks to colleagues",
      description:
        "Starts a hand-over job (202): the deactivated staff member's customers go to the colleagues in `to` in turn, one transaction per customer that moves the owner, the customer's open tasks given to the leaver, its change log (`via: handover`) and the lead gauges (past days' and months' figures stay where they fell). It runs in chunks and resumes after an interruption; a customer moved already is skipped. Each colleague must be able to do the leaver's work: a sales rep's book goes to sales reps or managers, anyone else's to their own role (400 `wrong_role`; the leaver themself, `is_leaver`). 409 while the staff member is still active, and `handover_running` while a hand-over of theirs at the site is still running (a stopped or done one does not stand in the way).",
      request: { params: StaffParams, headers: IdempotencyHeader, body: json(HandoverInputSchema) },
      responses: {
        202: { description: 'the job, running', content: { 'application/json': { schema: z.object({ handover: HandoverSchema }) } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      const { siteId, staffId } = c.req.valid('param');
      const record = await startHandover(c.get('ctx'), c.get('principal'), siteId, staffId, c.req.valid('json').to);
      c.header('Location', `${HANDOVERS_PATH}/${record.id}`);
      return c.json({ handover: handoverView(record) }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${HANDOVERS_PATH}/{id}`,
      ...access('staff.handover'),
      tags,
      summary: 'Read a hand-over and its progress',
      request: { params: z.object({ id: RecordId }) },
      responses: {
        200: { description: 'the hand-over', content: { 'application/json': { schema: z.object({ handover: HandoverSchema }) } } },
        ...errorResponses,
      },
    }),
    async (c) => c.json({ handover: handoverView(await getHandover(c.get('ctx'), c.get('principal'), c.req.valid('param').id)) }, 200),
  );
}
