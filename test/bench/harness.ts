import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApp } from '@guanjia/api';
import { createIds, systemClock, type Principal } from '@guanjia/core';
import { DynamoStore, createDocumentClient, ensureTable } from '@guanjia/dynamo';
import { createLocalVerifier, mintToken } from '@guanjia/local/tokens';
import { byOperation, type DynamoProxy } from '../support/dynamo-proxy.ts';
import type { Comparison, Stats } from './measure.ts';

const REGION = 'local';
const SECRET = 'bench-token-secret';

/** What run.ts hands every suite: one DynamoDB Local, and a counting proxy in front of it. */
export interface BenchContext {
  dynamoEndpoint: string;
  proxy: DynamoProxy;
}

export interface OpResult {
  name: string;
  /** DynamoDB requests per operation, by operation name (X-Amz-Target without its prefix). */
  requests: Record<string, number>;
  requestsPerOp: number;
  latency: Stats;
}

export interface ComparisonResult extends Comparison {
  name: string;
  subjectLabel: string;
  baselineLabel: string;
}

/** Figures that are not per-operation latencies (a job's run, a rate), printed as a table of their own. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: string[][];
  /** Column indexes printed right-aligned: the numeric ones. */
  rightAligned: number[];
  /** Lines under the table: how a figure was taken, when the column name cannot say it. */
  notes?: string[];
}

export interface SuiteResult {
  suite: string;
  setup: string;
  ops: OpResult[];
  comparisons: ComparisonResult[];
  tables?: BenchTable[];
  /** The same figures as numbers, for BENCH_JSON. */
  figures?: Record<string, unknown>;
}

/** A suite measures against DynamoDB Local, or, when `standalone`, needs none. */
export type Suite =
  | { name: string; standalone?: false; run(ctx: BenchContext): Promise<SuiteResult> }
  | { name: string; standalone: true; run(): Promise<SuiteResult> };

/** A fresh table, so that each suite starts from its own data whatever ran before it. */
export async function createBenchTable(endpoint: string, prefix: string): Promise<string> {
  const tableName = `${prefix}_${randomBytes(4).toString('hex')}`;
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  return tableName;
}

export class UnexpectedStatusError extends Error {}

/**
 * The Hono app on a real DynamoStore, called in-process with real local tokens: what
 * test/support/api.ts builds, minus vitest's inject.
 */
export function createBenchApi(endpoint: string, tableName: string, storeOf: (store: DynamoStore) => DynamoStore = (store) => store) {
  const doc: DynamoDBDocumentClient = createDocumentClient({ endpoint, region: REGION });
  const app = createApp({
    // A suite may wrap the store, to measure the same app with a part of its writes left out.
    store: storeOf(new DynamoStore(doc, tableName)),
    clock: systemClock,
    ids: createIds(),
    verifyToken: createLocalVerifier(SECRET),
    cursorSecret: 'bench-cursor-secret',
  });
  const tokens = new Map<string, Promise<string>>();

  function tokenFor(who: Principal): Promise<string> {
    let token = tokens.get(who.sub);
    if (!token) tokens.set(who.sub, (token = mintToken(who, SECRET)));
    return token;
  }

  /** Throws on any other status: a benchmark of error answers would measure the wrong thing. */
  async function call(who: Principal, method: string, path: string, body: unknown, expected: number): Promise<any> {
    const headers: Record<string, string> = { Authorization: `Bearer ${await tokenFor(who)}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (res.status !== expected) throw new UnexpectedStatusError(`${method} ${path}: expected ${expected}, got ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  }

  return { doc, tableName, call, close: () => doc.destroy() };
}

export type BenchApi = ReturnType<typeof createBenchApi>;

/** The proxy's counts across `n` runs of `op`, per run. Only this loop may use the proxy meanwhile. */
export async function countRequests(proxy: DynamoProxy, n: number, op: (i: number) => Promise<unknown>): Promise<Record<string, number>> {
  proxy.reset();
  for (let i = 0; i < n; i++) await op(i);
  return Object.fromEntries(
    Object.entries(byOperation(proxy.counts()))
      .map(([op, count]) => [op, count / n] as const)
      .sort(([, a], [, b]) => b - a),
  );
}
