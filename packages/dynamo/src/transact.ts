import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, VersionConflictError } from '@guanjia/core';
import type { Item } from './items.ts';
import type { Key } from './key-parts.ts';

/** One conditional Put of a write, and the error its failed condition means. */
export interface GuardedPut {
  Item: Item;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  /** `ALL_OLD`: a failed condition hands the stored item to `onConditionFailed`, saving the read of it. */
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD';
  onConditionFailed?: (stored?: Item) => Error;
}

/** An index entry that leaves with the record it points at (a birthday moved); gone already is fine. */
export interface Removal {
  Delete: Key;
}

/** A condition on an item the write does not change (the complaint a note is added to). */
export interface GuardedCheck {
  ConditionCheck: {
    Key: Key;
    ConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  onConditionFailed: () => Error;
}

/** A change of some attributes only, leaving the rest of the item as another writer left it. */
export interface GuardedUpdate {
  Update: {
    Key: Key;
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
  onConditionFailed?: () => Error;
  /** Adds to a number (`addTo`): applied twice, it counts twice, so its transaction carries a request token. */
  increments?: true;
}

export type GuardedWrite = GuardedPut | Removal | GuardedCheck | GuardedUpdate;

const isRemoval = (write: GuardedWrite): write is Removal => 'Delete' in write;
const isPut = (write: GuardedWrite): write is GuardedPut => 'Item' in write;

/** The item must not exist yet. */
export function putNew(item: Item, onConditionFailed: () => Error): GuardedPut {
  return { Item: item, ConditionExpression: 'attribute_not_exists(PK)', onConditionFailed };
}

/** The stored item must still carry `expectedVersion`; a missing item fails too. */
export function putVersioned(item: Item, expectedVersion: number, onConditionFailed: () => Error): GuardedPut {
  return {
    Item: item,
    ConditionExpression: '#version = :expectedVersion',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
    onConditionFailed,
  };
}

/** The condition an update lands under (the counted record still open, say), and what its failure means. */
export interface UpdateGuard {
  ConditionExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  onConditionFailed: () => Error;
}

/**
 * Adds to numeric attributes of an item, each starting from zero when missing. ADD is not
 * idempotent, so the increment travels with the item of the fact it counts: that item's id
 * makes the transaction, and so its request token, one of a kind, and a retry of it counts once.
 * The same holds for a lone increment, which therefore still goes as a transaction.
 */
export function addTo(key: Key, amounts: Record<string, number>, guard?: UpdateGuard, labels: Record<string, string> = {}): GuardedUpdate {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = Object.entries(amounts).map(([attribute, amount], i) => {
    names[`#add${i}`] = attribute;
    values[`:add${i}`] = amount;
    return `#add${i} :add${i}`;
  });
  // Labels (the item's type, what it counts for) are the same on every write, so setting them again is harmless.
  const sets = Object.entries(labels).map(([attribute, value], i) => {
    names[`#set${i}`] = attribute;
    values[`:set${i}`] = value;
    return `#set${i} = :set${i}`;
  });
  const { onConditionFailed, ...condition }: Partial<UpdateGuard> = guard ?? {};
  return {
    Update: {
      Key: key,
      UpdateExpression: `ADD ${adds.join(', ')}${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`,
      ...condition,
      ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, ...names },
      ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ...values },
    },
    ...(onConditionFailed ? { onConditionFailed } : {}),
    increments: true,
  };
}

/** What a failed `putNew` means: the record is there already. */
export const exists = (what: string, id: string) => () => new ConflictError(`${what} ${id} exists already`, { id });

/** What a failed `putVersioned` means: someone wrote the record since the caller read it. */
export const versionConflict = (what: string, id: string) => () => new VersionConflictError(`${what} ${id} was changed by someone else`, { id });

/** A record that must not exist yet, or that must still carry the version its writer read (`null`: none yet). */
export function putNewOrVersioned(item: Item, expectedVersion: number | null, onConditionFailed: () => Error): GuardedPut {
  return expectedVersion === null ? putNew(item, onConditionFailed) : putVersioned(item, expectedVersion, onConditionFailed);
}

const MAX_TRIES = 8;

/**
 * Writes all puts as one atomic operation: a single conditional Put when there is one, a
 * transaction otherwise. A transaction that collided with another one on the same item has
 * done nothing, so it is tried again after a jittered pause; a failed condition is final
 * and becomes the error its put names.
 */
export async function writeAtomically(doc: DynamoDBDocumentClient, tableName: string, puts: GuardedWrite[]): Promise<void> {
  await retryTransactionConflicts(async () => {
    try {
      const [only] = puts;
      if (puts.length === 1 && only && isRemoval(only)) await doc.send(new DeleteCommand({ TableName: tableName, Key: only.Delete }));
      else if (puts.length === 1 && only && isPut(only)) await doc.send(new PutCommand({ TableName: tableName, ...request(only) }));
      else {
        const items = puts.map((p) => transactItem(tableName, p));
        const token = puts.some((p) => 'increments' in p && p.increments) ? { ClientRequestToken: requestToken(items) } : {};
        await doc.send(new TransactWriteCommand({ TransactItems: items, ...token }));
      }
    } catch (error) {
      throw conditionError(error, puts) ?? error;
    }
  });
}

/**
 * The request token of a transaction that increments: a digest of exactly what it writes. A
 * retry of it, by the SDK, by the loop above or by a whole Lambda invocation run again, sends
 * the same token, and DynamoDB applies it once; any other write differs in some item, and so
 * in its token, as DynamoDB requires of two requests within its ten-minute window.
 *
 * Other transactions do without: each of their items is conditioned, so a second application
 * fails by itself, and two overlapping job runs that write the very same fact must still see
 * the second refused (the callbacks job counts what it announced by that). The SDK already
 * gives each request a token of its own for its own retries.
 */
export function requestToken(items: unknown[]): string {
  return createHash('sha256').update(canonicalJson(items)).digest('base64url').slice(0, 36);
}

/** JSON with object keys in order, so that the same write always reads the same. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

function request({ onConditionFailed: _, ...put }: GuardedPut) {
  return put;
}

function transactItem(tableName: string, write: GuardedWrite) {
  if (isRemoval(write)) return { Delete: { TableName: tableName, Key: write.Delete } };
  if (isPut(write)) return { Put: { TableName: tableName, ...request(write) } };
  if ('ConditionCheck' in write) return { ConditionCheck: { TableName: tableName, ...write.ConditionCheck } };
  return { Update: { TableName: tableName, ...write.Update } };
}

function onFailure(write: GuardedWrite | undefined, stored: unknown): Error | undefined {
  if (!write || isRemoval(write)) return undefined;
  // The SDK hands back the stored item in DynamoDB's own encoding: the document client converts outputs only.
  const item = stored && typeof stored === 'object' ? (unmarshall(stored as Parameters<typeof unmarshall>[0]) as Item) : undefined;
  return isPut(write) ? write.onConditionFailed?.(item) : write.onConditionFailed?.();
}

function conditionError(error: unknown, puts: GuardedWrite[]): Error | undefined {
  const name = errorName(error);
  if (name === 'ConditionalCheckFailedException') return onFailure(puts[0], (error as { Item?: unknown }).Item);
  if (name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string; Item?: unknown }[] }).CancellationReasons ?? [];
  const index = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
  return index >= 0 ? onFailure(puts[index], reasons[index]?.Item) : undefined;
}

export async function retryTransactionConflicts<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= MAX_TRIES || !isTransactionConflict(error)) throw error;
      await new Promise((wake) => setTimeout(wake, Math.random() * Math.min(250, 10 * 2 ** attempt)));
    }
  }
}

function isTransactionConflict(error: unknown): boolean {
  const name = errorName(error);
  // A plain write to an item that a running transaction holds.
  if (name === 'TransactionConflictException') return true;
  return name === 'TransactionCanceledException' && cancellationCodes(error).includes('TransactionConflict');
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

function cancellationCodes(error: unknown): (string | undefined)[] {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((r) => r.Code);
}
