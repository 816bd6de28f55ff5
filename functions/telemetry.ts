import { Logger } from '@aws-lambda-powertools/logger';
import type { CustomJsonReplacerFn } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { maskPhonesIn } from '@guanjia/core';
import { loadEnv } from './config.ts';
import { METRICS_NAMESPACE } from './metric-names.ts';

/**
 * Runs on every value of every log line, persistent keys and formatted errors (message,
 * stack, cause) included: Powertools serializes an error into an object whose strings come
 * back through the replacer.
 */
export const maskPhones: CustomJsonReplacerFn = (_key, value) => (typeof value === 'string' ? maskPhonesIn(value) : value);

export interface Telemetry {
  logger: Logger;
  metrics: Metrics;
  /** The handler with its invocation logged in context, its metrics flushed and its errors masked. */
  instrument<E, R>(handler: (event: E, context: Context) => Promise<R>): (event: E, context: Context) => Promise<R>;
}

/** A function's logger and metrics, built once per cold start. */
export function createTelemetry(): Telemetry {
  // Powertools falls back to `service_undefined`, and alarms matching `service` would never fire.
  const { POWERTOOLS_SERVICE_NAME: serviceName } = loadEnv({ POWERTOOLS_SERVICE_NAME: z.string().min(1) });
  const logger = new Logger({ serviceName, jsonReplacerFn: maskPhones });
  // No default dimensions besides Powertools' `service`: alarms match the exact dimension set.
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger });

  const instrument: Telemetry['instrument'] = (handler) => async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric(context.functionName);
    try {
      return await handler(event, context);
    } catch (error) {
      logger.error('invocation failed', error as Error);
      // The runtime prints what escapes the handler itself, past the logger.
      throw maskedError(error);
    } finally {
      // An empty flush only logs a warning, on every invocation of a function that had nothing to count.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
  return { logger, metrics, instrument };
}

function maskedError(error: unknown): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? maskPhonesIn(error) : error;
  error.message = maskPhonesIn(error.message);
  if (error.stack) error.stack = maskPhonesIn(error.stack);
  return error;
}

/** The API's unhandled-error entries (`ErrorLog` of `@guanjia/api`) as Powertools log lines. */
export const errorLogTo =
  (logger: Logger) =>
  ({ level: _level, message, ...attributes }: Record<string, unknown>): void =>
    logger.error(String(message ?? 'unhandled error'), attributes);
