import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Principal } from '@guanjia/core';
import { METRICS_NAMESPACE, serviceName } from '../../functions/metric-names.ts';
import { countRequests, createBenchApi, createBenchTable, type BenchContext, type Suite } from './harness.ts';
import { summarize } from './measure.ts';
import { buildPeers, type PeerBundle } from './peers-build.ts';
import { peersReport, type PeerFigures } from './peers-report.ts';
import { peerRunner, type MemoryFigures } from './peers-run.ts';
import { createIssuer, POOLS } from './peers-tokens.ts';

const SITE = 'peers';
const CUSTOMERS = 50;
/** Fresh processes per handler, for the import alone and for the import and first answer. */
const COLD_RUNS = 9;
const WARMUP = 300;
const WARM_ROUNDS = 3000;
const MEMORY_INVOCATIONS = 10_000;
const COUNTED = 200;

const admin: Principal = { sub: 'peers-admin', role: 'admin', sites: [] };
const rep: Principal = { sub: 'peers-rep', role: 'sales', sites: [SITE] };

/** The rep's customers, made through the API as users make them. */
async function seed(endpoint: string, tableName: string): Promise<string[]> {
  const api = createBenchApi(endpoint, tableName);
  try {
    await api.call(admin, 'POST', '/v1/sites', { id: SITE, name: 'Peers', kind: 'real_estate', smsSignature: '管家' }, 201);
    await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { id: rep.sub, name: '李娜', role: rep.role }, 201);
    const ids: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const phone = `1370000${String(i).padStart(4, '0')}`;
      ids.push((await api.call(rep, 'POST', '/v1/customers', { siteId: SITE, name: '张伟', phone, channel: 'walk_in', intentLevel: 'B' }, 201)).customer.id);
    }
    return ids;
  } finally {
    api.close();
  }
}

/** The recorded HTTP API (payload 2.0) event of the test suite, turned to `GET /v1/customers/{id}` with a Cognito staff token. */
async function customerEvents(ids: string[], token: string): Promise<APIGatewayProxyEventV2[]> {
  const recorded = JSON.parse(await readFile(new URL('../functions/events/api-get-customers.json', import.meta.url), 'utf8')) as APIGatewayProxyEventV2;
  return ids.map((id) => {
    const path = `/v1/customers/${id}`;
    const { queryStringParameters: _query, ...event } = structuredClone(recorded);
    return {
      ...event,
      rawPath: path,
      rawQueryString: '',
      headers: { ...event.headers, authorization: `Bearer ${token}` },
      pathParameters: { proxy: path.slice(1) },
      requestContext: { ...event.requestContext, http: { ...event.requestContext.http, path } },
    };
  });
}

/** What Lambda sets, and what the API function's template sets, with the stand-ins bundles.ts uses for references. */
function handlerEnv(ctx: BenchContext, tableName: string, jwksFile: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: 'UTC',
    LANG: 'en_US.UTF-8',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: 'guanjia-bench-peers',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    // DynamoDB Local keeps a database per access key and region: the seeding's.
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_CONFIG_FILE: join(jwksFile, '..', 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(jwksFile, '..', 'no-aws-credentials'),
    AWS_ENDPOINT_URL_DYNAMODB: ctx.dynamoEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_SERVICE_NAME: serviceName('bench'),
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    TABLE_NAME: tableName,
    ...POOLS,
    CURSOR_SECRET: 'bench-cursor-secret-of-forty-characters!',
    PEERS_JWKS_FILE: jwksFile,
  };
}

/**
 * `GET /v1/customers/{id}` by a staff token through three Lambda handlers built as the stack
 * builds its functions: a floor with no framework, Express 5 under serverless-http, and the
 * API function as it ships; each on a recorded API Gateway event, against one DynamoDB Local.
 */
export const peersSuite: Suite = {
  name: 'peers',
  async run(ctx) {
    const built = await buildPeers();
    try {
      const tableName = await createBenchTable(ctx.dynamoEndpoint, 'bench_peers');
      const ids = await seed(ctx.dynamoEndpoint, tableName);
      const issuer = createIssuer();
      const jwksFile = join(built.dir, 'jwks.json');
      const eventsFile = join(built.dir, 'events.json');
      await writeFile(jwksFile, JSON.stringify(issuer.jwks));
      await writeFile(eventsFile, JSON.stringify(await customerEvents(ids, issuer.staffIdToken(rep.sub, rep.role, rep.sites))));
      const runner = peerRunner(built, eventsFile, handlerEnv(ctx, tableName, jwksFile));
      const bundles: PeerBundle[] = [built.floor, built.express, built.guanjia];

      // Requests per invocation, counted at the proxy: the first invocation's included (a cold leaver check).
      const requests: Record<string, number>[] = [];
      for (const bundle of bundles) {
        requests.push(await countRequests(ctx.proxy, 1, () => runner.memory(bundle, 0, COUNTED, { AWS_ENDPOINT_URL_DYNAMODB: ctx.proxy.endpoint })));
      }

      const cold = bundles.map(() => ({ importMs: [] as number[], answerMs: [] as number[] }));
      // One unmeasured start each: the files into the page cache, a broken handler found before timing.
      for (const bundle of bundles) await runner.cold(bundle, true);
      for (let round = 0; round < COLD_RUNS; round++) {
        for (let k = 0; k < bundles.length; k++) {
          const h = (round + k) % bundles.length;
          cold[h]!.importMs.push(await runner.cold(bundles[h]!, false));
          cold[h]!.answerMs.push(await runner.cold(bundles[h]!, true));
        }
      }

      const warm = await runner.warm(bundles, WARMUP, WARM_ROUNDS);
      const memory: MemoryFigures[] = [];
      for (const bundle of bundles) memory.push(await runner.memory(bundle, WARMUP, MEMORY_INVOCATIONS));

      const figures: PeerFigures[] = bundles.map((bundle, h) => ({
        name: bundle.name,
        bytes: bundle.bytes,
        sha256: bundle.sha256,
        packages: bundle.packages.slice(0, 8),
        importMs: summarize(cold[h]!.importMs).medianMs,
        answerMs: summarize(cold[h]!.answerMs).medianMs,
        warm: summarize(warm.ms[h]!),
        cpuMicros: warm.cpuMicros[h]! / WARM_ROUNDS,
        requests: Object.fromEntries(Object.entries(requests[h]!).map(([op, n]) => [op, n / COUNTED])),
        memory: memory[h]!,
      }));
      return peersReport(figures, {
        setup: [
          `GET /v1/customers/{id} by a sales rep's Cognito ID token over ${CUSTOMERS} customers; each handler built with infra/lambda.ts's BUNDLING`,
          `cold: ${COLD_RUNS} fresh node processes per handler and figure, interleaved; warm: ${WARMUP} warm-up then ${WARM_ROUNDS} invocations each, the three in one process taking turns;`,
          `memory: a process per handler, after a full GC, before and after ${MEMORY_INVOCATIONS.toLocaleString('en')} invocations`,
        ].join('\n'),
        counted: COUNTED,
      });
    } finally {
      await built.remove();
    }
  },
};
