export { createDocumentClient, type ClientOptions } from './client.ts';
export { ensureTable } from './ensure-table.ts';
export { createTableInput, tableDefinition, type IndexName } from './table.ts';
export { DynamoStore } from './store.ts';
export { claimKey, customerKey } from './entities/customers.ts';
export * from './outbox-stream.ts';
export * from './outbox-dispatch.ts';
export { BACKFILLS, isBackfillName, type BackfillName } from './backfills.ts';
export * from './import-stream.ts';
