import { z } from '@hono/zod-openapi';
import { ASSET_KINDS, STAGES } from '@guanjia/core';

export const MyRecordSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    siteName: z.string(),
    name: z.string(),
    phone: z.string(),
    stage: z.enum(STAGES),
    smsConsent: z.boolean().openapi({ description: 'whether care texts go to this phone now (consent is the phone\'s, company-wide)' }),
  })
  .openapi('MyRecord');

export const MyDeliverySchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    siteId: z.string(),
    asset: z.object({ kind: z.enum(ASSET_KINDS), label: z.string() }),
    deliveredOn: z.string(),
  })
  .openapi('MyDelivery');

export const MyPreferencesSchema = z
  .object({ smsCare: z.boolean().openapi({ description: 'false: no care texts (greetings, campaigns); notices still go' }) })
  .strict()
  .openapi('MyPreferences');
