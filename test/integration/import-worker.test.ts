import { createIds, type Context } from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startImportWorker } from '@guanjia/local/import-worker';
import type { TableStream } from '@guanjia/local/table-stream';
import { admin, createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let worker: TableStream;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'wrk');
  const ctx: Context = { store: api.table.store, clock: api.clock, ids: createIds() };
  worker = await startImportWorker(ctx, { endpoint: inject('dynamoEndpoint'), tableName: api.table.tableName });
});
// Stopping waits for a chunk in hand to finish; on a loaded machine that takes a while.
afterAll(async () => {
  await worker?.stop();
  api.close();
}, 180_000);

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 150_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the import worker of the local runtime', () => {
  it('works a list of several chunks to its end, woken by the table stream alone', async () => {
    const phones = Array.from({ length: 120 }, () => freshPhone());
    const file = `姓名,手机,房号,交付日期\r\n${phones.map((p, i) => `业主${i},${p},1栋${i},2026-05-01`).join('\r\n')}\r\n`;
    const res = await api.call(s.service, 'POST', '/v1/imports?siteId=wrk&kind=deliveries', { raw: file, headers: { 'Content-Type': 'text/csv' } });
    expect(res.status).toBe(202);
    expect(res.body.import.chunks).toBe(2);
    const done = await until(async () => {
      const { body } = await api.call(s.service, 'GET', `/v1/imports/${res.body.import.id}`);
      return body.import.status === 'done' ? body.import : undefined;
    }, 'the import to finish');
    expect(done).toMatchObject({ chunksDone: 2, counts: { rows: 120, valid: 120, created: 120 } });
    const last = await api.call(admin, 'GET', `/v1/customers?siteId=wrk&phone=${phones[119]}`);
    expect(last.body.items).toHaveLength(1);
  }, 180_000);
});
