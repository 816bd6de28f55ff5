import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
// The path helper alone: the package's main module also loads Swagger UI's 1.8 MB browser bundle.
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Guanjia API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

// A file of its own rather than an inline script, so that the page's policy allows scripts
// from this origin only. No validator: its badge is an image from another site.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true, validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
`;

/**
 * Everything the page loads comes from this origin. Swagger UI writes style attributes as it
 * draws and its stylesheet holds its icons as data: URLs; "Try it out" calls this origin.
 */
const pageHeaders = secureHeaders({
  xFrameOptions: 'DENY',
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
});

/**
 * `/docs` with Swagger UI's assets served from the installed package rather than a CDN, so
 * the page works on a machine with no network.
 */
export function mountDocs(app: Hono<any>): void {
  const cache = new Map<string, Promise<Buffer>>();
  app.get('/docs', pageHeaders, (c) => c.html(PAGE));
  app.get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/:asset', async (c) => {
    const asset = c.req.param('asset');
    const type = ASSETS[asset];
    if (!type) return c.notFound();
    let body = cache.get(asset);
    if (!body) cache.set(asset, (body = readFile(join(getAbsoluteFSPath(), asset))));
    return c.body(new Uint8Array(await body), 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' });
  });
}
