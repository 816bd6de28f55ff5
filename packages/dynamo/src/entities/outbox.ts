import { ConflictError, type OutboxMessage, type OutboxStore } from '@guanjia/core';
import { toRecord, type Item } from '../items.ts';
import { bySortable, customerPk, type IndexKeys, type Key } from '../key-parts.ts';
import { dueByQuery, onIndex, type KeyQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict, type GuardedPut } from '../transact.ts';

const messageKey = (id: string): Key => ({ PK: `SMS#${id}`, SK: 'SMS' });
const messagesOfCustomerPk = (customerId: string) => `${customerPk(customerId)}#SMS`;
const DEFERRED_MESSAGES_PK = 'SMS#deferred';
const QUEUED_MESSAGES_PK = 'SMS#queued';
/**
 * Only a waiting message sits in GSI2: a deferred one by the end of its quiet hours, a
 * queued one by when it was queued. So the outbox job reads exactly what is waiting, and
 * a message leaves the index as soon as the dispatcher claims it.
 */
const messageIndexKeys = (m: {
  id: string;
  customerId: string;
  createdAt: string;
  updatedAt: string;
  state: string;
  sendAfter: string | null;
}): Partial<IndexKeys> => ({
  GSI1PK: messagesOfCustomerPk(m.customerId),
  GSI1SK: bySortable(m.createdAt, m.id),
  ...(m.state === 'deferred' && m.sendAfter ? { GSI2PK: DEFERRED_MESSAGES_PK, GSI2SK: bySortable(m.sendAfter, m.id) } : {}),
  ...(m.state === 'queued' ? { GSI2PK: QUEUED_MESSAGES_PK, GSI2SK: bySortable(m.updatedAt, m.id) } : {}),
});

export const messageItem = (m: OutboxMessage): Item => ({ ...messageKey(m.id), ...messageIndexKeys(m), type: 'sms', ...m });

/** A message queued in the transaction of the fact that causes it. */
export const messagePut = (message: OutboxMessage): GuardedPut => putNew(messageItem(message), exists('message', message.id));

/** A message moved on under the version its writer read (a callback's announcement withdrawn as the callback closes). */
export const messageSave = (message: OutboxMessage, expectedVersion: number): GuardedPut =>
  putVersioned(messageItem(message), expectedVersion, versionConflict('message', message.id));

/** A customer's messages by creation, from an instant on. */
const createdSinceQuery = (customerId: string, createdFrom: string): KeyQuery => ({
  IndexName: 'GSI1',
  KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK >= :from',
  ExpressionAttributeValues: { ':pk': messagesOfCustomerPk(customerId), ':from': createdFrom },
  ScanIndexForward: true,
});

export function outboxStore(t: TableAccess): OutboxStore {
  const waiting = async (query: KeyQuery, limit: number) =>
    ((await t.queryOnce({ ...query, Limit: limit })).Items ?? []).map((item) => toRecord<OutboxMessage>(item as Item));
  return {
    async enqueueMessages(messages) {
      // Each on its own: a message queued before under the same deterministic id is not queued again.
      let queued = 0;
      for (const message of messages) {
        try {
          await t.write([messagePut(message)]);
          queued++;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
      return queued;
    },
    getMessage: (id) => t.get(messageKey(id), true),
    saveMessage: (message, expectedVersion) => t.write([messageSave(message, expectedVersion)]),
    listMessagesOfCustomer: (customerId, page) => t.page(onIndex('GSI1', messagesOfCustomerPk(customerId), { ascending: false }), page),
    listMessagesCreatedSince: (customerId, createdFrom) => t.all(createdSinceQuery(customerId, createdFrom)),
    listDeferredDue: (now, limit) => waiting(dueByQuery(DEFERRED_MESSAGES_PK, now), limit),
    listQueuedSince: (before, limit) => waiting(dueByQuery(QUEUED_MESSAGES_PK, before), limit),
  };
}
