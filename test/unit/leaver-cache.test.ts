import { describe, expect, it } from 'vitest';
import { LEAVER_CACHE_MS, leaverCheck } from '@guanjia/api/leavers';

const rep = { sub: 'rep-1', role: 'sales' as const, sites: ['s1'] };

function fakeStore(gone: Set<string>) {
  const reads: string[] = [];
  return { reads, store: { isDeactivated: async (id: string) => (reads.push(id), gone.has(id)) } };
}

describe("the API's check for a leaver's token", () => {
  it('reads the table once per staff member per cache window, not once per request', async () => {
    const { reads, store } = fakeStore(new Set());
    let now = 0;
    const leavers = leaverCheck(store, () => now);
    for (let i = 0; i < 5; i++) expect(await leavers.refused(rep)).toBe(false);
    expect(reads).toEqual(['rep-1']);
    now += LEAVER_CACHE_MS + 1;
    await leavers.refused(rep);
    expect(reads).toEqual(['rep-1', 'rep-1']);
  });

  it('lets a leaver through on another instance for at most the cache window after the deactivation', async () => {
    const gone = new Set<string>();
    const { store } = fakeStore(gone);
    let now = 0;
    const other = leaverCheck(store, () => now);
    expect(await other.refused(rep)).toBe(false);
    gone.add('rep-1');
    expect(await other.refused(rep)).toBe(false);
    now += LEAVER_CACHE_MS + 1;
    expect(await other.refused(rep)).toBe(true);
  });

  it('refuses at once on the instance that made the deactivation', async () => {
    const { store } = fakeStore(new Set());
    const leavers = leaverCheck(store, () => 0);
    expect(await leavers.refused(rep)).toBe(false);
    leavers.left('rep-1');
    expect(await leavers.refused(rep)).toBe(true);
  });

  it('never looks up admins and owners, who are not staff of a site', async () => {
    const { reads, store } = fakeStore(new Set());
    const leavers = leaverCheck(store);
    await leavers.refused({ sub: 'admin-1', role: 'admin', sites: [] });
    await leavers.refused({ sub: 'owner-1', role: 'owner', sites: [], phone: '+8613800138000' });
    expect(reads).toEqual([]);
  });
});
