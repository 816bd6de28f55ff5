import type { Page, PageRequest, ReportStore, Task, TaskQuery, TaskStore, VersionedTask } from '@guanjia/core';
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

export const taskItem = (t: Task): Item => ({ ...taskKey(t.id), ...taskIndexKeys(t), type: 'task', ...t });

/** A task opened in the transaction of the fact that opens it. */
export const taskPut = (task: Task, what = 'task'): GuardedPut => putNew(taskItem(task), exists(what, task.id));
/** A task changed in the transaction of the fact that changes it, under the version its writer read. */
export const taskSave = ({ task, expectedVersion }: VersionedTask): GuardedPut =>
  putVersioned(taskItem(task), expectedVersion, versionConflict('task', task.id));

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

export function taskStore(t: TableAccess): TaskStore & Pick<ReportStore, 'countOpenTasksDueBefore'> {
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
    async countOpenTasksDueBefore(siteId, kind, before) {
      // Only the assignee is read back: the count needs nothing else of the task.
      const query = onIndex('GSI1', tasksOfSitePk(siteId, 'open'), { ascending: true, sortBefore: before, filters: { kind } });
      const tasks = await t.all<{ assigneeId?: string | null }>({
        ...query,
        ProjectionExpression: '#assignee',
        ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#assignee': 'assigneeId' },
      });
      const counts = new Map<string, number>();
      for (const { assigneeId } of tasks) if (assigneeId) counts.set(assigneeId, (counts.get(assigneeId) ?? 0) + 1);
      return counts;
    },
  };
}
