import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { addComplaintEvent, fileComplaint, getComplaint, listComplaints, type Complaint, type ComplaintEntry } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, RecordId } from '../schemas/common.ts';
import { ComplaintEntrySchema, ComplaintEventInputSchema, ComplaintInputSchema, ComplaintListQuery, ComplaintSchema } from '../schemas/complaints.ts';
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
      responses: { 201: ok('filed', z.object({ complaint: ComplaintSchema })), ...errorResponses },
    }),
    async (c) => c.json({ complaint: complaintView(await fileComplaint(c.get('ctx'), c.get('principal'), c.req.valid('json'))) }, 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/complaints',
      ...access('complaint.read', REACH.complaintLookup),
      tags,
      summary: "A site's complaints, newest first; overdue=true for the managers' queue; number= for the one complaint of that number",
      request: { query: ComplaintListQuery.extend(PageQuery) },
      responses: { 200: ok('a page of complaints', page(ComplaintSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor, overdue, ...filter } = c.req.valid('query');
      const result = await listComplaints(
        c.get('ctx'),
        c.get('principal'),
        { ...filter, overdue: overdue === 'true' },
        pageRequest(c, cursors, { limit, cursor }),
      );
      return c.json(pageResponse(c, cursors, result, complaintView), 200);
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
      responses: { 200: ok('the complaint', ComplaintSchema.extend({ timeline: z.array(ComplaintEntrySchema) })), ...errorResponses },
    }),
    async (c) => {
      const { complaint, timeline } = await getComplaint(c.get('ctx'), c.get('principal'), c.req.valid('param').id);
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
      responses: { 201: ok('recorded', z.object({ complaint: ComplaintSchema, entry: ComplaintEntrySchema })), ...errorResponses },
    }),
    async (c) => {
      const { complaint, entry } = await addComplaintEvent(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ complaint: complaintView(complaint), entry: entryView(entry) }, 201);
    },
  );
}
