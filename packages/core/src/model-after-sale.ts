/** The after-sale records: deliveries, conflicts, consent, SMS, jobs' state, campaigns, complaints. */

import type { ComplaintState } from './complaint-states.ts';
import type { Stage } from './stages.ts';

export const ASSET_KINDS = ['home', 'car', 'installation', 'product'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** A handover (交付): what was delivered and on which site day; callbacks count from it. */
export interface Delivery {
  id: string;
  customerId: string;
  siteId: string;
  asset: { kind: AssetKind; label: string };
  deliveredOn: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  version: number;
}

export const CONFLICT_STATUSES = ['open', 'resolved'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

/** 碰车: a rep other than the owner received a known customer. Settled by a manager. */
export interface Conflict {
  id: string;
  siteId: string;
  customerId: string;
  /** Owner when the conflict was opened. */
  ownerId: string;
  claimantId: string;
  /**
   * The two reps' names as staff records gave them when the conflict opened, so the managers'
   * list is one Query (staff are not renamed); null on a conflict opened before they were
   * carried, or when a rep has no staff record.
   */
  ownerName: string | null;
  claimantName: string | null;
  receptionId: string;
  status: ConflictStatus;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  decidedOwnerId: string | null;
}

/** Consent is the phone's, company-wide, and kept as a history: never overwritten. */
export interface ConsentRecord {
  phone: string;
  granted: boolean;
  source: string;
  by: string;
  at: string;
}

export interface IdempotencyRecord {
  scope: string;
  key: string;
  requestHash: string;
  state: 'pending' | 'done';
  status?: number;
  body?: string;
  contentType?: string;
  createdAt: string;
  /** Epoch seconds; DynamoDB's TTL removes the record after this. */
  expiresAt: number;
}

export const SMS_STATES = ['queued', 'sending', 'sent', 'failed', 'suppressed', 'deferred'] as const;
export type SmsState = (typeof SMS_STATES)[number];

/**
 * An SMS in the outbox. It is written in the same transaction as the fact that causes it,
 * under a deterministic id, and moves `queued → sending → sent | failed`, or to `deferred`
 * (quiet hours) or `suppressed` (no consent, over the cap); every move is kept in `history`.
 */
export interface OutboxMessage {
  id: string;
  purpose: string;
  kind: 'notice' | 'care';
  state: SmsState;
  siteId: string;
  /** The customer it is about, whose messages list it; for a message to staff too. */
  customerId: string;
  /** Set when it goes to a staff member's phone (SLA warnings and escalations), not the customer's. */
  staffId?: string;
  to: string;
  body: string;
  parts: number;
  createdAt: string;
  updatedAt: string;
  /** Deferred: not before this instant (the end of quiet hours). */
  sendAfter: string | null;
  sentAt: string | null;
  reason: string | null;
  providerId: string | null;
  history: { state: SmsState; at: string; reason?: string }[];
  version: number;
}

/** What a scheduled job remembers: the last day it finished, so that it can catch up. */
export interface JobState {
  job: string;
  lastDay: string | null;
  lastRunAt: string;
  version: number;
}

/** A site's fair-turn counter for handing out work (callbacks to service agents). */
export interface Turn {
  siteId: string;
  rotation: string;
  turn: number;
  version: number;
}

/** A care text for every customer of a stage at a site, queued by the care job on its day. */
export interface Campaign {
  id: string;
  siteId: string;
  name: string;
  /** The site day it goes out. */
  sendOn: string;
  template: string;
  audience: { stage: Stage };
  createdAt: string;
  createdBy: string;
  version: number;
}

export const COMPLAINT_CATEGORIES = ['quality', 'repair', 'service', 'sales', 'property', 'billing', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_CHANNELS = ['hotline', 'mini_program', 'web', 'on_site', 'callback'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const SEVERITIES = ['normal', 'urgent'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Who did something: a staff member by id, the owner (by their principal's sub), or a job (`sla`). */
export interface Actor {
  kind: 'staff' | 'owner' | 'system';
  id: string;
}

export interface Complaint {
  id: string;
  /** 投诉编号, quoted on the phone and in the SMS: digits only, at most ten, unique company-wide. */
  number: string;
  siteId: string;
  customerId: string;
  deliveryId: string | null;
  /** A callback whose findings opened this complaint. */
  callbackId: string | null;
  category: ComplaintCategory;
  severity: Severity;
  channel: ComplaintChannel;
  description: string;
  status: ComplaintState;
  assigneeId: string | null;
  filedBy: Actor;
  /** Created + the site's answer window; the first response stops the clock. */
  respondBy: string;
  respondedAt: string | null;
  responseMinutes: number | null;
  escalated: boolean;
  /** When the SLA job warned that the deadline was near: set once, so it warns once. */
  warnedAt: string | null;
  satisfaction: number | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One entry of a complaint's append-only timeline; a refused step is kept too. */
export interface ComplaintEntry {
  id: string;
  complaintId: string;
  /** What was done: `received`, or the event (`respond`, `assign`, ...). */
  event: string;
  by: Actor;
  at: string;
  note: string | null;
  /** Staff-only notes never reach the owner. */
  internal: boolean;
  fromState: ComplaintState;
  toState: ComplaintState;
  details: Record<string, unknown>;
}
