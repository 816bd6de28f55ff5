import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page, PagePosition, PageRequest } from '@guanjia/core';
import { toRecord, type Item } from './items.ts';

export type QueryInput = Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>;

/**
 * One page of a Query. `Limit` caps the items DynamoDB reads, before any filter, so a
 * filtered Query returns short pages; this keeps querying with `Limit` = what is still
 * missing until the page is full or the index runs out. It never overshoots, so the last
 * LastEvaluatedKey is exactly where the next page starts.
 */
export async function queryPage<T>(doc: DynamoDBDocumentClient, input: QueryInput, page: PageRequest): Promise<Page<T>> {
  const limit = Math.max(1, Math.floor(page.limit));
  const items: T[] = [];
  let position: PagePosition | undefined = page.after;
  do {
    const out = await doc.send(new QueryCommand({ ...input, Limit: limit - items.length, ExclusiveStartKey: position }));
    for (const item of out.Items ?? []) items.push(toRecord<T>(item as Item));
    // Every key attribute of the table is a string, so the position is too.
    position = out.LastEvaluatedKey as PagePosition | undefined;
  } while (items.length < limit && position);
  return { items, next: position ?? null };
}

/** Every item of a Query, for collections that stay small (the staff of a site, a customer's open conflicts). */
export async function queryAll<T>(doc: DynamoDBDocumentClient, input: QueryInput): Promise<T[]> {
  const items: T[] = [];
  let position: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: position }));
    for (const item of out.Items ?? []) items.push(toRecord<T>(item as Item));
    position = out.LastEvaluatedKey;
  } while (position);
  return items;
}
