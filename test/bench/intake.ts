import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { normalizePhone, type Principal } from '@guanjia/core';
import { customerKey, DynamoStore } from '@guanjia/dynamo';
import { compareThroughput, sample } from './measure.ts';
import { countRequests, createBenchApi, createBenchTable, type BenchApi, type OpResult, type Suite } from './harness.ts';

const SITE = 'bench';
const CUSTOMERS_PER_REP = 150;
const COUNTED = 20;
const WARMUP = 20;
const ITERATIONS = 200;
const SEED_CONCURRENCY = 4;

const admin: Principal = { sub: 'bench-admin', role: 'admin', sites: [] };
const manager: Principal = { sub: 'bench-mgr', role: 'manager', sites: [SITE] };
const repA: Principal = { sub: 'bench-rep-a', role: 'sales', sites: [SITE] };
const repB: Principal = { sub: 'bench-rep-b', role: 'sales', sites: [SITE] };

let serial = 10_000_000;
/** Every call gives a number no earlier call gave, so "new phone" is new on every iteration. */
const nextPhone = () => `139${++serial}`;

interface Seeded {
  /** Customers of repA, the rep whose operations are measured. */
  ids: string[];
  phones: string[];
}

async function seed(api: BenchApi): Promise<Seeded> {
  await api.call(admin, 'POST', '/v1/sites', { id: SITE, name: 'Bench', kind: 'real_estate', smsSignature: '管家' }, 201);
  for (const p of [manager, repA, repB]) await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { id: p.sub, name: p.sub, role: p.role }, 201);
  const seeded: Seeded = { ids: [], phones: [] };
  const jobs = Array.from({ length: 2 * CUSTOMERS_PER_REP }, (_, i) => (i % 2 ? repB : repA));
  // A few at a time: sequential seeding of hundreds of transactions would eat the time budget.
  const worker = async () => {
    for (let rep = jobs.shift(); rep; rep = jobs.shift()) {
      const phone = nextPhone();
      const res = await api.call(rep, 'POST', '/v1/customers', { siteId: SITE, name: '张伟', phone, channel: 'walk_in', intentLevel: 'B' }, 201);
      if (rep === repA) seeded.ids.push(res.customer.id), seeded.phones.push(phone);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return seeded;
}

type Op = (api: BenchApi, i: number) => Promise<unknown>;

function operations(s: Seeded): Array<[string, Op]> {
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  return [
    [
      'intake (new phone)',
      (api) => api.call(repA, 'POST', '/v1/customers', { siteId: SITE, name: '李娜', phone: nextPhone(), channel: 'walk_in', intentLevel: 'B' }, 201),
    ],
    [
      'intake (known phone)',
      (api, i) => api.call(repA, 'POST', '/v1/customers', { siteId: SITE, name: '张伟', phone: pick(s.phones, i), channel: 'phone' }, 200),
    ],
    ['get customer', (api, i) => api.call(repA, 'GET', `/v1/customers/${pick(s.ids, i)}`, undefined, 200)],
    ['list customers', (api) => api.call(manager, 'GET', `/v1/customers?siteId=${SITE}&limit=20`, undefined, 200)],
    // An intent level keeps the cadence opening a next follow-up, so every call does the same work.
    [
      'add interaction',
      (api, i) => api.call(repA, 'POST', `/v1/customers/${pick(s.ids, i)}/interactions`, { channel: 'call', summary: '回访', intentLevel: 'A' }, 201),
    ],
    ['list tasks', (api) => api.call(repA, 'GET', '/v1/tasks?limit=20', undefined, 200)],
  ];
}

export const intakeSuite: Suite = {
  name: 'intake',
  async run(ctx) {
    const tableName = await createBenchTable(ctx.dynamoEndpoint, 'bench_intake');
    const direct = createBenchApi(ctx.dynamoEndpoint, tableName);
    const counted = createBenchApi(ctx.proxy.endpoint, tableName);
    try {
      const seeded = await seed(direct);
      const ops: OpResult[] = [];
      for (const [name, op] of operations(seeded)) {
        const requests = await countRequests(ctx.proxy, COUNTED, (i) => op(counted, i));
        const latency = await sample((i) => op(direct, i), { warmup: WARMUP, iterations: ITERATIONS });
        ops.push({ name, requests, requestsPerOp: Object.values(requests).reduce((a, b) => a + b, 0), latency });
      }

      const key = (i: number) => customerKey(seeded.ids[i % seeded.ids.length]!);
      const getCustomer = operations(seeded).find(([name]) => name === 'get customer')![1];
      const throughput = await compareThroughput(
        (i) => getCustomer(direct, i),
        (i) => direct.doc.send(new GetCommand({ TableName: tableName, Key: key(i) })),
      );
      // The route also reads the phone's newest consent (smsConsent is the phone's, company-wide):
      // the same two requests, bare, show what the API adds over the database work it asks for.
      const store = new DynamoStore(direct.doc, tableName);
      const sameWork = await compareThroughput(
        (i) => getCustomer(direct, i),
        async (i) => {
          await direct.doc.send(new GetCommand({ TableName: tableName, Key: key(i) }));
          await store.latestConsent(normalizePhone(seeded.phones[i % seeded.phones.length]!));
        },
      );
      return {
        suite: 'intake',
        setup: `site ${SITE}: 1 manager, 2 reps, ${2 * CUSTOMERS_PER_REP} customers seeded through the API; ${COUNTED} counted calls, then ${WARMUP} warm-up + ${ITERATIONS} timed per op`,
        ops,
        comparisons: [
          { name: 'get customer throughput', subjectLabel: 'API GET /v1/customers/{id}', baselineLabel: 'bare GetCommand', ...throughput },
          {
            name: 'get customer throughput, against the same requests',
            subjectLabel: 'API GET /v1/customers/{id}',
            baselineLabel: 'bare GetCommand + consent Query',
            ...sameWork,
          },
        ],
      };
    } finally {
      direct.close();
      counted.close();
    }
  },
};
