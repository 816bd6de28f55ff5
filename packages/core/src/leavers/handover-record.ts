import type { Role, Staff } from '../model.ts';
import type { CustomerHistory } from '../reports/lead-figures.ts';
import type { Versioned, VersionedTask } from '../write-shapes.ts';
import type { Customer } from '../model.ts';

/** stopped: every colleague named has left since it began; what is left waits for a hand-over naming others. */
export const HANDOVER_STATUSES = ['running', 'done', 'stopped'] as const;
export type HandoverStatus = (typeof HANDOVER_STATUSES)[number];

/**
 * A leaver's hand-over (离职交接) as it runs: a chunk of the leaver's customers at a time,
 * each moved in a transaction of its own, then the open tasks still given to them on customers
 * others own (a service agent's callbacks), a task per transaction. The record counts what the
 * chunks did and keeps whose turn is next, so that a run resumed after a crash goes on from it.
 */
export interface HandoverRecord {
  id: string;
  siteId: string;
  fromId: string;
  to: string[];
  status: HandoverStatus;
  /** designs: customers a departed designer was assigned, given to the designer colleagues. customers, tasks and designs: what landed, counted in each move's transaction (tasks: those of the moved customers, and the leaver's on other owners' customers); skipped: customers listed but no longer the leaver's when reached. */
  counts: { customers: number; tasks: number; skipped: number; designs?: number };
  /** Customers and lone tasks handed out so far: the next goes to `to[turn % to.length]` (round robin). */
  turn: number;
  chunksDone: number;
  by: { sub: string; role: Role; sites: string[] };
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface HandoverStore {
  /**
   * The person's staff records marked inactive (the first: the site the manager named), and
   * the person listed as a leaver whose tokens the API refuses, with that first record.
   */
  deactivateStaff(records: Staff[]): Promise<void>;
  /** Whether a staff id was deactivated at any site: one GetItem, which the API caches. */
  isDeactivated(staffId: string): Promise<boolean>;
  /** `HandoverRunningError`, naming it, while a hand-over of the same leaver at the site runs. */
  createHandover(record: HandoverRecord): Promise<void>;
  getHandover(id: string): Promise<HandoverRecord | null>;
  /** `VersionConflictError` when another run moved the record on. */
  saveHandover(record: HandoverRecord, expectedVersion: number): Promise<void>;
  /** Running hand-overs whose record has not moved since `before`: a worker died on them. */
  listStalledHandovers(before: string, limit: number): Promise<HandoverRecord[]>;
  /** Touches a stalled record so that its change wakes the worker again. */
  nudgeHandover(record: HandoverRecord, at: string): Promise<void>;
  /** One customer to its new owner with its open tasks and change log, all or nothing, at the version read. */
  handOverCustomer(fact: Versioned<{ handoverId: string; customer: Customer; movedTasks: VersionedTask[]; history: CustomerHistory }>): Promise<void>;
  /** One open task of the leaver's on a customer they do not own, to its new assignee (or cancelled), at the version read, counted with it. */
  handOverTask(fact: VersionedTask & { handoverId: string }): Promise<void>;
}
