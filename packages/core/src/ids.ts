import { randomBytes } from 'node:crypto';
import type { Clock, Ids } from './ports.ts';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Time-ordered ids: 9 base-36 characters of milliseconds, then 12 random ones. */
export function createIds(clock: Clock = systemClock): Ids {
  return {
    next() {
      const time = clock.now().getTime().toString(36).padStart(9, '0');
      const bytes = randomBytes(12);
      let tail = '';
      for (const byte of bytes) tail += ALPHABET[byte % 36];
      return time + tail;
    },
  };
}

export const systemClock: Clock = { now: () => new Date() };
