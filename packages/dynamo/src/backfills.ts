import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillDesignerLists } from './designer-list-backfill.ts';
import { indexUnansweredBySite } from './entities/complaints.ts';
import { indexUnannouncedBySite } from './entities/tasks.ts';
import { TableAccess } from './table-access.ts';
import { backfillTaskCopies } from './task-copy-backfill.ts';

/** One-off repairs of items written before a key existed; each may run any number of times. */
export const BACKFILLS = {
  /** Unanswered complaints filed before the overdue queue was paged per site. */
  'backfill-unanswered': (doc: DynamoDBDocumentClient, tableName: string) => indexUnansweredBySite(new TableAccess(doc, tableName)),
  /** Callbacks not yet given out, listed before the callbacks job read them site by site. */
  'backfill-callbacks': (doc: DynamoDBDocumentClient, tableName: string) => indexUnannouncedBySite(new TableAccess(doc, tableName)),
  /** Open tasks written before they carried their customer's name and phone (and a callback its asset). */
  'backfill-task-copies': (doc: DynamoDBDocumentClient, tableName: string) => backfillTaskCopies(new TableAccess(doc, tableName)),
  /** Customers assigned a designer before designers had a list of their own. */
  'backfill-designer-lists': (doc: DynamoDBDocumentClient, tableName: string) => backfillDesignerLists(new TableAccess(doc, tableName)),
} as const;

export type BackfillName = keyof typeof BACKFILLS;

export const isBackfillName = (name: string): name is BackfillName => Object.hasOwn(BACKFILLS, name);
