import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStore } from '@guanjia/api';
import type { Store } from '@guanjia/core';
import { careStore } from './entities/care.ts';
import { complaintStore } from './entities/complaints.ts';
import { conflictStore } from './entities/conflicts.ts';
import { consentStore } from './entities/consent.ts';
import { counterRepairStore } from './entities/counter-repair.ts';
import { counterStore } from './entities/counters.ts';
import { customerHistoryStore } from './entities/customer-history.ts';
import { customerStore } from './entities/customers.ts';
import { deliveryStore } from './entities/deliveries.ts';
import { designerStore } from './entities/designers.ts';
import { handoverStore } from './entities/handovers.ts';
import { idempotencyStore } from './entities/idempotency.ts';
import { importStore } from './entities/imports.ts';
import { jobStateStore } from './entities/job-state.ts';
import { outboxStore } from './entities/outbox.ts';
import { referralStore } from './entities/referrals.ts';
import { siteStore } from './entities/sites.ts';
import { taskStore } from './entities/tasks.ts';
import { TableAccess } from './table-access.ts';

function entityStores(t: TableAccess): Store & IdempotencyStore {
  return {
    ...siteStore(t),
    ...customerStore(t),
    ...taskStore(t),
    ...deliveryStore(t),
    ...conflictStore(t),
    ...complaintStore(t),
    ...outboxStore(t),
    ...consentStore(t),
    ...careStore(t),
    ...jobStateStore(t),
    ...counterStore(t),
    ...counterRepairStore(t),
    ...customerHistoryStore(t),
    ...referralStore(t),
    ...idempotencyStore(t),
    ...importStore(t),
    ...designerStore(t),
    ...handoverStore(t),
    ping: () => t.ping(),
  };
}

// The class's members are the entity stores' methods, put on each instance by the constructor.
export interface DynamoStore extends Store, IdempotencyStore {}

/**
 * The ports of the use cases and of the API's idempotency on the one table: each entity
 * module in `entities/` holds its keys, items, queries and writes. No Scan: every read is a
 * GetItem or a Query on a named index.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface declares what the constructor assigns from the entity stores
export class DynamoStore {
  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    Object.assign(this, entityStores(new TableAccess(doc, tableName)));
  }
}
