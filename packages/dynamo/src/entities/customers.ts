import {
  ConflictError,
  NotFoundError,
  VersionConflictError,
  type Customer,
  type CustomerQuery,
  type CustomerStore,
  type FollowUpSwap,
  type Interaction,
  type Reception,
  type RebuildStore,
} from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, customerPk, sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import { onIndex, partitionQuery, type KeyQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict, type GuardedPut, type GuardedWrite } from '../transact.ts';
import { CLAIM_PREFIX, claimKey, claimPut, claimReindex, claimsOfPhonePk, customersOfTailPk } from './claims.ts';
import { birthdayMoveWrites, birthdayWrites } from './care.ts';
import { consentPut } from './consent.ts';
import { conflictPut } from './conflict-items.ts';
import { figureAdds, registrationAdds } from './counters.ts';
import { historyWrites } from './customer-history.ts';
import { referralsQuery, referralWrites } from './referrals.ts';
import { taskCloseUnread, taskPut, taskSave } from './tasks.ts';

export { claimItem, claimKey, claimTailKeys } from './claims.ts';

export const customerKey = (id: string): Key => ({ PK: customerPk(id), SK: 'CUST' });
const customersOfSitePk = (siteId: string) => `${sitePk(siteId)}#CUST`;
const customersOfOwnerPk = (siteId: string, ownerId: string) => `${sitePk(siteId)}#OWNER#${ownerId}`;
/**
 * A customer with a loss request waiting also sits in GSI3 under its site, oldest request
 * first, so that the managers' list of requests to decide is one Query; the item leaves the
 * index when the request is decided, as the whole item is written again without it.
 */
const lossRequestsOfSitePk = (siteId: string) => `${sitePk(siteId)}#LOSSREQ`;
/**
 * A customer with a designer also sits in GSI4 under that designer, the latest assigned
 * first, so that the designer's own list is one Query; a change of designer writes the whole
 * item again under the new one. GSI4, not GSI3: a waiting loss request holds GSI3.
 */
export const customersOfDesignerPk = (siteId: string, designerId: string) => `${sitePk(siteId)}#DESIGNER#${designerId}#CUST`;
export const designerListKeys = (c: Pick<Customer, 'id' | 'siteId' | 'createdAt' | 'designerId' | 'designerDecision'>): Partial<IndexKeys> =>
  c.designerId ? { GSI4PK: customersOfDesignerPk(c.siteId, c.designerId), GSI4SK: bySortable(c.designerDecision?.at ?? c.createdAt, c.id) } : {};
const customerIndexKeys = (
  c: Pick<Customer, 'id' | 'siteId' | 'ownerId' | 'createdAt' | 'lossRequest' | 'designerId' | 'designerDecision'>,
): Partial<IndexKeys> => ({
  GSI1PK: customersOfSitePk(c.siteId),
  GSI1SK: bySortable(c.createdAt, c.id),
  GSI2PK: customersOfOwnerPk(c.siteId, c.ownerId),
  GSI2SK: bySortable(c.createdAt, c.id),
  ...(c.lossRequest ? { GSI3PK: lossRequestsOfSitePk(c.siteId), GSI3SK: bySortable(c.lossRequest.requestedAt, c.id) } : {}),
  ...designerListKeys(c),
});

export const customerItem = (c: Customer): Item => ({ ...customerKey(c.id), ...customerIndexKeys(c), type: 'customer', ...c });

/** The customer saved in the transaction of a fact that changes it, under the version its writer read. */
export const customerSave = (customer: Customer, expectedVersion: number): GuardedPut =>
  putVersioned(customerItem(customer), expectedVersion, versionConflict('customer', customer.id));

function customersQuery(q: CustomerQuery): KeyQuery {
  const filters = { intentLevel: q.intentLevel, leadType: q.leadType, stage: q.stage };
  if (q.lossRequested)
    return onIndex('GSI3', lossRequestsOfSitePk(q.siteId), { ascending: true, filters: { ...filters, ownerId: q.ownerId, designerId: q.designerId } });
  if (q.designerId !== undefined)
    return onIndex('GSI4', customersOfDesignerPk(q.siteId, q.designerId), { ascending: false, filters: { ...filters, ownerId: q.ownerId } });
  return q.ownerId !== undefined
    ? onIndex('GSI2', customersOfOwnerPk(q.siteId, q.ownerId), { ascending: false, filters })
    : onIndex('GSI1', customersOfSitePk(q.siteId), { ascending: false, filters });
}

/** A customer's receptions and contacts sit in the customer's partition, in the order they happened. */
const RECEPTION_PREFIX = 'RCP#';
const receptionsOfCustomerPk = customerPk;
const receptionKey = (customerId: string, at: string, id: string): Key => ({ PK: customerPk(customerId), SK: `${RECEPTION_PREFIX}${bySortable(at, id)}` });

const INTERACTION_PREFIX = 'INT#';
const interactionsOfCustomerPk = customerPk;
const interactionKey = (customerId: string, at: string, id: string): Key => ({ PK: customerPk(customerId), SK: `${INTERACTION_PREFIX}${bySortable(at, id)}` });

export const receptionItem = (r: Reception): Item => ({ ...receptionKey(r.customerId, r.at, r.id), type: 'reception', ...r });
export const interactionItem = (i: Interaction): Item => ({ ...interactionKey(i.customerId, i.at, i.id), type: 'interaction', ...i });

const receptionPut = (reception: Reception): GuardedPut => putNew(receptionItem(reception), exists('reception', reception.id));

/**
 * An interaction, and with it the follow-up swap when there is one. It adds to the customer
 * without taking its version, so two contacts at once both land: the customer's pointer
 * moves only while it still names the follow-up the contact saw, and only the pointer, the
 * intent level and the dates are written, so an edit of the customer made meanwhile stays.
 * The version still moves, so that a read-modify-write of the whole customer notices.
 */
function interactionWrites(
  interaction: Interaction,
  swap: FollowUpSwap | null,
  was?: Pick<Customer, 'intentLevel' | 'leadType' | 'ownerId' | 'stage'>,
): GuardedWrite[] {
  const writes: GuardedWrite[] = [
    putNew(interactionItem(interaction), () => new ConflictError(`interaction ${interaction.id} exists already`, { id: interaction.id })),
  ];
  if (!swap) return writes;
  const moved = () =>
    new VersionConflictError(`the follow-up of customer ${interaction.customerId} was changed by someone else`, { id: interaction.customerId });
  if (swap.close) writes.push({ ...taskSave(swap.close), onConditionFailed: moved });
  if (swap.closeUnread) writes.push({ ...taskCloseUnread(swap.closeUnread), onConditionFailed: moved });
  if (swap.open) writes.push(taskPut(swap.open));
  const names: Record<string, string> = { '#open': 'openFollowUpId', '#at': 'updatedAt', '#version': 'version' };
  const values: Record<string, unknown> = { ':to': swap.to, ':at': swap.at, ':one': 1 };
  let set = '#open = :to, #at = :at, #version = #version + :one';
  if (swap.toDueAt !== undefined) {
    set += ', #openDue = :toDue';
    names['#openDue'] = 'openFollowUpDueAt';
    values[':toDue'] = swap.toDueAt;
  }
  if (swap.intentLevel !== undefined) {
    set += ', #level = :level';
    names['#level'] = 'intentLevel';
    values[':level'] = swap.intentLevel;
  }
  if (swap.leadType !== undefined) {
    set += ', #type = :type';
    names['#type'] = 'leadType';
    values[':type'] = swap.leadType;
  }
  let condition: string;
  if (swap.from === null) {
    condition = 'attribute_exists(PK) AND (attribute_not_exists(#open) OR attribute_type(#open, :null))';
    values[':null'] = 'NULL';
  } else {
    condition = '#open = :from';
    values[':from'] = swap.from;
  }
  if (was) {
    // The lead figures of the fact count from these: they must still hold when it lands.
    Object.assign(names, { '#owner': 'ownerId', '#stage': 'stage', '#wasLevel': 'intentLevel', '#wasType': 'leadType' });
    Object.assign(values, { ':wasOwner': was.ownerId, ':wasStage': was.stage, ':wasLevel': was.intentLevel ?? 'NULL', ':wasType': was.leadType });
    condition = `(${condition}) AND #owner = :wasOwner AND #stage = :wasStage AND #wasType = :wasType AND ${was.intentLevel === null ? 'attribute_type(#wasLevel, :wasLevel)' : '#wasLevel = :wasLevel'}`;
  }
  writes.push({
    Update: {
      Key: customerKey(interaction.customerId),
      UpdateExpression: `SET ${set}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
    onConditionFailed: moved,
  });
  return writes;
}

export function customerStore(t: TableAccess): CustomerStore & Pick<RebuildStore, 'firstCustomerCreatedAt'> {
  return {
    findCustomerIdByPhone: (siteId, phone) => t.pointer(claimKey(phone, siteId), 'customerId'),
    async customerIdsByPhone(phone) {
      const claims = await t.all<{ customerId: string }>(partitionQuery(claimsOfPhonePk(phone), CLAIM_PREFIX, true));
      return claims.map((c) => c.customerId);
    },
    async pageCustomerIdsByPhone(phone, page) {
      const claims = await t.page<{ customerId: string }>(partitionQuery(claimsOfPhonePk(phone), CLAIM_PREFIX, true), page);
      return { items: claims.items.map((c) => c.customerId), next: claims.next };
    },
    createCustomer: ({ customer, reception, task, milestones = [], consent, figures, registrations, referrals, history }) =>
      t.write([
        claimPut(customer),
        putNew(customerItem(customer), exists('customer', customer.id)),
        ...(reception ? [receptionPut(reception)] : []),
        ...(task ? [taskPut(task)] : []),
        ...milestones.map((m) => taskPut(m)),
        ...(consent ? [consentPut(consent)] : []),
        ...birthdayWrites(customer),
        ...figureAdds(figures),
        ...registrationAdds(registrations),
        ...referralWrites(customer, referrals),
        ...historyWrites(history),
      ]),
    getCustomer: (id) => t.get(customerKey(id), true),
    async firstCustomerCreatedAt(siteId) {
      const query = onIndex('GSI1', customersOfSitePk(siteId), { ascending: true });
      const out = await t.queryOnce({
        ...query,
        Limit: 1,
        ProjectionExpression: '#createdAt',
        ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#createdAt': 'createdAt' },
      });
      const createdAt = out.Items?.[0]?.createdAt;
      return typeof createdAt === 'string' ? createdAt : null;
    },
    listCustomers: (query, page) => t.page(customersQuery(query), page),
    listLossRequestsBefore: (siteId, requestedBefore) =>
      t.all<Customer>(onIndex('GSI3', lossRequestsOfSitePk(siteId), { ascending: true, sortBefore: requestedBefore })),
    async listCustomersByPhoneTail(siteId, tail, page) {
      const claims = await t.page<{ customerId: string }>(onIndex('GSI1', customersOfTailPk(siteId, tail), { ascending: false }), page);
      const customers = await Promise.all(claims.items.map((claim) => t.get<Customer>(customerKey(claim.customerId), false)));
      return { items: customers.filter((c): c is Customer => c !== null), next: claims.next };
    },
    async indexPhoneTail(customer) {
      try {
        await t.write([claimReindex(customer)]);
        return true;
      } catch (error) {
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    },
    updateCustomer(fact) {
      const { customer, closeTask, openTask, consent, history, retold = [], tasks } = fact;
      const writes: GuardedWrite[] = [customerSave(customer, fact.expectedVersion)];
      if (closeTask) writes.push(taskSave(closeTask));
      writes.push(...retold.map(taskSave));
      if (openTask) writes.push(taskPut(openTask));
      if (tasks) writes.push(...tasks.open.map((m) => taskPut(m)), ...tasks.save.map(taskSave));
      if (consent) writes.push(consentPut(consent));
      writes.push(...birthdayMoveWrites(customer, fact.previousBirthday), ...historyWrites(history));
      return t.write(writes);
    },
    recordReception: ({ reception, conflict, figures, registrations }) =>
      t.write([receptionPut(reception), ...(conflict ? [conflictPut(conflict)] : []), ...figureAdds(figures), ...registrationAdds(registrations)]),
    async listReferredCustomers(keyPersonId, page) {
      const referrals = await t.page<{ customerId: string }>(referralsQuery(keyPersonId), page);
      const customers = await Promise.all(referrals.items.map((r) => t.get<Customer>(customerKey(r.customerId), false)));
      return { items: customers.filter((c): c is Customer => c !== null), next: referrals.next };
    },
    listReceptions: (customerId, page) => t.page(partitionQuery(receptionsOfCustomerPk(customerId), RECEPTION_PREFIX, false), page),
    recordInteraction: ({ interaction, swap, figures, history, customerWas }) =>
      t.write([...interactionWrites(interaction, swap, customerWas), ...figureAdds(figures), ...historyWrites(history)]),
    listInteractions: (customerId, page) => t.page(partitionQuery(interactionsOfCustomerPk(customerId), INTERACTION_PREFIX, false), page),
  };
}
