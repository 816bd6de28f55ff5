import { randomUUID } from 'node:crypto';
import type {
  Complaint,
  ComplaintEntry,
  Campaign,
  Conflict,
  ConsentRecord,
  Customer,
  Delivery,
  Duty,
  IdempotencyRecord,
  Interaction,
  JobState,
  OutboxMessage,
  Reception,
  Site,
  Staff,
  Task,
  Turn,
} from '@guanjia/core';
import {
  KEY_ATTRIBUTES,
  birthdayKey,
  campaignDueKey,
  campaignKey,
  claimKey,
  complaintEntryKey,
  complaintRefKey,
  complaintIndexKeys,
  complaintKey,
  complaintNumberKey,
  conflictIndexKeys,
  conflictKey,
  consentKey,
  customerIndexKeys,
  customerKey,
  deliveryKey,
  dutyKey,
  idempotencyKey,
  interactionKey,
  jobStateKey,
  turnKey,
  messageIndexKeys,
  messageKey,
  receptionKey,
  siteKey,
  staffKey,
  taskIndexKeys,
  taskKey,
} from './keys.ts';

/** A stored item: key attributes, the `type` tag, then the record's own fields. */
export type Item = Record<string, unknown>;

export const siteItem = (s: Site): Item => ({ ...siteKey(s.id), type: 'site', ...s });
export const staffItem = (s: Staff): Item => ({ ...staffKey(s.siteId, s.id), type: 'staff', ...s });
export const dutyItem = (d: Duty): Item => ({ ...dutyKey(d.siteId), type: 'duty', ...d });
export const claimItem = (c: Customer): Item => ({
  ...claimKey(c.phone, c.siteId),
  type: 'claim',
  siteId: c.siteId,
  phone: c.phone,
  customerId: c.id,
});
/**
 * Of two records at the same instant (a grant and an opt-out under a frozen test clock, or
 * two devices at once), the refusal sorts newer, so the newest-first read errs on no care text.
 */
export const consentItem = (c: ConsentRecord): Item => ({ ...consentKey(c.phone, c.at, `${c.granted ? 'g' : 'r'}${randomUUID()}`), type: 'consent', ...c });
export const customerItem = (c: Customer): Item => ({ ...customerKey(c.id), ...customerIndexKeys(c), type: 'customer', ...c });
export const receptionItem = (r: Reception): Item => ({ ...receptionKey(r.customerId, r.at, r.id), type: 'reception', ...r });
export const interactionItem = (i: Interaction): Item => ({
  ...interactionKey(i.customerId, i.at, i.id),
  type: 'interaction',
  ...i,
});
export const conflictItem = (c: Conflict): Item => ({ ...conflictKey(c.id), ...conflictIndexKeys(c), type: 'conflict', ...c });
export const taskItem = (t: Task): Item => ({ ...taskKey(t.id), ...taskIndexKeys(t), type: 'task', ...t });
export const deliveryItem = (d: Delivery): Item => ({ ...deliveryKey(d.customerId, d.id), type: 'delivery', ...d });
export const messageItem = (m: OutboxMessage): Item => ({ ...messageKey(m.id), ...messageIndexKeys(m), type: 'sms', ...m });
export const jobStateItem = (j: JobState): Item => ({ ...jobStateKey(j.job), type: 'job_state', ...j });
export const turnItem = (t: Turn): Item => ({ ...turnKey(t.siteId, t.rotation), type: 'turn', ...t });
export const complaintItem = (c: Complaint): Item => ({ ...complaintKey(c.id), ...complaintIndexKeys(c), type: 'complaint', ...c });
export const complaintNumberItem = (c: Complaint): Item => ({ ...complaintNumberKey(c.number), type: 'complaint_number', number: c.number, complaintId: c.id, siteId: c.siteId });
export const complaintEntryItem = (e: ComplaintEntry): Item => ({ ...complaintEntryKey(e.complaintId, e.at, e.id), type: 'complaint_entry', ...e });
export const complaintRefItem = (c: Complaint): Item => ({ ...complaintRefKey(c.customerId, c.createdAt, c.id), type: 'complaint_ref', complaintId: c.id, siteId: c.siteId });
export const idempotencyItem = (r: IdempotencyRecord): Item => ({ ...idempotencyKey(r.scope, r.key), type: 'idempotency', ...r });

/** Only customers with a birthday have one; the customer's record stays the truth of it. */
export const birthdayItem = (c: { id: string; siteId: string; birthday: string }): Item => ({
  ...birthdayKey(c.birthday, c.id),
  type: 'birthday',
  customerId: c.id,
  siteId: c.siteId,
});
export const campaignItem = (c: Campaign): Item => ({ ...campaignKey(c.id), type: 'campaign', ...c });
export const campaignDueItem = (c: Campaign): Item => ({ ...campaignDueKey(c.sendOn, c.id), type: 'campaign_due', campaignId: c.id, siteId: c.siteId });

/** The record back out of an item: the key attributes and the tag go, every field stays. */
export function toRecord<T>(item: Item): T {
  const record: Item = { ...item };
  for (const name of KEY_ATTRIBUTES) delete record[name];
  delete record.type;
  return record as T;
}

export function toRecordOrNull<T>(item: Item | undefined): T | null {
  return item ? toRecord<T>(item) : null;
}
