import { z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { problemResponse } from './schemas/common.ts';

const NO_QUERY = z.object({}).strict();

type Query = NonNullable<RouteConfig['request']>['query'];

function closedQuery(query: Query): Query {
  if (!query) return NO_QUERY;
  return query instanceof z.ZodObject ? query.strict() : query;
}

/**
 * Rules every route keeps, applied where routes are registered so that no route can forget
 * them:
 * - its query is closed: a parameter it does not name is 400, like an unknown body field,
 *   so a client that believes it filtered never acts on unfiltered rows; a route that
 *   declares no query takes none;
 * - a route with a body says in the document that another media type is 415, as the
 *   validator answers;
 * - every route may find the database unreachable, and says so: 503 with `Retry-After`.
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
    const closed = { ...route, request: { ...route.request, query: closedQuery(route.request?.query) }, responses };
    return (register as (...args: unknown[]) => unknown)(closed, ...rest);
  }) as typeof app.openapi;
}
