import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  addInteraction,
  findCustomersByPhone,
  findCustomersByPhoneTail,
  getCustomer,
  intake,
  listCustomers,
  listInteractions,
  listReceptions,
  listReferrals,
  updateCustomer,
  withPhoneConsent,
  type Context,
  type Customer,
  type IntakeResult,
} from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, RecordId } from '../schemas/common.ts';
import {
  CustomerListQuery,
  CustomerPatchSchema,
  CustomerSchema,
  IntakeSchema,
  InteractionInputSchema,
  InteractionSchema,
  ReceptionSchema,
  ReferralSchema,
} from '../schemas/customers.ts';
import { TaskSchema } from '../schemas/tasks.ts';
import { customerView, receptionView, referralView, taskView } from '../views.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { json, ok } from './media.ts';
import { access, REACH } from '../route-conventions.ts';

const CustomerParams = z.object({ id: RecordId });
const tags = ['Customers and intake'];

const NewCustomer = z.object({
  customer: CustomerSchema,
  reception: ReceptionSchema,
  followUp: TaskSchema.openapi({
    description:
      "the new lead's first chasing task: a `follow_up` by the cadence, or for a `potential` lead (watched, not chased) a `review` after the site's `potentialReviewDays`",
  }),
  attribution: z.object({ ownerId: z.string(), isNew: z.literal(true), conflict: z.literal(false) }),
});
const KnownCustomer = z.object({
  customerId: z.string(),
  reception: ReceptionSchema,
  attribution: z.object({ ownerId: z.string().optional(), isNew: z.literal(false), conflict: z.boolean() }),
});

function knownView(result: Exclude<IntakeResult, { outcome: 'new' }>) {
  const reception = receptionView(result.reception);
  return result.outcome === 'conflict'
    ? { customerId: result.customerId, reception, attribution: { isNew: false as const, conflict: true } }
    : { customerId: result.customerId, reception, attribution: { ownerId: result.ownerId, isNew: false as const, conflict: false } };
}

/** A customer as staff see it: `smsConsent` is the phone's consent, the fact the owner reads as `smsCare`. */
async function shownCustomer(ctx: Context, customer: Customer) {
  const [shown] = await withPhoneConsent(ctx, [customer]);
  return customerView(shown ?? customer);
}

export function customerRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers',
      ...access('customer.intake'),
      tags,
      summary: 'Register a reception (来店/来电登记)',
      description:
        'A new phone at the site creates a customer owned by the caller (201) with a first follow-up; a known phone records the reception on the existing customer (200).',
      request: { headers: IdempotencyHeader, body: json(IntakeSchema) },
      responses: { 201: ok('a new customer', NewCustomer), 200: ok('a known customer', KnownCustomer), ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const result = await intake(c.get('ctx'), c.get('principal'), input);
      if (result.outcome !== 'new') return c.json(knownView(result), 200);
      return c.json(
        {
          // A consent given with the intake was written with it and is the phone's newest: no need to read it back.
          customer: input.smsConsent === undefined ? await shownCustomer(c.get('ctx'), result.customer) : customerView(result.customer),
          reception: receptionView(result.reception),
          followUp: taskView(result.task),
          attribution: { ownerId: result.customer.ownerId, isNew: true as const, conflict: false as const },
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers',
      ...access('customer.list', REACH.ownCustomerList),
      tags,
      summary: 'List customers, newest first, or those with a loss request waiting, or find them by phone or by its last 4 digits',
      description: "With `phone` or `phoneTail` only customers within the caller's reach match: another rep's customer reads as an unknown number.",
      request: { query: CustomerListQuery.extend(PageQuery) },
      responses: { 200: ok('a page of customers', page(CustomerSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor, phone, phoneTail, lossRequested, ...rest } = c.req.valid('query');
      const filter = { ...rest, ...(lossRequested ? { lossRequested: true } : {}) };
      const paging = pageRequest(c, cursors, { limit, cursor });
      const ctx = c.get('ctx');
      const principal = c.get('principal');
      const result =
        phone !== undefined
          ? await findCustomersByPhone(ctx, principal, filter.siteId, phone)
          : phoneTail !== undefined
            ? await findCustomersByPhoneTail(ctx, principal, filter.siteId, phoneTail, paging)
            : await listCustomers(ctx, principal, filter, paging);
      return c.json(pageResponse(c, cursors, { ...result, items: await withPhoneConsent(ctx, result.items) }, customerView), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}',
      ...access('customer.read', REACH.ownCustomers),
      tags,
      summary: 'Read a customer',
      request: { params: CustomerParams },
      responses: { 200: ok('the customer', CustomerSchema), ...errorResponses },
    }),
    async (c) => c.json(await shownCustomer(c.get('ctx'), await getCustomer(c.get('ctx'), c.get('principal'), c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/customers/{id}',
      ...access('customer.update', REACH.ownCustomers),
      tags,
      summary: 'Change what is known of a customer; `stage: customer` when the contract is signed',
      request: { params: CustomerParams, body: json(CustomerPatchSchema) },
      responses: { 200: ok('the customer', CustomerSchema), ...errorResponses },
    }),
    async (c) =>
      c.json(await shownCustomer(c.get('ctx'), await updateCustomer(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json'))), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/receptions',
      ...access('customer.read', REACH.ownCustomers),
      tags,
      summary: "The customer's receptions, newest first",
      request: { params: CustomerParams, query: z.object(PageQuery) },
      responses: { 200: ok('a page of receptions', page(ReceptionSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await listReceptions(c.get('ctx'), c.get('principal'), c.req.valid('param').id, pageRequest(c, cursors, { limit, cursor }));
      return c.json(pageResponse(c, cursors, result, receptionView), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/referrals',
      ...access('customer.read', REACH.referrals),
      tags,
      summary: 'The buyers a key person (关键人) brought, oldest first, with how far each got',
      request: { params: CustomerParams, query: z.object(PageQuery) },
      responses: { 200: ok('a page of referred buyers', page(ReferralSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await listReferrals(c.get('ctx'), c.get('principal'), c.req.valid('param').id, pageRequest(c, cursors, { limit, cursor }));
      return c.json(pageResponse(c, cursors, result, referralView), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/customers/{id}/interactions',
      ...access('interaction.create', REACH.ownCustomers),
      tags: ['Follow-up'],
      summary: "Record a contact; closes the open follow-up (a potential lead's review) and opens the next",
      request: { params: CustomerParams, headers: IdempotencyHeader, body: json(InteractionInputSchema) },
      responses: { 201: ok('recorded', z.object({ interaction: InteractionSchema, nextFollowUp: z.union([TaskSchema, z.null()]) })), ...errorResponses },
    }),
    async (c) => {
      const result = await addInteraction(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ interaction: result.interaction, nextFollowUp: result.nextFollowUp && taskView(result.nextFollowUp) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/customers/{id}/interactions',
      ...access('customer.read', REACH.ownCustomers),
      tags: ['Follow-up'],
      summary: "The customer's interactions, newest first",
      request: { params: CustomerParams, query: z.object(PageQuery) },
      responses: { 200: ok('a page of interactions', page(InteractionSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const result = await listInteractions(c.get('ctx'), c.get('principal'), c.req.valid('param').id, pageRequest(c, cursors, { limit, cursor }));
      return c.json(
        pageResponse(c, cursors, result, (i) => i),
        200,
      );
    },
  );
}
