import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '@guanjia/core';
import { toRecordOrNull, type Item } from './items.ts';
import type { Key } from './key-parts.ts';
import { queryAll, queryPage } from './paging.ts';
import type { KeyQuery } from './queries.ts';
import { writeAtomically, type GuardedWrite } from './transact.ts';

/** The one table as the entity modules use it: a client and a table name, and the ways they touch it. */
export class TableAccess {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async get<T>(key: Key, consistent: boolean): Promise<T | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }));
    return toRecordOrNull<T>(out.Item as Item | undefined);
  }

  /** One attribute of an item that points at another record (a claim naming its customer). */
  async pointer(key: Key, attribute: string): Promise<string | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const value = out.Item?.[attribute];
    return typeof value === 'string' ? value : null;
  }

  /**
   * Reads a key nothing writes: any answer proves the table is there. Eventually consistent,
   * for half the read cost.
   */
  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: 'HEALTH', SK: 'HEALTH' }, ProjectionExpression: 'PK' }));
  }

  write(writes: GuardedWrite[]): Promise<void> {
    return writeAtomically(this.doc, this.tableName, writes);
  }

  page<T>(input: KeyQuery, page: PageRequest): Promise<Page<T>> {
    return queryPage(this.doc, { ...input, TableName: this.tableName }, page);
  }

  all<T>(input: KeyQuery): Promise<T[]> {
    return queryAll(this.doc, { ...input, TableName: this.tableName });
  }

  /** How many items a Query matches: DynamoDB counts them and hands none back. */
  async count(input: KeyQuery): Promise<number> {
    let count = 0;
    let position: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, Select: 'COUNT', ExclusiveStartKey: position }));
      count += out.Count ?? 0;
      position = out.LastEvaluatedKey;
    } while (position);
    return count;
  }

  /** A single Query request, for reads that set their own `Limit` or consistency. */
  queryOnce(input: KeyQuery & { Limit?: number; ConsistentRead?: boolean }): Promise<QueryCommandOutput> {
    return this.doc.send(new QueryCommand({ ...input, TableName: this.tableName }));
  }
}
