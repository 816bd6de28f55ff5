import { z } from '@hono/zod-openapi';
import { SMS_STATES } from '@guanjia/core';
import { Phone } from './common.ts';

export const MessageSchema = z
  .object({
    id: z.string(),
    purpose: z.string(),
    kind: z.enum(['notice', 'care']),
    state: z.enum(SMS_STATES),
    to: z.string(),
    body: z.string(),
    parts: z.number().int(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    sendAfter: z.string().nullable(),
    reason: z.string().nullable(),
    history: z.array(z.object({ state: z.enum(SMS_STATES), at: z.string(), reason: z.string().optional() })),
  })
  .openapi('Message');

export const OptOutSchema = z.object({ phone: Phone }).strict().openapi('OptOut');

export const ConsentSchema = z.object({ phone: z.string(), granted: z.boolean(), source: z.string(), by: z.string(), at: z.string() }).openapi('Consent');
