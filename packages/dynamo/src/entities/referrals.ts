import {
  REFERRAL_FIGURES,
  REGISTRATION_FIGURES,
  type Customer,
  type ReferralChange,
  type ReferralFigures,
  type RegistrationFigures,
  type ReportStore,
} from '@guanjia/core';
import { withZeros, type Item } from '../items.ts';
import { bySortable, customerPk, type Key } from '../key-parts.ts';
import { partitionQuery, type KeyQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { addTo, exists, putNew, type GuardedWrite } from '../transact.ts';
import { registrationsOfDayPk } from './counters.ts';

/**
 * A buyer a key person brought sits in the key person's partition, in the order they came:
 * the key person's referrals are one Query. The buyer's own item keeps no index slot for it,
 * as its three are spoken for (site, owner, loss request); the list reads each buyer after,
 * so their stage and owner are today's.
 */
const REFERRED_PREFIX = 'REFERRED#';
const referralKey = (keyPersonId: string, createdAt: string, customerId: string): Key => ({
  PK: customerPk(keyPersonId),
  SK: `${REFERRED_PREFIX}${bySortable(createdAt, customerId)}`,
});

export const referralItem = (c: Customer & { referredBy: string }): Item => ({
  ...referralKey(c.referredBy, c.createdAt, c.id),
  type: 'referral',
  keyPersonId: c.referredBy,
  customerId: c.id,
  siteId: c.siteId,
  at: c.createdAt,
});

export const referralsQuery = (keyPersonId: string): KeyQuery => partitionQuery(customerPk(keyPersonId), REFERRED_PREFIX, true);

/**
 * Referrals counted per key person beside the day's registrations, in the same partition
 * under a prefix of their own: the report reads both with the day's one Query, and the
 * rebuild each kind by its prefix.
 */
const REFERRER_PREFIX = 'REFERRER#';
export const referralFiguresKey = (r: { siteId: string; day: string; keyPersonId: string }): Key => ({
  PK: registrationsOfDayPk(r.siteId, r.day),
  SK: `${REFERRER_PREFIX}${r.keyPersonId}`,
});
export const referralLabels = (r: { siteId: string; day: string; keyPersonId: string }) => ({
  type: 'referral_figures',
  siteId: r.siteId,
  day: r.day,
  keyPersonId: r.keyPersonId,
});
export const referralFiguresItem = (r: ReferralFigures): Item => ({ ...referralFiguresKey(r), ...r, ...referralLabels(r) });

/** The writes a referred customer adds to its intake's transaction: its place under the key person, and the key person's count. */
export function referralWrites(customer: Customer, changes: ReferralChange[] | undefined): GuardedWrite[] {
  const { referredBy } = customer;
  const writes: GuardedWrite[] = referredBy ? [putNew(referralItem({ ...customer, referredBy }), exists('referral', customer.id))] : [];
  for (const r of changes ?? []) writes.push(addTo(referralFiguresKey(r), r.add, undefined, referralLabels(r)));
  return writes;
}

export function referralStore(t: TableAccess): Pick<ReportStore, 'listReferralFigures' | 'listRegistrationDay'> {
  return {
    async listRegistrationDay(siteId, day) {
      // The report reads the whole day's partition once: the staff's figures and the key persons' beside them.
      const items = await t.all<Item>({
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': registrationsOfDayPk(siteId, day) },
        ConsistentRead: true,
      });
      const referrals = items.filter((item) => item.keyPersonId !== undefined);
      const registrations = items.filter((item) => item.keyPersonId === undefined && item.staffId !== undefined);
      return {
        registrations: registrations.map((item) => withZeros(item as RegistrationFigures, REGISTRATION_FIGURES)),
        referrals: referrals.map((item) => withZeros(item as ReferralFigures, REFERRAL_FIGURES)),
      };
    },
    async listReferralFigures(siteId, day) {
      const items = await t.all<ReferralFigures>({ ...partitionQuery(registrationsOfDayPk(siteId, day), REFERRER_PREFIX, true), ConsistentRead: true });
      return items.map((item) => withZeros(item, REFERRAL_FIGURES));
    },
  };
}
