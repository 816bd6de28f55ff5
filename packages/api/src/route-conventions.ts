import { z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import { ROLES, rolesFor, type Action, type Role } from '@guanjia/core';
import type { Env } from 'hono';
import { problemResponse } from './schemas/common.ts';

const NO_QUERY = z.object({}).strict();

type Query = NonNullable<RouteConfig['request']>['query'];

function closedQuery(query: Query): Query {
  if (!query) return NO_QUERY;
  return query instanceof z.ZodObject ? query.strict() : query;
}

const ACCESS = Symbol('access');

interface Access {
  action: Action;
  reach: string | undefined;
}

/**
 * Names the action a route takes, and where a role's reach on it is narrower than its sites,
 * the sentence that says how. Core's role table then gives the roles, so that the document
 * cannot name other roles than the ones the use case lets in. A symbol key: it never reaches
 * the document itself.
 */
export const access = (action: Action, reach?: string) => ({ [ACCESS]: { action, reach } as Access });

/** The narrower reaches, each worded once. */
export const REACH = {
  ownCustomers:
    'A sales rep reaches only the customers they own, a designer only the customers assigned to them: any other customer answers 404, as an unknown one does.',
  ownCustomerList:
    'A sales rep lists only the customers they own, naming another owner or a designer is 403; a designer lists only the customers assigned to them, naming another designer is 403.',
  ownTasks: "A sales rep or designer sees (and a rep completes) only the tasks given to them: another's task answers 404, naming another assignee 403.",
  ownRow: 'A sales rep reads only their own row.',
  referrals:
    "The key person's owner and the site's managers, admins and service agents see every buyer brought; another sales rep of the site sees only the buyers they own.",
  complaintFiling:
    'Staff file for a customer within their reach (a sales rep, their own); an owner files for their own record, found by the phone in their token.',
  complaintLookup: 'An owner may only look up their own complaint by `number`; staff list the complaints of their sites.',
  ownerSteps: 'An owner may only close (with a score), reopen or note their own complaint; any other step is 403.',
  ownerRecords: 'An owner reaches only the complaints of their own records, found by the phone in their token.',
  ownerOnly: 'An owner, found by the phone in their token; staff get 403.',
} as const;

function rolesSentence(roles: readonly Role[]): string {
  const named = roles.join(', ');
  return ROLES.every((role) => roles.includes(role)) ? `Roles: every signed-in role (${named}).` : `Roles: ${named}.`;
}

/** The route as the document shows it: its roles as `x-roles`, and said in its description's last sentence. */
function documentAccess(route: RouteConfig): RouteConfig {
  const { [ACCESS]: named, ...rest } = route as RouteConfig & { [ACCESS]?: Access };
  if (!named) {
    // Every route behind the token says who may call it; a new one that forgets fails at start.
    if (route.path.startsWith('/v1/')) throw new Error(`${route.method.toUpperCase()} ${route.path} names no action: add access(…) to it`);
    return rest;
  }
  const roles = rolesFor(named.action);
  const description = [route.description, named.reach, rolesSentence(roles)].filter(Boolean).join(' ');
  return { ...rest, description, 'x-roles': [...roles] };
}

/**
 * Rules every route keeps, applied where routes are registered so that no route can forget
 * them:
 * - its query is closed: a parameter it does not name is 400, like an unknown body field,
 *   so a client that believes it filtered never acts on unfiltered rows; a route that
 *   declares no query takes none;
 * - a route with a body says in the document that another media type is 415, as the
 *   validator answers;
 * - every route may find the database unreachable, and says so: 503 with `Retry-After`;
 * - every route under /v1 names its action, and the document says which roles may call it.
 */
export function applyRouteConventions<E extends Env>(app: OpenAPIHono<E>): void {
  const register = app.openapi;
  app.openapi = ((route: RouteConfig, ...rest: unknown[]) => {
    const responses = {
      400: problemResponse('invalid request, or a query parameter the route does not take'),
      ...route.responses,
      ...(route.request?.body ? { 415: route.responses[415] ?? problemResponse('the body is not application/json') } : {}),
      503: route.responses[503] ?? problemResponse('the database does not answer; retry after the seconds in Retry-After'),
    };
    const closed = { ...documentAccess(route), request: { ...route.request, query: closedQuery(route.request?.query) }, responses };
    return (register as (...args: unknown[]) => unknown)(closed, ...rest);
  }) as typeof app.openapi;
}
