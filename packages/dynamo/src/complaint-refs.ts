import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Complaint, Page, PageRequest } from '@guanjia/core';
import { toRecordOrNull, type Item } from './items.ts';
import { COMPLAINT_REF_PREFIX, complaintKey, complaintRefsOfCustomerPk } from './keys.ts';
import type { QueryInput } from './paging.ts';
import { partitionQuery } from './queries.ts';

/** A customer's complaint refs, newest first, from `before` (a ref's sort key, itself included) down. */
function complaintRefsQuery(tableName: string, customerId: string, before: string | undefined): QueryInput {
  if (before === undefined) return partitionQuery(tableName, complaintRefsOfCustomerPk(customerId), COMPLAINT_REF_PREFIX, false);
  return {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :before',
    ExpressionAttributeValues: { ':pk': complaintRefsOfCustomerPk(customerId), ':from': COMPLAINT_REF_PREFIX, ':before': before },
    ScanIndexForward: false,
  };
}

/**
 * The complaints of several customers (an owner's records at each site) as one list, newest
 * first. Each partition gives at most a page and one more (the previous page's last ref, which
 * BETWEEN includes), so the newest `limit` of their union are among what was read; the position
 * is the last ref's sort key, which means the same thing in every partition.
 */
export async function listComplaintsOfCustomers(doc: DynamoDBDocumentClient, tableName: string, customerIds: string[], page: PageRequest): Promise<Page<Complaint>> {
  const limit = Math.max(1, Math.floor(page.limit));
  const before = page.after?.before;
  const outs = await Promise.all(customerIds.map((id) => doc.send(new QueryCommand({ ...complaintRefsQuery(tableName, id, before), Limit: limit + 1, ConsistentRead: true }))));
  const refs = outs
    .flatMap((out) => (out.Items ?? []) as { SK: string; complaintId: string }[])
    .filter((ref) => ref.SK !== before)
    .sort((a, b) => (a.SK < b.SK ? 1 : -1));
  const taken = refs.slice(0, limit);
  const more = refs.length > limit || outs.some((out) => out.LastEvaluatedKey !== undefined);
  const complaints = await Promise.all(
    taken.map(async (ref) => toRecordOrNull<Complaint>((await doc.send(new GetCommand({ TableName: tableName, Key: complaintKey(ref.complaintId), ConsistentRead: true }))).Item as Item | undefined)),
  );
  const last = taken.at(-1);
  return { items: complaints.filter((c): c is Complaint => c !== null), next: more && last ? { before: last.SK } : null };
}
