import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  addComplaintEvent,
  complaintForOwner,
  complaintsForOwner,
  fileComplaint,
  getComplaint,
  listComplaints,
  type Complaint,
  type ComplaintEntry,
} from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, RecordId } from '../schemas/common.ts';
import {
  ComplaintEntrySchema,
  ComplaintEventInputSchema,
  ComplaintInputSchema,
  ComplaintListQuery,
  ComplaintSchema,
  OwnerComplaintEntrySchema,
  OwnerComplaintSchema,
  SeenComplaintEntrySchema,
  SeenComplaintSchema,
} from '../schemas/complaints.ts';
import { withoutVersion } from '../views.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { json, ok } from './media.ts';
import { access, REACH } from '../route-conventions.ts';

const tags = ['Complaints'];
const complaintView = (c: Complaint) => withoutVersion(c);
const entryView = ({ complaintId: _c, ...entry }: ComplaintEntry) => entry;

export function complaintRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/complaints',
      ...access('complaint.create', REACH.complaintFiling),
      tags,
      summary: 'File a complaint (staff for a customer, an owner for themselves); the owner gets an SMS acknowledgement',
      request: { headers: IdempotencyHeader, body: json(ComplaintInputSchema) },
      responses: { 201: ok('filed (an owner gets their view, OwnerComplaint)', z.object({ complaint: SeenComplaintSchema })), ...errorResponses },
    }),
    async (c) => {
      const [ctx, principal] = [c.get('ctx'), c.get('principal')];
      const complaint = await fileComplaint(ctx, principal, c.req.valid('json'));
      if (principal.role !== 'owner') return c.json({ complaint: complaintView(complaint) }, 201);
      return c.json({ complaint: (await complaintsForOwner(ctx, [complaint]))[0]! }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/complaints',
      ...access('complaint.read', REACH.complaintLookup),
      tags,
      summary: "A site's complaints, newest first; overdue=true for the managers' queue; number= for the one complaint of that number",
      request: { query: ComplaintListQuery.extend(PageQuery) },
      responses: {
        200: ok('a page of complaints (an owner, looking up a number, gets their view, OwnerComplaint)', page(SeenComplaintSchema)),
        ...errorResponses,
      },
    }),
    async (c) => {
      const [ctx, principal] = [c.get('ctx'), c.get('principal')];
      const { limit, cursor, overdue, ...filter } = c.req.valid('query');
      const result = await listComplaints(ctx, principal, { ...filter, overdue: overdue === 'true' }, pageRequest(c, cursors, { limit, cursor }));
      if (principal.role !== 'owner') return c.json(pageResponse(c, cursors, result, complaintView), 200);
      return c.json(
        pageResponse(c, cursors, { items: await complaintsForOwner(ctx, result.items), next: result.next }, (x) => x),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/complaints/{id}',
      ...access('complaint.read', REACH.ownerRecords),
      tags,
      summary: 'A complaint with its whole timeline',
      request: { params: z.object({ id: RecordId }) },
      responses: {
        200: ok(
          'the complaint (an owner gets their view, without internal notes)',
          z.union([
            ComplaintSchema.extend({ timeline: z.array(ComplaintEntrySchema) }),
            OwnerComplaintSchema.extend({ timeline: z.array(OwnerComplaintEntrySchema) }),
          ]),
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const [ctx, principal] = [c.get('ctx'), c.get('principal')];
      const { complaint, timeline } = await getComplaint(ctx, principal, c.req.valid('param').id);
      if (principal.role === 'owner') return c.json(await complaintForOwner(ctx, complaint, timeline), 200);
      return c.json({ ...complaintView(complaint), timeline: timeline.map(entryView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/complaints/{id}/events',
      ...access('complaint.read', REACH.ownerSteps),
      tags,
      summary: 'A step: respond, assign, note, resolve, reopen, close (409 invalid_transition for a step the process does not have)',
      request: { params: z.object({ id: RecordId }), headers: IdempotencyHeader, body: json(ComplaintEventInputSchema) },
      responses: {
        201: ok('recorded (an owner gets their view)', z.object({ complaint: SeenComplaintSchema, entry: SeenComplaintEntrySchema })),
        ...errorResponses,
      },
    }),
    async (c) => {
      const [ctx, principal] = [c.get('ctx'), c.get('principal')];
      const { complaint, entry } = await addComplaintEvent(ctx, principal, c.req.valid('param').id, c.req.valid('json'));
      if (principal.role !== 'owner') return c.json({ complaint: complaintView(complaint), entry: entryView(entry) }, 201);
      const { timeline, ...mine } = await complaintForOwner(ctx, complaint, [entry]);
      return c.json({ complaint: mine, entry: timeline[0]! }, 201);
    },
  );
}
