import { NotFoundError, PhoneTakenError, phoneTail, type Customer, type PhoneHolder } from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, phonePk, sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import type { TableAccess } from '../table-access.ts';
import type { GuardedPut, GuardedUpdate, GuardedWrite } from '../transact.ts';

/** The claim that keeps a phone to one customer per site; the phone's partition lists every site's. */
export const CLAIM_PREFIX = 'CLAIM#';
export const claimsOfPhonePk = phonePk;
export const claimKey = (phone: string, siteId: string): Key => ({ PK: phonePk(phone), SK: `${CLAIM_PREFIX}${siteId}` });

/**
 * The claim also lists the customer under the last 4 digits of the phone (尾号) on GSI1: the
 * customer item's two index slots are taken, and the claim is the item a phone is looked up by.
 */
export const customersOfTailPk = (siteId: string, tail: string) => `${sitePk(siteId)}#TAIL#${tail}`;
export const claimTailKeys = (siteId: string, tail: string, createdAt: string, customerId: string): Pick<IndexKeys, 'GSI1PK' | 'GSI1SK'> => ({
  GSI1PK: customersOfTailPk(siteId, tail),
  GSI1SK: bySortable(createdAt, customerId),
});

/**
 * The claim carries the customer's owner, so that a second intake of the phone learns whom
 * it belongs to from the refused claim itself, without reading the customer. Every change of
 * owner writes it in the same transaction as the customer (`claimOwnerMove`).
 */
export const claimItem = (c: Customer): Item => ({
  ...claimKey(c.phone, c.siteId),
  ...claimTailKeys(c.siteId, phoneTail(c.phone), c.createdAt, c.id),
  type: 'claim',
  siteId: c.siteId,
  phone: c.phone,
  customerId: c.id,
  ownerId: c.ownerId,
});

/** Who holds the phone, as a claim item says; a claim written before claims carried the owner names none. */
export function holderOf(claim: Item | undefined): PhoneHolder | undefined {
  if (typeof claim?.customerId !== 'string') return undefined;
  return typeof claim.ownerId === 'string' ? { customerId: claim.customerId, ownerId: claim.ownerId } : { customerId: claim.customerId };
}

/** A new customer's claim: refused when the phone is claimed at the site, handing back who holds it. */
export const claimPut = (c: Customer): GuardedPut => ({
  Item: claimItem(c),
  ConditionExpression: 'attribute_not_exists(PK)',
  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  onConditionFailed: (stored) => new PhoneTakenError(c.siteId, c.phone, holderOf(stored)),
});

/**
 * The claim written again with its tail and its owner, only while it still names the customer
 * and names no other owner: the customer comes from a list (an index, eventually consistent),
 * and must not put back an owner a settled conflict has just moved.
 */
export const claimReindex = (c: Customer): GuardedPut => ({
  Item: claimItem(c),
  ConditionExpression: '#customer = :customer AND (attribute_not_exists(#owner) OR #owner = :owner)',
  ExpressionAttributeNames: { '#customer': 'customerId', '#owner': 'ownerId' },
  ExpressionAttributeValues: { ':customer': c.id, ':owner': c.ownerId },
  onConditionFailed: () => new NotFoundError(`no claim of customer ${c.id} on its phone`),
});

/** The claim of the phone names another customer, or none: nothing of it is this customer's to move. */
class ClaimNotTheCustomers extends Error {}

/** The claim's copy of the owner, moved with the customer (a settled conflict, a leaver's hand-over). */
const claimOwnerMove = (c: Customer): GuardedUpdate => ({
  Update: {
    Key: claimKey(c.phone, c.siteId),
    UpdateExpression: 'SET #owner = :owner',
    ConditionExpression: '#customer = :customer',
    ExpressionAttributeNames: { '#owner': 'ownerId', '#customer': 'customerId' },
    ExpressionAttributeValues: { ':owner': c.ownerId, ':customer': c.id },
  },
  onConditionFailed: () => new ClaimNotTheCustomers(),
});

/**
 * Writes a change of the customer's owner with the claim's copy moved in the same transaction.
 * A claim that does not name the customer (records from before claims were checked, which the
 * phone-tail backfill reports as skipped) carries no copy of this owner: the change is written
 * without it rather than blocked for good, as a hand-over that meets it first on every run would be.
 */
export async function writeOwnerMove(t: Pick<TableAccess, 'write'>, customer: Customer, writes: GuardedWrite[]): Promise<void> {
  try {
    await t.write([...writes, claimOwnerMove(customer)]);
  } catch (error) {
    if (!(error instanceof ClaimNotTheCustomers)) throw error;
    await t.write(writes);
  }
}
