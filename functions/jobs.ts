import { z } from 'zod';
import { createIds, isJobName, JOBS, systemClock, type JobName } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { loadEnv } from './config.ts';
import { runScheduledJob, type ScheduledJobEvent } from './scheduled-job.ts';
import { createTelemetry } from './telemetry.ts';

const env = loadEnv({
  TABLE_NAME: z.string().min(1),
  JOB_NAME: z.custom<JobName>((name) => typeof name === 'string' && isJobName(name), `not a job; jobs: ${Object.keys(JOBS).join(', ')}`),
});
const telemetry = createTelemetry();
const ctx = { store: new DynamoStore(createDocumentClient(), env.TABLE_NAME), clock: systemClock, ids: createIds() };

/** One function per job; EventBridge Scheduler invokes it with `{ "job": "<JOB_NAME>" }`. */
export const handler = telemetry.instrument((event: ScheduledJobEvent | null) => runScheduledJob(event, env.JOB_NAME, ctx, telemetry));
