import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { createCampaign } from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import { CampaignInputSchema, CampaignSchema } from '../schemas/campaigns.ts';
import { errorResponses, IdempotencyHeader } from '../schemas/common.ts';
import { withoutVersion } from '../views.ts';
import { access } from '../route-conventions.ts';

export function campaignRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/campaigns',
      ...access('campaign.create'),
      tags: ['SMS and care'],
      summary: 'A care text sent on its day to every consenting customer of a stage',
      request: { headers: IdempotencyHeader, body: { content: { 'application/json': { schema: CampaignInputSchema } }, required: true } },
      responses: { 201: { description: 'scheduled', content: { 'application/json': { schema: z.object({ campaign: CampaignSchema }) } } }, ...errorResponses },
    }),
    async (c) => c.json({ campaign: withoutVersion(await createCampaign(c.get('ctx'), c.get('principal'), c.req.valid('json'))) }, 201),
  );
}
