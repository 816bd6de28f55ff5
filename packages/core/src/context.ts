import type { Clock, Ids, Store } from './ports.ts';

/** What every use case runs with: injected, so a test can stand on any day it likes. */
export interface Context {
  store: Store;
  clock: Clock;
  ids: Ids;
}
