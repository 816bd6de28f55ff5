import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cachedSites, ValidationError, type Clock, type Ids, type Store } from '@guanjia/core';
import { authenticate, type VerifyToken } from './auth.ts';
import { createCursorCodec } from './cursor.ts';
import { fieldErrors, type Issue } from './field-errors.ts';
import { mountDocs } from './docs.ts';
import type { AppEnv } from './env.ts';
import { apiSecurityHeaders, corsFor, noStore } from './headers.ts';
import { idempotency, type IdempotencyStore } from './idempotency.ts';
import { leaverCheck } from './leavers.ts';
import { onError, problem, type ErrorLog } from './problem.ts';
import { applyRouteConventions } from './route-conventions.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { complaintRoutes } from './routes/complaints.ts';
import { customerRoutes } from './routes/customers.ts';
import { deliveryRoutes } from './routes/deliveries.ts';
import { customerChangeRoutes } from './routes/customer-changes.ts';
import { IMPORTS_PATH, importRoutes, MAX_IMPORT_BYTES } from './routes/imports.ts';
import { meRoutes } from './routes/me.ts';
import { messageRoutes } from './routes/messages.ts';
import { siteRoutes } from './routes/sites.ts';
import { healthRoutes } from './routes/health.ts';
import { conflictRoutes } from './routes/conflicts.ts';
import { leaverRoutes } from './routes/leavers.ts';
import { lossRoutes } from './routes/losses.ts';
import { designerRoutes } from './routes/designers.ts';
import { taskRoutes } from './routes/tasks.ts';
import { reportRoutes } from './routes/reports.ts';

export interface AppDeps {
  /** The use cases' store, which also keeps the API's `Idempotency-Key` records (through their own port). */
  store: Store & IdempotencyStore;
  clock: Clock;
  ids: Ids;
  verifyToken: VerifyToken;
  /** Key for signing pagination cursors. */
  cursorSecret: string;
  log?: ErrorLog;
  /**
   * Serve `/docs` (Swagger UI) from the installed `swagger-ui-dist`; default true. A Lambda
   * bundle holds no such folder, so there the API offers `/openapi.json` only.
   */
  docs?: boolean;
  /** Web origins that may call from a browser (`https://console.example.com`); default none. */
  corsOrigins?: readonly string[];
  /** How long this instance applies a site's settings without reading them again; default SITE_CACHE_MS, 0 reads every time. */
  siteCacheMs?: number;
}

export const MAX_BODY_BYTES = 64 * 1024;

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success)
        throw new ValidationError('the request is not valid', fieldErrors(result.error.issues as Issue[], (result as { data?: unknown }).data));
    },
  });
  applyRouteConventions(app);
  const cursors = createCursorCodec(deps.cursorSecret);
  // Site settings are read from memory for up to siteCacheMs (site-cache.ts, stated in the README).
  const ctx = { store: cachedSites(deps.store, deps.siteCacheMs), clock: deps.clock, ids: deps.ids };

  app.onError(onError(deps.log));
  app.notFound((c) => problem(c, 404, { key: 'no_route', params: { method: c.req.method, path: c.req.path } }));
  app.use('*', apiSecurityHeaders());
  app.use('*', corsFor(deps.corsOrigins ?? []));
  app.use('/v1/*', noStore);
  const jsonLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => problem(c, 413, { key: 'body_too_large', params: { kib: MAX_BODY_BYTES / 1024 } }) });
  // A handover list of hundreds of units is a file, not a form: its one route takes more.
  const fileLimit = bodyLimit({
    maxSize: MAX_IMPORT_BYTES,
    onError: (c) => problem(c, 413, { key: 'file_too_large', params: { mib: MAX_IMPORT_BYTES / 1024 / 1024 } }),
  });
  app.use('*', (c, next) => (c.req.method === 'POST' && c.req.path === IMPORTS_PATH ? fileLimit : jsonLimit)(c, next));

  healthRoutes(app, deps.store);
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Guanjia (管家) API',
      version: '1',
      description: 'Customer care for homes, cars and home improvements: intake, follow-up, callbacks, complaints, care SMS.',
    },
    security: [{ bearer: [] }],
  });
  if (deps.docs ?? true) mountDocs(app);

  // Leavers' tokens are refused; the answer is cached per instance for LEAVER_CACHE_MS (leavers.ts).
  const leavers = leaverCheck(deps.store);
  app.use('/v1/*', authenticate(deps.verifyToken, leavers));
  app.use('/v1/*', async (c, next) => {
    c.set('ctx', ctx);
    await next();
  });
  app.use('/v1/*', idempotency(deps.store));

  siteRoutes(app, cursors);
  leaverRoutes(app, leavers);
  customerRoutes(app, cursors);
  customerChangeRoutes(app);
  lossRoutes(app);
  designerRoutes(app);
  deliveryRoutes(app, cursors);
  complaintRoutes(app, cursors);
  meRoutes(app, cursors);
  messageRoutes(app, cursors);
  campaignRoutes(app);
  taskRoutes(app, cursors);
  conflictRoutes(app, cursors);
  reportRoutes(app);
  importRoutes(app, cursors);
  return app;
}
