import type { Site } from './model.ts';
import type { SiteStore } from './ports.ts';

/**
 * How old a site's settings may be when an API instance applies them. Every write reads its
 * site's rules (cadence, quiet hours, time zone); re-reading them on each request was a third
 * of an intake's DynamoDB requests. The cost: a change made through one instance reaches the
 * others within this long (the instance that made it applies it at once).
 */
export const SITE_CACHE_MS = 30_000;
/** Past this many sites remembered, the cache starts over rather than grow without bound. */
const MAX_REMEMBERED = 1_000;

/**
 * The store with `getSite` answered from memory for up to `maxAgeMs` after it was read.
 * `now` is the instance's own time (not the use cases' clock, which a test or a job may set to
 * any day): staleness is about how long ago this process read the record.
 * A site not found is not remembered, so one created elsewhere is seen at once. An update
 * through this instance forgets the entry whether it lands or not: a version conflict means
 * the entry was stale, and the retry must read the record again.
 */
export function cachedSites<S extends SiteStore>(store: S, maxAgeMs = SITE_CACHE_MS, now: () => number = () => performance.now()): S {
  const known = new Map<string, { site: Site; readAt: number }>();
  // Bumped by each update through this instance: a read begun before it must not put back what it read.
  let updates = 0;
  const cached: Pick<SiteStore, 'getSite' | 'updateSite'> = {
    async getSite(id) {
      const hit = known.get(id);
      if (hit && now() - hit.readAt < maxAgeMs) return structuredClone(hit.site);
      const readAt = now();
      const before = updates;
      const site = await store.getSite(id);
      if (known.size >= MAX_REMEMBERED) known.clear();
      if (site && before === updates) known.set(id, { site: structuredClone(site), readAt });
      else known.delete(id);
      return site;
    },
    async updateSite(site, expectedVersion) {
      updates++;
      try {
        await store.updateSite(site, expectedVersion);
      } finally {
        updates++;
        known.delete(site.id);
      }
    },
  };
  // Every other method is the store's own, called on the store; bound once, not on every call.
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'getSite' || name === 'updateSite') return cached[name];
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function') return value;
      let method = bound.get(name);
      if (method === undefined) bound.set(name, (method = value.bind(target)));
      return method;
    },
  });
}
