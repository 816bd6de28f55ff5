import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readme } from '../support/readme-blocks.ts';
import { createTestApi, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'demo');
});
afterAll(() => api.close());

/** The README's refused intake: the request its curl sends, and the answer it prints under it. */
function example(): { body: unknown; shown: unknown } {
  const block = readme().match(/```console\n(\$ curl[^\n]*\/v1\/customers[^\n]*zh-CN[\s\S]*?)```/)?.[1];
  if (!block) throw new Error('README.md has lost its zh-CN problem example');
  const sent = block.match(/-d '([^']*)'/)?.[1];
  const printed = block.trim().split('\n').at(-1);
  return { body: JSON.parse(sent ?? 'null'), shown: JSON.parse(printed ?? 'null') };
}

describe("the README's problem example", () => {
  it('is what the API answers to its request in Chinese, word for word', async () => {
    const { body, shown } = example();
    const res = await api.call(s.repA, 'POST', '/v1/customers', { body: body as object, headers: { 'Accept-Language': 'zh-CN' } });
    expect(res.body).toEqual(shown);
  });
});
