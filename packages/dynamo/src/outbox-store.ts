import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsentRecord, OutboxMessage } from '@guanjia/core';
import { toRecord, type Item } from './items.ts';
import { queryAll } from './paging.ts';
import { careSentSinceQuery, deferredDueQuery, latestConsentQuery, queuedSinceQuery } from './queries.ts';

/** Reads of the outbox and of consent that the store's class hands on. */
export async function countCareSent(doc: DynamoDBDocumentClient, tableName: string, customerId: string, since: string): Promise<number> {
  return (await queryAll(doc, careSentSinceQuery(tableName, customerId, since))).length;
}

export async function listDeferredDue(doc: DynamoDBDocumentClient, tableName: string, now: string, limit: number): Promise<OutboxMessage[]> {
  const out = await doc.send(new QueryCommand({ ...deferredDueQuery(tableName, now), Limit: limit }));
  return (out.Items ?? []).map((item) => toRecord<OutboxMessage>(item as Item));
}

export async function listQueuedSince(doc: DynamoDBDocumentClient, tableName: string, before: string, limit: number): Promise<OutboxMessage[]> {
  const out = await doc.send(new QueryCommand({ ...queuedSinceQuery(tableName, before), Limit: limit }));
  return (out.Items ?? []).map((item) => toRecord<OutboxMessage>(item as Item));
}

export async function latestConsent(doc: DynamoDBDocumentClient, tableName: string, phone: string): Promise<ConsentRecord | null> {
  // Consent decides whether a care text may go, so it is read strongly consistent.
  const out = await doc.send(new QueryCommand({ ...latestConsentQuery(tableName, phone), ConsistentRead: true }));
  const item = out.Items?.[0];
  return item ? toRecord<ConsentRecord>(item as Item) : null;
}
