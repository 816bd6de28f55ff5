import type { HandoverStore, Principal } from '@guanjia/core';

/**
 * How long an API instance trusts its answer to "has this staff member left?". The check is
 * one GetItem per staff member per instance per this long, not one per request; the cost of
 * it is that another instance may let a leaver's token through for up to this long after the
 * deactivation (the instance that deactivates forgets at once).
 */
export const LEAVER_CACHE_MS = 30_000;
/** Past this many staff remembered, the cache starts over rather than grow without bound. */
const MAX_REMEMBERED = 10_000;

export interface Leavers {
  /** Whether the principal is a deactivated staff member: admins and owners are never looked up. */
  refused(principal: Principal): Promise<boolean>;
  /** Called where the deactivation is made, so that this instance refuses the token at once. */
  left(staffId: string): void;
}

export function leaverCheck(store: Pick<HandoverStore, 'isDeactivated'>, now: () => number = Date.now, ttlMs = LEAVER_CACHE_MS): Leavers {
  const known = new Map<string, { gone: boolean; until: number }>();
  return {
    async refused(principal) {
      if (principal.role === 'admin' || principal.role === 'owner') return false;
      const cached = known.get(principal.sub);
      if (cached && cached.until > now()) return cached.gone;
      const gone = await store.isDeactivated(principal.sub);
      if (known.size >= MAX_REMEMBERED) known.clear();
      known.set(principal.sub, { gone, until: now() + ttlMs });
      return gone;
    },
    left(staffId) {
      // A deactivation is not undone, so this instance may remember it for good.
      known.set(staffId, { gone: true, until: Number.POSITIVE_INFINITY });
    },
  };
}
