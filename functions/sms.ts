import type { DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { cachedSites, createIds, systemClock } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { cappedSender, snsClientForSms, SnsSms } from '@guanjia/sms';
import { loadEnv } from './config.ts';
import { dispatchBatch } from './outbox-batch.ts';
import { createTelemetry } from './telemetry.ts';

const env = loadEnv({
  TABLE_NAME: z.string().min(1),
  SMS_SENDER_ID: z.string().min(1).optional(),
  // Per instance: the stack's concurrency times this is the account's send rate.
  SMS_MAX_PER_SECOND: z.coerce.number().int().min(1).default(20),
});
const telemetry = createTelemetry();
// Quiet hours and the care cap come from the site: read once per SITE_CACHE_MS, not per message.
const ctx = { store: cachedSites(new DynamoStore(createDocumentClient(), env.TABLE_NAME)), clock: systemClock, ids: createIds() };
const sender = cappedSender(new SnsSms(snsClientForSms({}), env.SMS_SENDER_ID ? { senderId: env.SMS_SENDER_ID } : {}), env.SMS_MAX_PER_SECOND);

/** The outbox dispatcher, fed by the table's stream (filtered to queued SMS items). */
export const handler = telemetry.instrument((event: DynamoDBStreamEvent) => dispatchBatch(event.Records, ctx, sender, telemetry));
