import { z } from '@hono/zod-openapi';
import { STAGES } from '@guanjia/core';
import { DeliverySchema } from './deliveries.ts';

export const MyRecordSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    siteName: z.string(),
    name: z.string(),
    phone: z.string(),
    stage: z.enum(STAGES),
    smsCare: z.boolean().openapi({
      description: "whether care texts go to this phone now (consent is the phone's, company-wide); staff see it on the customer as `smsConsent`",
    }),
  })
  .openapi('MyRecord');

/** A delivery as its owner sees it: who recorded it, and when, is the company's business. */
export const MyDeliverySchema = DeliverySchema.pick({ id: true, customerId: true, siteId: true, asset: true, deliveredOn: true }).openapi('MyDelivery');

export const MyPreferencesSchema = z
  .object({ smsCare: z.boolean().openapi({ description: 'false: no care texts (greetings, campaigns); notices still go', example: true }) })
  .strict()
  .openapi('MyPreferences');
