import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { runJob, type Context as CoreContext, type JobName } from '@guanjia/core';
import { JOB_SUCCEEDED } from './metric-names.ts';
import type { Telemetry } from './telemetry.ts';

/** What EventBridge Scheduler sends, as is: `{ "job": "<name>" }`. */
export interface ScheduledJobEvent {
  job?: unknown;
}

/**
 * Runs the one job this function is for. Any other payload is refused by throwing, so that
 * Scheduler retries it, then dead-letters it, and the error alarm fires.
 */
export async function runScheduledJob(
  event: ScheduledJobEvent | null,
  job: JobName,
  ctx: CoreContext,
  { logger, metrics }: Pick<Telemetry, 'logger' | 'metrics'>,
): Promise<Record<string, unknown>> {
  const asked = event?.job;
  if (asked !== job) throw new Error(`this function runs the job '${job}', not '${String(asked ?? '')}'`);
  const result = await runJob(job, ctx);
  metrics.addDimension('job', job);
  metrics.addMetric(JOB_SUCCEEDED, MetricUnit.Count, 1);
  logger.info('job finished', { result });
  return result;
}
