import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cachedSites, SITE_CACHE_MS, VersionConflictError, type Site, type SiteStore } from '@guanjia/core';

const site = (version: number): Site => ({ id: 's1', name: `v${version}`, version }) as Site;

/** One site record as the table holds it, with when each version was written. */
function fakeStore(clock: { now: number }) {
  const written: Array<{ version: number; at: number }> = [{ version: 1, at: clock.now }];
  let reads = 0;
  const store = {
    get reads() {
      return reads;
    },
    written,
    write: () => written.push({ version: written.length + 1, at: clock.now }),
    async getSite(id: string) {
      reads++;
      return id === 's1' ? site(written.length) : null;
    },
    async updateSite(next: Site, expected: number) {
      if (expected !== written.length) throw new VersionConflictError('stale');
      written.push({ version: next.version, at: clock.now });
    },
  } as unknown as SiteStore & { reads: number; written: typeof written; write: () => void };
  return store;
}

describe("an API instance's cache of site settings", () => {
  it('reads a site once per cache window, not once per request', async () => {
    const clock = { now: 0 };
    const store = fakeStore(clock);
    const sites = cachedSites(store, SITE_CACHE_MS, () => clock.now);
    for (let i = 0; i < 5; i++) expect((await sites.getSite('s1'))?.version).toBe(1);
    expect(store.reads).toBe(1);
    clock.now += SITE_CACHE_MS;
    await sites.getSite('s1');
    expect(store.reads).toBe(2);
  });

  it('never serves settings that stopped being current longer ago than the bound', async () => {
    const steps = fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 2 * SITE_CACHE_MS }) }),
        fc.record({ op: fc.constant('elsewhere' as const) }),
        fc.record({ op: fc.constant('here' as const) }),
        fc.record({ op: fc.constant('read' as const) }),
      ),
      { maxLength: 60 },
    );
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        const clock = { now: 0 };
        const store = fakeStore(clock);
        const sites = cachedSites(store, SITE_CACHE_MS, () => clock.now);
        for (const step of plan) {
          if (step.op === 'tick') clock.now += step.ms;
          if (step.op === 'elsewhere') store.write();
          if (step.op === 'here') {
            const read = (await sites.getSite('s1'))!;
            await sites.updateSite({ ...read, version: read.version + 1 }, read.version).catch((e) => {
              if (!(e instanceof VersionConflictError)) throw e;
            });
          }
          if (step.op === 'read') {
            const served = (await sites.getSite('s1'))!;
            // The version after the one served, if any, was written less than the bound ago.
            const next = store.written.find((w) => w.version === served.version + 1);
            if (next) expect(clock.now - next.at).toBeLessThan(SITE_CACHE_MS);
          }
        }
      }),
      // Enough runs that a cache kept 1.5 times the bound is caught every time (checked by hand).
      { numRuns: 2000 },
    );
  });

  it('applies an update made through the same instance at once, and reads again after a stale update is refused', async () => {
    const clock = { now: 0 };
    const store = fakeStore(clock);
    const sites = cachedSites(store, SITE_CACHE_MS, () => clock.now);
    const first = (await sites.getSite('s1'))!;
    await sites.updateSite({ ...first, version: 2 }, 1);
    expect((await sites.getSite('s1'))?.version).toBe(2);
    store.write();
    const stale = (await sites.getSite('s1'))!;
    expect(stale.version).toBe(2);
    await expect(sites.updateSite({ ...stale, version: 3 }, 2)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await sites.getSite('s1'))?.version).toBe(3);
  });

  it('does not remember a site that was not found, so one created elsewhere is seen at once', async () => {
    const clock = { now: 0 };
    const store = fakeStore(clock);
    const sites = cachedSites(store, SITE_CACHE_MS, () => clock.now);
    expect(await sites.getSite('s2')).toBeNull();
    expect(await sites.getSite('s2')).toBeNull();
    expect(store.reads).toBe(2);
  });
});

describe("an API instance's cache of site settings, with requests at once", () => {
  it('does not keep what a read begun before an update on this instance brought back', async () => {
    const clock = { now: 0 };
    const store = fakeStore(clock);
    const held: Array<() => void> = [];
    let holdNext = true;
    const slow = {
      getSite: async (id: string) => {
        const site = await store.getSite(id);
        if (holdNext) await new Promise<void>((r) => held.push(r));
        return site;
      },
      updateSite: store.updateSite,
    } as unknown as SiteStore;
    const sites = cachedSites(slow, SITE_CACHE_MS, () => clock.now);
    const reading = sites.getSite('s1');
    await sites.updateSite({ ...site(1), version: 2 }, 1);
    holdNext = false;
    while (!held.length) await new Promise((r) => setImmediate(r));
    held.shift()!();
    expect((await reading)?.version).toBe(1);
    // The next read goes to the table rather than serving the version read before the update.
    expect((await sites.getSite('s1'))?.version).toBe(2);
    expect(store.reads).toBe(2);
  });
});
