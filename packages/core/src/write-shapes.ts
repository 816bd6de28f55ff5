import type { IntentLevel, LeadType, Task, TaskOutcome } from './model.ts';

/**
 * A record as its writer read it: the write lands only while the stored one still carries
 * `expectedVersion`, and fails with `VersionConflictError` once someone else wrote it.
 */
export type Versioned<T extends object> = T & { expectedVersion: number };

/**
 * A task saved beside another record's change (a follow-up closed, a callback moved).
 * `closedLateOn`: the site day a follow-up was closed on, when that is a later day than the
 * one it fell due on; the store files it under that day, so that a past day's overdue
 * follow-ups can be told without reading those closed in time.
 */
export type VersionedTask = Versioned<{ task: Task; closedLateOn?: string }>;

/**
 * A contact's change of the customer's follow-up: the one it saw open (`from`) closed, the
 * next opened, the customer's pointer moved to it (`to`) and its intent level and lead type set.
 */
export interface FollowUpSwap {
  from: string | null;
  to: string | null;
  /** When `to` falls due, for the customer's copy; left out when the pointer stays. */
  toDueAt?: string | null;
  close?: VersionedTask;
  /** Or the open chase closed unread, from the customer's copy of it. */
  closeUnread?: UnreadClose;
  open?: Task;
  intentLevel?: IntentLevel;
  leadType?: LeadType;
  at: string;
}

/**
 * The customer's open chase closed without reading it: the closed item is worked out from
 * what is named here, and the store lands the close only while the task still holds every
 * one of these (open, of this kind, site, customer, assignee and due time), so a copy gone
 * stale fails the write as a change made meanwhile would, and never closes a task wrong.
 */
export interface UnreadClose {
  id: string;
  kind: 'follow_up' | 'review';
  siteId: string;
  customerId: string;
  assigneeId: string;
  dueAt: string;
  outcome: TaskOutcome;
  note: string;
  closedAt: string;
  closedBy: string;
  closedLateOn?: string;
}
