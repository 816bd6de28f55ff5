import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { decideLoss, requestLoss, withPhoneConsent, type Context, type Customer } from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, RecordId } from '../schemas/common.ts';
import { CustomerSchema, LossDecisionInputSchema, LossRequestInputSchema } from '../schemas/customers.ts';
import { customerView } from '../views.ts';
import { json, ok } from './media.ts';
import { access, REACH } from '../route-conventions.ts';

const CustomerParams = z.object({ id: RecordId });
const tags = ['Lost leads'];
const steps = 'A step that does not fit the lead (not a lead, a request already pending, none pending) is 409 and changes nothing.';

async function shown(ctx: Context, customer: Customer) {
  const [withConsent] = await withPhoneConsent(ctx, [customer]);
  return customerView(withConsent ?? customer);
}

/** Losing a lead (战败) needs a manager (dealer practice): the rep asks, a manager of the site decides. */
export function lossRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/loss',
      ...access('customer.request_loss', REACH.ownCustomers),
      tags,
      summary: 'Ask a manager to mark the lead lost (战败), with the reason',
      description: `The request waits on the customer as \`lossRequest\`; the chase goes on until a manager decides. ${steps}`,
      request: { params: CustomerParams, headers: IdempotencyHeader, body: json(LossRequestInputSchema) },
      responses: { 200: ok('the customer with its pending request', CustomerSchema), ...errorResponses },
    }),
    async (c) => c.json(await shown(c.get('ctx'), await requestLoss(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  for (const [step, outcome, summary, description] of [
    [
      'approve',
      'approved',
      'Approve the request: the lead is lost',
      'The stage becomes `lost`, the open follow-up is cancelled and the lead counts as `lost` for its owner in the month of the intent-level report.',
    ],
    ['reject', 'rejected', 'Send the request back: the lead stays a lead', 'The request is cleared and the open follow-up stays, so the chase goes on.'],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/customers/{id}/loss/${step}`,
        ...access('customer.decide_loss'),
        tags,
        summary,
        description: `${description} The decision is kept as \`lossDecision\`. ${steps}`,
        request: { params: CustomerParams, headers: IdempotencyHeader, body: json(LossDecisionInputSchema) },
        responses: { 200: ok('the customer as decided', CustomerSchema), ...errorResponses },
      }),
      async (c) =>
        c.json(await shown(c.get('ctx'), await decideLoss(c.get('ctx'), c.get('principal'), c.req.valid('param').id, outcome, c.req.valid('json'))), 200),
    );
  }
}
