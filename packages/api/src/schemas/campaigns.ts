import { z } from '@hono/zod-openapi';
import { STAGES } from '@guanjia/core';
import { Day, dayAhead, SiteId, text } from './common.ts';

export const CampaignInputSchema = z
  .object({
    siteId: SiteId,
    name: text(100).openapi({ example: '元旦业主答谢' }),
    sendOn: Day.openapi({ description: "the site day it goes out: today or later in the site's zone", example: dayAhead(7) }),
    template: text(500).openapi({
      description: 'starts with 【{signature}】, ends with 回T退订; may use {name} and {site}',
      example: '【{signature}】{name}您好，{site}业主答谢会本周六举行，欢迎光临。回T退订',
    }),
    audience: z.object({ stage: z.enum(STAGES).openapi({ example: 'owner' }) }).strict(),
  })
  .strict()
  .openapi('CampaignInput');

export const CampaignSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    name: z.string(),
    sendOn: z.string(),
    template: z.string(),
    audience: z.object({ stage: z.enum(STAGES) }),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .openapi('Campaign');
