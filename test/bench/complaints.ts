import type { Principal } from '@guanjia/core';
import { countRequests, createBenchApi, createBenchTable, type BenchApi, type OpResult, type Suite } from './harness.ts';
import { sample } from './measure.ts';
import { slaRun } from './sla.ts';

const SITE = 'bench-cmp';
const CUSTOMERS = 50;
const COUNTED = 20;
const WARMUP = 20;
const ITERATIONS = 200;

const admin: Principal = { sub: 'bench-admin', role: 'admin', sites: [] };
const service: Principal = { sub: 'bench-svc', role: 'service', sites: [SITE] };
const rep: Principal = { sub: 'bench-rep', role: 'sales', sites: [SITE] };

let serial = 20_000_000;
const nextPhone = () => `137${++serial}`;

async function seed(api: BenchApi): Promise<{ customers: string[]; complaints: string[] }> {
  await api.call(admin, 'POST', '/v1/sites', { id: SITE, name: 'Bench complaints', kind: 'real_estate', smsSignature: '管家' }, 201);
  for (const p of [service, rep]) await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { id: p.sub, name: p.sub, role: p.role }, 201);
  const customers: string[] = [];
  for (let i = 0; i < CUSTOMERS; i++)
    customers.push((await api.call(rep, 'POST', '/v1/customers', { siteId: SITE, name: '张伟', phone: nextPhone(), channel: 'walk_in' }, 201)).customer.id);
  const complaints: string[] = [];
  for (const customerId of customers) complaints.push((await file(api, customerId)).complaint.id);
  return { customers, complaints };
}

const file = (api: BenchApi, customerId: string) =>
  api.call(service, 'POST', '/v1/complaints', { customerId, category: 'repair', channel: 'hotline', description: '卫生间漏水' }, 201);

export const complaintsSuite: Suite = {
  name: 'complaints',
  async run(ctx) {
    const tableName = await createBenchTable(ctx.dynamoEndpoint, 'bench_complaints');
    const direct = createBenchApi(ctx.dynamoEndpoint, tableName);
    const counted = createBenchApi(ctx.proxy.endpoint, tableName);
    try {
      const seeded = await seed(direct);
      const pick = (list: string[], i: number) => list[i % list.length]!;
      // A note keeps the complaint's state, so every call does the same work.
      const operations: Array<[string, (api: BenchApi, i: number) => Promise<unknown>]> = [
        ['create complaint', (api, i) => file(api, pick(seeded.customers, i))],
        [
          'add event (note)',
          (api, i) => api.call(service, 'POST', `/v1/complaints/${pick(seeded.complaints, i)}/events`, { type: 'note', note: '已联系维修' }, 201),
        ],
      ];
      const ops: OpResult[] = [];
      for (const [name, op] of operations) {
        const requests = await countRequests(ctx.proxy, COUNTED, (i) => op(counted, i));
        const latency = await sample((i) => op(direct, i), { warmup: WARMUP, iterations: ITERATIONS });
        ops.push({ name, requests, requestsPerOp: Object.values(requests).reduce((a, b) => a + b, 0), latency });
      }
      const sla = await slaRun(ctx);
      return {
        suite: 'complaints',
        setup: `site ${SITE}: ${CUSTOMERS} customers, a complaint each, seeded through the API; ${COUNTED} counted calls, then ${WARMUP} warm-up + ${ITERATIONS} timed per op`,
        ops,
        comparisons: [],
        tables: [sla.table],
        figures: sla.figures,
      };
    } finally {
      direct.close();
      counted.close();
    }
  },
};
