import { z } from 'zod';
import { createIds, isJobName, runJob, systemClock } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { loadEnv } from './config.ts';

const env = loadEnv({ TABLE_NAME: z.string().min(1) });
const ctx = { store: new DynamoStore(createDocumentClient(), env.TABLE_NAME), clock: systemClock, ids: createIds() };

/** A scheduled job, as EventBridge Scheduler invokes it with `{ "job": "<name>" }`. */
export const handler = async (event: { job?: string }): Promise<Record<string, unknown>> => {
  if (!event.job || !isJobName(event.job)) throw new Error(`no job '${event.job ?? ''}'`);
  return runJob(event.job, ctx);
};
