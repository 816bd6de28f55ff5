import type { Campaign, CareStore, Customer } from '@guanjia/core';
import type { Item } from '../items.ts';
import { customerPk, type Key } from '../key-parts.ts';
import { partitionQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, type GuardedWrite } from '../transact.ts';

/**
 * A customer with a birthday sits in the partition of that day of the year, written and
 * moved with the customer, so the care job reads one day's birthdays without a Scan.
 */
const birthdaysPk = (mmdd: string) => `BIRTHDAY#${mmdd}`;
const birthdayKey = (mmdd: string, customerId: string): Key => ({ PK: birthdaysPk(mmdd), SK: customerPk(customerId) });
const BIRTHDAY_CUSTOMER_PREFIX = customerPk('');

const campaignKey = (id: string): Key => ({ PK: `CAMPAIGN#${id}`, SK: 'CAMPAIGN' });
/** The campaigns of one send day, which is all the care job asks of them. */
const campaignsDuePk = (sendOn: string) => `CAMPAIGNS#${sendOn}`;
const CAMPAIGN_DUE_PREFIX = 'CAMPAIGN#';
const campaignDueKey = (sendOn: string, id: string): Key => ({ PK: campaignsDuePk(sendOn), SK: `${CAMPAIGN_DUE_PREFIX}${id}` });

/** Only customers with a birthday have one; the customer's record stays the truth of it. */
export const birthdayItem = (c: { id: string; siteId: string; birthday: string }): Item => ({
  ...birthdayKey(c.birthday, c.id),
  type: 'birthday',
  customerId: c.id,
  siteId: c.siteId,
});
export const campaignItem = (c: Campaign): Item => ({ ...campaignKey(c.id), type: 'campaign', ...c });
export const campaignDueItem = (c: Campaign): Item => ({ ...campaignDueKey(c.sendOn, c.id), type: 'campaign_due', campaignId: c.id, siteId: c.siteId });

/** The birthday entry of a new customer, if it has a birthday. */
export function birthdayWrites(customer: Customer): GuardedWrite[] {
  return customer.birthday ? [{ Item: birthdayItem({ ...customer, birthday: customer.birthday }) }] : [];
}

/**
 * The birthday entry moved with a change of the customer. The customer's version check in
 * the same transaction makes `previous` the stored birthday, so the old entry is the one to go.
 */
export function birthdayMoveWrites(customer: Customer, previous: string | null | undefined): GuardedWrite[] {
  if (previous === undefined || previous === customer.birthday) return [];
  return [...(previous ? [{ Delete: birthdayKey(previous, customer.id) }] : []), ...birthdayWrites(customer)];
}

export function careStore(t: TableAccess): CareStore {
  const getCampaign = (id: string) => t.get<Campaign>(campaignKey(id), true);
  return {
    async listBirthdayCustomers(mmdd) {
      const entries = await t.all<{ customerId: string }>(partitionQuery(birthdaysPk(mmdd), BIRTHDAY_CUSTOMER_PREFIX, true));
      return entries.map((e) => e.customerId);
    },
    createCampaign: (campaign) =>
      t.write([putNew(campaignItem(campaign), exists('campaign', campaign.id)), putNew(campaignDueItem(campaign), exists('campaign', campaign.id))]),
    // A day holds a handful of campaigns, so one GetItem each after the Query is cheap.
    async listCampaignsDue(day) {
      const entries = await t.all<{ campaignId: string }>(partitionQuery(campaignsDuePk(day), CAMPAIGN_DUE_PREFIX, true));
      const campaigns = await Promise.all(entries.map((e) => getCampaign(e.campaignId)));
      return campaigns.filter((c): c is Campaign => c !== null);
    },
  };
}
