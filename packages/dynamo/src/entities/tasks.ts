import {
  ConflictError,
  VersionConflictError,
  type ReportStore,
  type Task,
  type TaskDue,
  type TaskQuery,
  type TaskStore,
  type UnreadClose,
  type VersionedTask,
} from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import { dueByQuery, onIndex, type KeyQuery } from '../queries.ts';
import { setIndexKeys } from '../index-backfill.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict, type GuardedPut, type GuardedUpdate } from '../transact.ts';
import { callbacksDueBelow, figureAddsOfVersionedFact } from './counters.ts';
import { messagePut, messageSave } from './outbox.ts';

const taskKey = (id: string): Key => ({ PK: `TASK#${id}`, SK: 'TASK' });
const tasksOfSitePk = (siteId: string, status: string) => `${sitePk(siteId)}#TASK#${status}`;
const tasksOfAssigneePk = (assigneeId: string, status: string) => `ASSIGNEE#${assigneeId}#TASK#${status}`;
/** The list by due day alone that callbacks sat in before they were listed by site; only the backfill reads it. */
const LEGACY_UNANNOUNCED_PK = 'CALLBACKS#unannounced';
/**
 * One list for the company, sorted by site, then due day, then id: the job reads a site's due
 * callbacks as one range, as many as the site can give out, and hops from one site to the next
 * with a one-item Query, so a site's backlog is never read past what it gives out that day.
 * Site ids hold no `#`, and `~` sorts after every due day.
 */
const UNANNOUNCED_CALLBACKS_PK = 'CALLBACKS#unannounced-by-site';
const unannouncedSort = (siteId: string, dueOn: string, id: string) => `${siteId}#${bySortable(dueOn, id)}`;
const afterSite = (siteId: string) => `${siteId}#~`;

/**
 * GSI2 holds a task under its assignee; a callback nobody has been given yet sits instead
 * in a sparse list by site and due day, which is all the callbacks job reads.
 */
const taskIndexKeys = (t: {
  id: string;
  siteId: string;
  assigneeId: string | null;
  status: string;
  dueAt: string;
  dueOn: string | null;
}): Partial<IndexKeys> => ({
  GSI1PK: tasksOfSitePk(t.siteId, t.status),
  GSI1SK: bySortable(t.dueAt, t.id),
  ...(t.assigneeId !== null
    ? { GSI2PK: tasksOfAssigneePk(t.assigneeId, t.status), GSI2SK: bySortable(t.dueAt, t.id) }
    : t.status === 'open' && t.dueOn
      ? { GSI2PK: UNANNOUNCED_CALLBACKS_PK, GSI2SK: unannouncedSort(t.siteId, t.dueOn, t.id) }
      : {}),
});

/**
 * GSI3 files a follow-up closed on a later site day than it fell due under the day it closed,
 * by due time: the follow-ups open at a past day's end that are closed now are those of the
 * days after it that fell due before its end, a Query each. It is written by the save that
 * closes the task, which is the last save a follow-up gets.
 */
const closedLateOfSitePk = (siteId: string, closedOn: string) => `${sitePk(siteId)}#LATE#${closedOn}`;
const openOfCustomerPk = (customerId: string) => `CUST#${customerId}#TASK#open`;

/**
 * An open task also sits in GSI3 under its customer, so that a renamed customer or a changed
 * phone finds every open task carrying the old copy with one Query, whatever its kind (a
 * repair callback's or an escalation's id cannot be worked out from the customer). A closed
 * one leaves it, and only a follow-up closed late is filed there again, under its site.
 */
const gsi3Keys = (t: { id: string; siteId: string; customerId: string; status: string; dueAt: string }, closedOn: string | undefined): Partial<IndexKeys> => {
  if (closedOn !== undefined) return { GSI3PK: closedLateOfSitePk(t.siteId, closedOn), GSI3SK: bySortable(t.dueAt, t.id) };
  return t.status === 'open' ? { GSI3PK: openOfCustomerPk(t.customerId), GSI3SK: bySortable(t.dueAt, t.id) } : {};
};

export const taskItem = (t: Task, closedLateOn?: string): Item => ({
  ...taskKey(t.id),
  ...taskIndexKeys(t),
  ...gsi3Keys(t, closedLateOn),
  type: 'task',
  ...t,
});

/** A task opened in the transaction of the fact that opens it. */
export const taskPut = (task: Task, what = 'task'): GuardedPut => putNew(taskItem(task), exists(what, task.id));
/** A task changed in the transaction of the fact that changes it, under the version its writer read. */
export const taskSave = ({ task, expectedVersion, closedLateOn }: VersionedTask): GuardedPut =>
  putVersioned(taskItem(task, closedLateOn), expectedVersion, versionConflict('task', task.id));

const INDEX_KEYS = ['GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK'] as const;

/**
 * The open chase closed unread: the same item `taskSave` would write for it closed, its index
 * keys worked out from what the close names, landing only while the task still holds all of
 * that. What it does not name (the copy of the customer, the attempts) stays as stored.
 */
export function taskCloseUnread(c: UnreadClose): GuardedUpdate {
  const closed = { id: c.id, siteId: c.siteId, customerId: c.customerId, assigneeId: c.assigneeId, status: 'done', dueAt: c.dueAt, dueOn: null };
  const keys: Partial<IndexKeys> = { ...taskIndexKeys(closed), ...gsi3Keys(closed, c.closedLateOn) };
  const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
  const values: Record<string, unknown> = { ':one': 1 };
  const sets = ['#version = #version + :one'];
  const fields = { status: 'done', outcome: c.outcome, note: c.note, closedAt: c.closedAt, closedBy: c.closedBy };
  for (const [attribute, value] of Object.entries({ ...fields, ...keys })) {
    names[`#${attribute}`] = attribute;
    values[`:${attribute}`] = value;
    sets.push(`#${attribute} = :${attribute}`);
  }
  const removed = INDEX_KEYS.filter((key) => keys[key] === undefined);
  for (const key of removed) names[`#${key}`] = key;
  const held = { kind: c.kind, siteId: c.siteId, customerId: c.customerId, assigneeId: c.assigneeId, dueAt: c.dueAt };
  const conditions = ['#status = :open'];
  values[':open'] = 'open';
  for (const [attribute, value] of Object.entries(held)) {
    names[`#${attribute}`] = attribute;
    values[`:was_${attribute}`] = value;
    conditions.push(`#${attribute} = :was_${attribute}`);
  }
  return {
    Update: {
      Key: taskKey(c.id),
      UpdateExpression: `SET ${sets.join(', ')}${removed.length > 0 ? ` REMOVE ${removed.map((key) => `#${key}`).join(', ')}` : ''}`,
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

function tasksQuery(q: TaskQuery): KeyQuery {
  const options = { ascending: true, sortBefore: q.dueBefore };
  if (q.assigneeId !== undefined) {
    return onIndex('GSI2', tasksOfAssigneePk(q.assigneeId, q.status), { ...options, filters: { kind: q.kind, siteId: q.siteId } });
  }
  if (q.siteId !== undefined) return onIndex('GSI1', tasksOfSitePk(q.siteId, q.status), { ...options, filters: { kind: q.kind } });
  throw new TypeError('listTasks needs a siteId or an assigneeId');
}

function unannouncedQuery(condition: string, values: Record<string, string>): KeyQuery {
  return {
    IndexName: 'GSI2',
    KeyConditionExpression: `#pk = :pk${condition}`,
    ExpressionAttributeNames: { '#pk': 'GSI2PK', ...(condition ? { '#sk': 'GSI2SK' } : {}) },
    ExpressionAttributeValues: { ':pk': UNANNOUNCED_CALLBACKS_PK, ...values },
    ScanIndexForward: true,
  };
}

/** A site's callbacks nobody has been given, due on or before the day. */
const dueAtSiteQuery = (siteId: string, dueOnOrBefore: string) =>
  unannouncedQuery(' AND #sk BETWEEN :from AND :until', { ':from': `${siteId}#`, ':until': `${siteId}#${dueOnOrBefore}#~` });

/** The oldest unannounced callback of the first site after the one given (of the very first site when none is given). */
const nextSiteQuery = (after: string | null) => ({
  ...(after === null ? unannouncedQuery('', {}) : unannouncedQuery(' AND #sk > :after', { ':after': afterSite(after) })),
  Limit: 1,
});

/**
 * Each site with unannounced callbacks costs one one-item read whether or not any is due
 * yet (its oldest tells), so the sites are found without reading their backlogs.
 */
async function sitesWithCallbacksDue(t: TableAccess, dueOnOrBefore: string): Promise<string[]> {
  const sites: string[] = [];
  let after: string | null = null;
  for (;;) {
    const out = await t.queryOnce(nextSiteQuery(after));
    const oldest = out.Items?.[0] as { siteId: string; dueOn: string } | undefined;
    if (!oldest) return sites;
    if (oldest.dueOn <= dueOnOrBefore) sites.push(oldest.siteId);
    after = oldest.siteId;
  }
}

/**
 * Moves the callbacks listed before the list was by site into it, read from the old list with
 * a Query (no Scan). Each is touched only while still in the old list and at the version
 * listed: a callback saved since was written whole, with its new keys, by that save.
 */
export async function indexUnannouncedBySite(t: TableAccess): Promise<{ unannounced: number; indexed: number }> {
  const listed = await t.all<Task>(dueByQuery(LEGACY_UNANNOUNCED_PK, '~'));
  let indexed = 0;
  for (const task of listed) {
    const { GSI2PK, GSI2SK } = taskIndexKeys(task);
    if (GSI2PK !== UNANNOUNCED_CALLBACKS_PK || GSI2SK === undefined) continue;
    const record = { key: taskKey(task.id), version: task.version, what: 'task', id: task.id };
    if (await setIndexKeys(t, record, { GSI2PK, GSI2SK }, { condition: 'GSI2PK = :legacy', values: { ':legacy': LEGACY_UNANNOUNCED_PK } })) indexed++;
  }
  return { unannounced: listed.length, indexed };
}

/** A site's open tasks, every kind, for the backfill of their copies. */
export const openTasksOfSiteQuery = (siteId: string): KeyQuery => onIndex('GSI1', tasksOfSitePk(siteId, 'open'), { ascending: true });

/** Only what an overdue count needs is read back. */
function dueOnly(query: KeyQuery): KeyQuery {
  return {
    ...query,
    ProjectionExpression: '#id, #assignee, #due',
    ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#id': 'id', '#assignee': 'assigneeId', '#due': 'dueAt' },
  };
}

export function taskStore(t: TableAccess): TaskStore & Pick<ReportStore, 'listOpenTasksDueBefore' | 'listFollowUpsClosedLate'> {
  return {
    getTask: (id) => t.get(taskKey(id), true),
    listTasks: (query, page) => t.page(tasksQuery(query), page),
    saveTask: (task, expectedVersion, figures) => t.write([taskSave({ task, expectedVersion }), ...figureAddsOfVersionedFact(figures)]),
    // The task first: when both conditions fail, its conflict is the one reported, and it is final.
    closeCallback: ({ task, expectedVersion, figures, withdrawn }) =>
      t.write([
        taskSave({ task, expectedVersion }),
        ...(withdrawn ? [messageSave(withdrawn.message, withdrawn.expectedVersion)] : []),
        ...figureAddsOfVersionedFact(figures),
      ]),
    async openTaskOnce(task) {
      try {
        await t.write([taskPut(task)]);
        return true;
      } catch (error) {
        // The id is the fact's own (a meeting's close_loop): the task there is the one it opened.
        if (error instanceof ConflictError && !(error instanceof VersionConflictError)) return false;
        throw error;
      }
    },
    listSitesWithCallbacksDue: (dueOnOrBefore) => sitesWithCallbacksDue(t, dueOnOrBefore),
    async listUnannouncedCallbacks(siteId, dueOnOrBefore, limit) {
      if (limit < 1) return [];
      return (await t.page<Task>(dueAtSiteQuery(siteId, dueOnOrBefore), { limit })).items;
    },
    announceCallback: (fact) =>
      t.write([
        taskSave(fact),
        messagePut(fact.message),
        ...figureAddsOfVersionedFact(
          fact.figures,
          fact.capacity === undefined || !fact.task.assigneeId ? undefined : callbacksDueBelow(fact.task.assigneeId, fact.capacity),
        ),
      ]),
    listOpenTasksDueBefore: (siteId, kind, before) =>
      t.all<TaskDue>(dueOnly(onIndex('GSI1', tasksOfSitePk(siteId, 'open'), { ascending: true, sortBefore: before, filters: { kind } }))),
    listOpenTasksOfCustomer: (customerId) => t.all<Task>(onIndex('GSI3', openOfCustomerPk(customerId), { ascending: true })),
    listFollowUpsClosedLate: (siteId, closedOn, dueBefore) =>
      t.all<TaskDue>(dueOnly(onIndex('GSI3', closedLateOfSitePk(siteId, closedOn), { ascending: true, sortBefore: dueBefore }))),
  };
}
