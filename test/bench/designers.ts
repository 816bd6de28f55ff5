import type { Principal } from '@guanjia/core';
import { sample } from './measure.ts';
import { countRequests, createBenchApi, createBenchTable, type BenchApi, type OpResult, type Suite } from './harness.ts';

const SITE = 'bench';
const DESIGNERS = 200;
const CUSTOMERS = 50;
const COUNTED = 20;
const WARMUP = 10;
const ITERATIONS = 100;
const SEED_CONCURRENCY = 4;

const LEVELS = ['standard', 'excellent', 'deputy_chief', 'chief'] as const;
const STYLES = ['现代简约', '北欧', '日式', '新中式', '法式', '美式', '工业风', '轻奢'];

const admin: Principal = { sub: 'bench-admin', role: 'admin', sites: [] };
const manager: Principal = { sub: 'bench-mgr', role: 'manager', sites: [SITE] };
const rep: Principal = { sub: 'bench-rep', role: 'sales', sites: [SITE] };

/** A few at a time: hundreds of sequential writes would eat the time budget. */
async function inParallel(jobs: Array<() => Promise<unknown>>): Promise<void> {
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

/** A decoration site with 200 designers of every level and a spread of styles, and customers of one rep. */
async function seed(api: BenchApi): Promise<string[]> {
  await api.call(admin, 'POST', '/v1/sites', { id: SITE, name: 'Bench', kind: 'decoration', smsSignature: '管家' }, 201);
  for (const p of [manager, rep]) await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { id: p.sub, name: p.sub, role: p.role }, 201);
  await inParallel(
    Array.from({ length: DESIGNERS }, (_, i) => async () => {
      const id = `des-${String(i).padStart(3, '0')}`;
      await api.call(admin, 'POST', `/v1/sites/${SITE}/staff`, { id, name: `设计师${i}`, role: 'designer' }, 201);
      const styles = [STYLES[i % STYLES.length]!, STYLES[(i * 3 + 1) % STYLES.length]!];
      await api.call(manager, 'PUT', `/v1/sites/${SITE}/staff/${id}/profile`, { level: LEVELS[i % LEVELS.length], styles: [...new Set(styles)] }, 200);
    }),
  );
  const ids: string[] = [];
  let phone = 13_700_000_000;
  await inParallel(
    Array.from({ length: CUSTOMERS }, (_, i) => async () => {
      const needs = { area: 80 + (i % 10) * 20, budget: 150_000 + (i % 7) * 50_000 };
      const res = await api.call(rep, 'POST', '/v1/customers', { siteId: SITE, name: '刘洋', phone: String(++phone), channel: 'walk_in', needs }, 201);
      ids.push(res.customer.id);
    }),
  );
  return ids;
}

export const designersSuite: Suite = {
  name: 'designers',
  async run(ctx) {
    const tableName = await createBenchTable(ctx.dynamoEndpoint, 'bench_designers');
    const direct = createBenchApi(ctx.dynamoEndpoint, tableName);
    const counted = createBenchApi(ctx.proxy.endpoint, tableName);
    try {
      const customers = await seed(direct);
      const pick = (i: number) => customers[i % customers.length]!;
      const match = (api: BenchApi, i: number) => api.call(rep, 'POST', `/v1/customers/${pick(i)}/matches`, { styles: [STYLES[i % STYLES.length]] }, 200);
      // Each assignment goes to the best candidate, as a rep would: the load it adds is what the next match weighs.
      const assign = async (api: BenchApi, i: number) => {
        const best = (await match(api, i)).candidates[0].staffId as string;
        return api.call(rep, 'POST', `/v1/customers/${pick(i)}/designer`, { staffId: best }, 200);
      };
      const ops: OpResult[] = [];
      for (const [name, op] of [
        [`match (${DESIGNERS} designers)`, match],
        ['match, then assign the best', assign],
      ] as const) {
        const requests = await countRequests(ctx.proxy, COUNTED, (i) => op(counted, i));
        const latency = await sample((i) => op(direct, i), { warmup: WARMUP, iterations: ITERATIONS });
        ops.push({ name, requests, requestsPerOp: Object.values(requests).reduce((a, b) => a + b, 0), latency });
      }
      return {
        suite: 'designers',
        setup: `site ${SITE}: ${DESIGNERS} designers with profiles (4 levels, 8 styles), ${CUSTOMERS} customers with area and budget, seeded through the API; ${COUNTED} counted calls, then ${WARMUP} warm-up + ${ITERATIONS} timed per op`,
        ops,
        comparisons: [],
      };
    } finally {
      direct.close();
      counted.close();
    }
  },
};
