import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Store } from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import { UnavailableError } from '../problem.ts';
import { problemResponse } from '../schemas/common.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Whether the API and its database answer',
  security: [],
  responses: {
    200: { description: 'the database answers', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } },
    503: problemResponse('the database does not answer; see Retry-After'),
  },
});

/** For load balancers and supervisors: ok only while the database answers a cheap read. */
export function healthRoutes(app: OpenAPIHono<AppEnv>, store: Store): void {
  app.openapi(healthRoute, async (c) => {
    try {
      await store.ping();
    } catch (error) {
      // Whatever stops the cheap read (no connection, no table, no permission) stops the API too.
      throw new UnavailableError(error);
    }
    return c.json({ status: 'ok' as const }, 200);
  });
}
