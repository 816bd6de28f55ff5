import { KEY_ATTRIBUTES } from './key-parts.ts';

/** A stored item: key attributes, the `type` tag, then the record's own fields. */
export type Item = Record<string, unknown>;

/** The record back out of an item: the key attributes and the tag go, every field stays. */
export function toRecord<T>(item: Item): T {
  const record: Item = { ...item };
  for (const name of KEY_ATTRIBUTES) delete record[name];
  delete record.type;
  return record as T;
}

/** A counter item with every named count: one that no write added to is absent, and reads as zero. */
export function withZeros<T extends Record<string, unknown>>(item: T, names: readonly string[]): T {
  const counts: Record<string, unknown> = { ...item };
  for (const name of names) counts[name] = Number(item[name] ?? 0);
  return counts as T;
}

export function toRecordOrNull<T>(item: Item | undefined): T | null {
  return item ? toRecord<T>(item) : null;
}
