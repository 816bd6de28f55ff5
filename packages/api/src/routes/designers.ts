import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  assignDesigner,
  matchDesigners,
  recordDesignerMeeting,
  recentAssignments,
  setDesignerProfile,
  withPhoneConsent,
  type Context,
  type Customer,
  type DesignerProfile,
} from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import { languageOf } from '../messages/language.ts';
import { sayReason } from '../messages/match-reasons.ts';
import { access, REACH } from '../route-conventions.ts';
import { CustomerSchema } from '../schemas/customers.ts';
import { errorResponses, IdempotencyHeader, RecordId, SiteId } from '../schemas/common.ts';
import { AssignInputSchema, MatchesSchema, MatchInputSchema, ProfileInputSchema, ProfileSchema } from '../schemas/designers.ts';
import { TaskSchema } from '../schemas/tasks.ts';
import { customerView, taskView } from '../views.ts';
import { json, ok } from './media.ts';

const tags = ['Designers'];
const CustomerParams = z.object({ id: RecordId });
const ProfileParams = z.object({ siteId: SiteId, staffId: z.string().min(1).max(64).openapi({ example: 'des-wang' }) });

/** The profile as served: its load counted, not the instants it is counted from. */
function profileView(profile: DesignerProfile, now: Date) {
  const { recent: _recent, version: _version, ...shown } = profile;
  return { ...shown, assignmentsLastYear: recentAssignments(profile, now).length };
}

async function shown(ctx: Context, customer: Customer) {
  const [withConsent] = await withPhoneConsent(ctx, [customer]);
  return customerView(withConsent ?? customer);
}

/** 推荐设计师 (000): designers' profiles, matching a customer to them, and the assignment. */
export function designerRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/sites/{siteId}/staff/{staffId}/profile',
      ...access('staff.profile'),
      tags,
      summary: "Set a staff member's designer profile: level, styles, yearly capacity",
      description: 'The fee per m² of each level is a site setting (`designerFees`). Assignments counted so far stay with the profile.',
      request: { params: ProfileParams, body: json(ProfileInputSchema) },
      responses: { 200: ok('the profile', ProfileSchema), ...errorResponses },
    }),
    async (c) => {
      const { siteId, staffId } = c.req.valid('param');
      const ctx = c.get('ctx');
      const profile = await setDesignerProfile(ctx, c.get('principal'), siteId, staffId, c.req.valid('json'));
      return c.json(profileView(profile, ctx.clock.now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/matches',
      ...access('customer.match', REACH.ownCustomers),
      tags,
      summary: "Rank the site's designers for the customer, best first, with the reasons a rep can say",
      description:
        "Weighs the design fee (area × the level's fee per m²) against the site's share of `needs.budget`, the styles asked for and the designer's room left in the year. Candidates within the site's `matchMargin` are equal, and the one with fewer assignments in the last 365 days goes first (效率优先、兼顾公平). Each reason's `text` is in the request's language (`Accept-Language`).",
      request: { params: CustomerParams, body: json(MatchInputSchema) },
      responses: { 200: ok('the candidates, best first', MatchesSchema), ...errorResponses },
    }),
    async (c) => {
      const language = languageOf(c.req.header('Accept-Language'));
      const candidates = await matchDesigners(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json').styles);
      return c.json({ candidates: candidates.map((cand) => ({ ...cand, reasons: cand.reasons.map((r) => sayReason(language, r)) })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/designer',
      ...access('customer.assign_designer', REACH.ownCustomers),
      tags,
      summary: 'Assign a designer to the customer',
      description:
        "Recorded on the customer (`designerId`, `designerDecision`) and in its change log; the designer then reads the customer, and the assignment counts toward the designer's load, and a change of designer takes it off the one left. A staff member without a profile at the site is 400; the same designer again changes nothing.",
      request: { params: CustomerParams, headers: IdempotencyHeader, body: json(AssignInputSchema) },
      responses: { 200: ok('the customer with its designer', CustomerSchema), ...errorResponses },
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const customer = await assignDesigner(ctx, c.get('principal'), c.req.valid('param').id, c.req.valid('json').staffId);
      return c.json(await shown(ctx, customer), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/designer-meeting',
      ...access('customer.record_meeting', REACH.ownCustomers),
      tags,
      summary: 'Record that the customer met their designer: opens the close_loop (闭环) task for the owner, due by the end of the site day',
      description:
        "The rep, a manager or the assigned designer records it. The task's id is the customer and the site day, so a meeting recorded twice in a day opens one task (200 with it); it stands beside the open follow-up. Completing it (`POST /v1/tasks/{id}/complete` with `closeLoop`) keeps the customer's answers and signs the design agreement or moves the follow-up to the second visit. A customer without a designer is 409.",
      request: { params: CustomerParams, headers: IdempotencyHeader },
      responses: {
        201: ok('the close_loop task, opened', TaskSchema),
        200: ok('the close_loop task of this day, already recorded', TaskSchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { task, opened } = await recordDesignerMeeting(c.get('ctx'), c.get('principal'), c.req.valid('param').id);
      return opened ? c.json(taskView(task), 201) : c.json(taskView(task), 200);
    },
  );
}
