import type { Page, PageRequest, ReportStore, Task, TaskDue, TaskQuery, TaskStore, VersionedTask } from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import { dueByQuery, onIndex, type KeyQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict, type GuardedPut } from '../transact.ts';
import { figureAddsOfVersionedFact } from './counters.ts';
import { messagePut } from './outbox.ts';

const taskKey = (id: string): Key => ({ PK: `TASK#${id}`, SK: 'TASK' });
const tasksOfSitePk = (siteId: string, status: string) => `${sitePk(siteId)}#TASK#${status}`;
const tasksOfAssigneePk = (assigneeId: string, status: string) => `ASSIGNEE#${assigneeId}#TASK#${status}`;
const UNANNOUNCED_CALLBACKS_PK = 'CALLBACKS#unannounced';

/**
 * GSI2 holds a task under its assignee; a callback nobody has been given yet sits instead
 * in a sparse list by due day, which is all the callbacks job reads.
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
      ? { GSI2PK: UNANNOUNCED_CALLBACKS_PK, GSI2SK: bySortable(t.dueOn, t.id) }
      : {}),
});

/**
 * GSI3 files a follow-up closed on a later site day than it fell due under the day it closed,
 * by due time: the follow-ups open at a past day's end that are closed now are those of the
 * days after it that fell due before its end, a Query each. It is written by the save that
 * closes the task, which is the last save a follow-up gets.
 */
const closedLateOfSitePk = (siteId: string, closedOn: string) => `${sitePk(siteId)}#LATE#${closedOn}`;
const closedLateKeys = (t: { id: string; siteId: string; dueAt: string }, closedOn: string | undefined): Partial<IndexKeys> =>
  closedOn === undefined ? {} : { GSI3PK: closedLateOfSitePk(t.siteId, closedOn), GSI3SK: bySortable(t.dueAt, t.id) };

export const taskItem = (t: Task, closedLateOn?: string): Item => ({
  ...taskKey(t.id),
  ...taskIndexKeys(t),
  ...closedLateKeys(t, closedLateOn),
  type: 'task',
  ...t,
});

/** A task opened in the transaction of the fact that opens it. */
export const taskPut = (task: Task, what = 'task'): GuardedPut => putNew(taskItem(task), exists(what, task.id));
/** A task changed in the transaction of the fact that changes it, under the version its writer read. */
export const taskSave = ({ task, expectedVersion, closedLateOn }: VersionedTask): GuardedPut =>
  putVersioned(taskItem(task, closedLateOn), expectedVersion, versionConflict('task', task.id));

function tasksQuery(q: TaskQuery): KeyQuery {
  const options = { ascending: true, sortBefore: q.dueBefore };
  if (q.assigneeId !== undefined) {
    return onIndex('GSI2', tasksOfAssigneePk(q.assigneeId, q.status), { ...options, filters: { kind: q.kind, siteId: q.siteId } });
  }
  if (q.siteId !== undefined) return onIndex('GSI1', tasksOfSitePk(q.siteId, q.status), { ...options, filters: { kind: q.kind } });
  throw new TypeError('listTasks needs a siteId or an assigneeId');
}

/** Callbacks nobody has been given, due on or before the day. */
const unannouncedCallbacksQuery = (dueOnOrBefore: string) => dueByQuery(UNANNOUNCED_CALLBACKS_PK, dueOnOrBefore);

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
    async listUnannouncedCallbacks(dueOnOrBefore, limit) {
      const tasks: Task[] = [];
      let after: PageRequest['after'];
      do {
        const page: Page<Task> = await t.page(unannouncedCallbacksQuery(dueOnOrBefore), {
          limit: Math.min(100, limit - tasks.length),
          ...(after ? { after } : {}),
        });
        tasks.push(...page.items);
        after = page.next ?? undefined;
      } while (after && tasks.length < limit);
      return tasks;
    },
    announceCallback: (fact) => t.write([taskSave(fact), messagePut(fact.message), ...figureAddsOfVersionedFact(fact.figures)]),
    listOpenTasksDueBefore: (siteId, kind, before) =>
      t.all<TaskDue>(dueOnly(onIndex('GSI1', tasksOfSitePk(siteId, 'open'), { ascending: true, sortBefore: before, filters: { kind } }))),
    listFollowUpsClosedLate: (siteId, closedOn, dueBefore) =>
      t.all<TaskDue>(dueOnly(onIndex('GSI3', closedLateOfSitePk(siteId, closedOn), { ascending: true, sortBefore: dueBefore }))),
  };
}
