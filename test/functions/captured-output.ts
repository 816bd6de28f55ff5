import { vi } from 'vitest';

/** One CloudWatch embedded-metric-format blob, as Powertools Metrics prints it. */
export interface Emf {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

export interface Output<T> {
  /** What the call returned; undefined when it threw. */
  value: T | undefined;
  /** What it threw, if it did. */
  error: unknown;
  /** Everything written to stdout and stderr, as Lambda would ship it to CloudWatch Logs. */
  text: string;
  /** The JSON lines that are log lines. */
  logs: Record<string, any>[];
  /** The JSON lines that are metrics. */
  emf: Emf[];
}

/**
 * Runs `call` with stdout and stderr captured (and kept off the test output). Powertools
 * writes through a `Console` of its own on `process.stdout`/`process.stderr`, so a spy on
 * `console.log` would see nothing.
 */
export async function captureOutput<T>(call: () => Promise<T>): Promise<Output<T>> {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
      chunks.push(String(chunk));
      return true;
    }) as typeof stream.write),
  );
  let value: T | undefined;
  let error: unknown;
  try {
    value = await call();
  } catch (thrown) {
    error = thrown;
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  const text = chunks.join('');
  const json = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);
  return { value, error, text, logs: json.filter((line) => !('_aws' in line)), emf: json.filter((line): line is Emf => '_aws' in line) };
}

/** The blobs that carry the metric `name`. */
export const blobsWith = (emf: readonly Emf[], name: string): Emf[] =>
  emf.filter((blob) => blob._aws.CloudWatchMetrics.some((m) => m.Metrics.some((metric) => metric.Name === name)));

/** The metric's total over the blobs: Powertools prints a metric added more than once as an array of values. */
export const metricTotal = (emf: readonly Emf[], name: string): number =>
  blobsWith(emf, name).reduce((sum, blob) => sum + [blob[name]].flat().reduce((a: number, v) => a + Number(v), 0), 0);

/** A Lambda context as the runtime passes it, enough for Powertools. */
export const lambdaContext = (functionName: string, awsRequestId = 'req-1') =>
  ({
    functionName,
    awsRequestId,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
  }) as never;
