import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppDeps } from '@guanjia/api';
import { createIds, systemClock } from '@guanjia/core';
import { JOB_SUCCEEDED, METRICS_NAMESPACE, SMS_SENT } from '../../functions/metric-names.ts';
import { createTelemetry, errorLogTo } from '../../functions/telemetry.ts';
import { createLocalVerifier, mintToken } from '@guanjia/local/tokens';
import { blobsWith, captureOutput, lambdaContext } from '../functions/captured-output.ts';

const PHONE = '13912345678';
const E164 = `+86${PHONE}`;
const SERVICE = 'guanjia-unit';

beforeAll(() => {
  process.env.POWERTOOLS_SERVICE_NAME = SERVICE;
  // As Lambda sets it; without it Powertools never sees a cold start.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
});

describe('the logger', () => {
  it('masks every phone number in a line: message, attributes, persistent keys, error message, stack and cause', async () => {
    const { logger } = createTelemetry();
    logger.appendPersistentKeys({ caller: `called from ${E164}` });
    const error = new Error(`SNS refused ${E164}`, { cause: new Error(`number ${PHONE} opted out`) });
    const out = await captureOutput(async () => {
      logger.error(`could not text ${PHONE}`, { to: E164, nested: { list: [`139 1234 5678`] }, error });
    });
    expect(out.logs).toHaveLength(1);
    const [line] = out.logs;
    expect(line).toMatchObject({
      level: 'ERROR',
      service: SERVICE,
      message: 'could not text 139****5678',
      to: '139****5678',
      caller: 'called from 139****5678',
    });
    expect(line!.error.message).toBe('SNS refused 139****5678');
    expect(line!.error.stack).toContain('139****5678');
    expect(JSON.stringify(line!.error.cause)).toContain('139****5678');
    expect(out.text).not.toMatch(/13912345678|1234 5678/);
  });

  it('logs the API’s unhandled errors as Powertools lines, masked', async () => {
    const { logger } = createTelemetry();
    // Every store call fails with a message quoting a number, as a provider or a bug might.
    const store = new Proxy({} as AppDeps['store'], {
      get: () => async () => {
        throw new Error(`no row for ${E164}`);
      },
    });
    const secret = 'unit-secret';
    const app = createApp({
      store,
      clock: systemClock,
      ids: createIds(),
      verifyToken: createLocalVerifier(secret),
      cursorSecret: 'c'.repeat(32),
      log: errorLogTo(logger),
    });
    const token = await mintToken({ sub: 'admin-1', role: 'admin', sites: [] }, secret);
    const out = await captureOutput(async () => app.request('/v1/sites/s1', { headers: { Authorization: `Bearer ${token}` } }));
    expect(out.value!.status).toBe(500);
    expect(out.logs).toEqual([expect.objectContaining({ level: 'ERROR', message: 'unhandled error', method: 'GET', path: '/v1/sites/s1' })]);
    expect(out.logs[0]!.error.message).toBe('no row for 139****5678');
    expect(out.text).not.toContain(PHONE);
  });

  it('stops the function at cold start when POWERTOOLS_SERVICE_NAME is missing: alarms match on it', () => {
    delete process.env.POWERTOOLS_SERVICE_NAME;
    try {
      expect(() => createTelemetry()).toThrow(/POWERTOOLS_SERVICE_NAME/);
    } finally {
      process.env.POWERTOOLS_SERVICE_NAME = SERVICE;
    }
  });
});

describe('instrument', () => {
  it('flushes what the handler counted, with `service` as the only default dimension', async () => {
    const telemetry = createTelemetry();
    const handler = telemetry.instrument(async () => {
      telemetry.metrics.addMetric(SMS_SENT, MetricUnit.Count, 1);
      return 'done';
    });
    const out = await captureOutput(() => handler({}, lambdaContext('fn')));
    expect(out.value).toBe('done');
    const [blob] = blobsWith(out.emf, SMS_SENT);
    expect(blob!._aws.CloudWatchMetrics).toEqual([{ Namespace: METRICS_NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: SMS_SENT, Unit: 'Count' }] }]);
    expect(blob).toMatchObject({ service: SERVICE, [SMS_SENT]: 1 });
  });

  it('counts a cold start once, and says nothing of an invocation that counted nothing', async () => {
    const telemetry = createTelemetry();
    const handler = telemetry.instrument(async () => 'ok');
    const first = await captureOutput(() => handler({}, lambdaContext('fn', 'r1')));
    const second = await captureOutput(() => handler({}, lambdaContext('fn', 'r2')));
    expect(blobsWith(first.emf, 'ColdStart')).toHaveLength(1);
    expect(second.text).toBe('');
  });

  it('flushes the metrics, logs the error in context and rethrows it masked when the handler throws', async () => {
    const telemetry = createTelemetry();
    const handler = telemetry.instrument(async () => {
      telemetry.metrics.addDimension('job', 'care');
      telemetry.metrics.addMetric(JOB_SUCCEEDED, MetricUnit.Count, 1);
      throw new Error(`no consent from ${E164}`);
    });
    const out = await captureOutput(() => handler({}, lambdaContext('fn-job', 'req-9')));
    expect((out.error as Error).message).toBe('no consent from 139****5678');
    expect((out.error as Error).stack).not.toContain(PHONE);
    expect(blobsWith(out.emf, JOB_SUCCEEDED)).toHaveLength(1);
    expect(out.logs).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'invocation failed', function_name: 'fn-job', function_request_id: 'req-9' }),
    ]);
    expect(out.text).not.toContain(PHONE);
  });
});
