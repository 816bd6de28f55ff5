import { HandoverRunningError, NotFoundError, type HandoverRecord, type HandoverStore } from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, type Key } from '../key-parts.ts';
import { dueByQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict, type GuardedUpdate } from '../transact.ts';
import { historyWrites } from './customer-history.ts';
import { writeOwnerMove } from './claims.ts';
import { customerSave } from './customers.ts';
import { staffItem } from './sites.ts';
import { taskSave } from './tasks.ts';

/**
 * A leaver is listed under their staff id alone, whatever the site, so that the API asks
 * "is this token's holder gone?" with one GetItem by the token's `sub`.
 */
const leaverKey = (staffId: string): Key => ({ PK: `LEAVER#${staffId}`, SK: 'LEAVER' });
const handoverKey = (id: string): Key => ({ PK: `HANDOVER#${id}`, SK: 'HANDOVER' });
/**
 * What the moves did, beside the record: each customer's transaction adds itself here, so the
 * counts hold exactly what landed even when a run dies midway, and the record itself (whose
 * changes wake the worker) is not touched by every move.
 */
const countsKey = (id: string): Key => ({ PK: `HANDOVER#${id}`, SK: 'COUNTS' });
/** The counts item as the moves' `ADD` builds it up. */
export const handoverCountsItem = (id: string, customers: number, tasks: number): Item => ({ ...countsKey(id), type: 'handover_counts', customers, tasks });
/**
 * One per leaver and site while a hand-over of theirs runs: created with the record, refusing
 * a second (handing back the running one's id), and removed by the save that makes the
 * hand-over done or stopped.
 */
const runningGuardKey = (siteId: string, fromId: string): Key => ({ PK: `HANDOVER#RUNNING#${siteId}#${fromId}`, SK: 'RUNNING' });
export const handoverGuardItem = (r: HandoverRecord): Item => ({ ...runningGuardKey(r.siteId, r.fromId), type: 'handover_guard', handoverId: r.id });
/** A running hand-over is listed by when it last moved, as a running import is, so the outbox job finds one whose worker died. */
const RUNNING_HANDOVERS_PK = 'HANDOVERS#running';

/** The `type` of a hand-over's record: what the worker's stream filter passes, beside imports. */
export const HANDOVER_RECORD_TYPE = 'handover';

export const leaverItem = (staffId: string, siteId: string, at: string): Item => ({ ...leaverKey(staffId), type: 'leaver', staffId, siteId, at });
export const handoverItem = (r: Parameters<HandoverStore['createHandover']>[0]): Item => ({
  ...handoverKey(r.id),
  ...(r.status === 'running' ? { GSI2PK: RUNNING_HANDOVERS_PK, GSI2SK: bySortable(r.updatedAt, r.id) } : {}),
  type: 'handover',
  ...r,
});

/** Staff records marked in one transaction, beside the leaver item in the first: under the 100 a transaction holds. */
const MARKS_PER_WRITE = 99;

export function handoverStore(t: TableAccess): HandoverStore {
  return {
    async deactivateStaff(records) {
      // Only over a staff item that is there: a deactivation never creates the staff member.
      const marks = records.map((staff) => ({
        Item: staffItem(staff),
        ConditionExpression: 'attribute_exists(PK)',
        onConditionFailed: () => new NotFoundError(`staff ${staff.id} not found`),
      }));
      const [first] = records;
      if (!first) return;
      // The named site's record and the leaver item land together; a person on more sites than one
      // transaction holds has the rest marked after, and a retry marks what a failure left.
      const leaver = { Item: leaverItem(first.id, first.siteId, first.deactivatedAt ?? '') };
      for (let i = 0; i < marks.length; i += MARKS_PER_WRITE) await t.write([...marks.slice(i, i + MARKS_PER_WRITE), ...(i === 0 ? [leaver] : [])]);
    },
    isDeactivated: async (staffId) => (await t.get(leaverKey(staffId), false)) !== null,
    createHandover: (record) =>
      t.write([
        putNew(handoverItem(record), exists('handover', record.id)),
        {
          Item: handoverGuardItem(record),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          onConditionFailed: (stored) => new HandoverRunningError(String(stored?.handoverId ?? '')),
        },
      ]),
    async getHandover(id) {
      const [record, moved] = await Promise.all([
        t.get<HandoverRecord>(handoverKey(id), true),
        t.get<{ customers?: number; tasks?: number; designs?: number }>(countsKey(id), true),
      ]);
      if (!record) return null;
      return { ...record, counts: { ...record.counts, customers: moved?.customers ?? 0, tasks: moved?.tasks ?? 0, designs: moved?.designs ?? 0 } };
    },
    saveHandover: (record, expectedVersion) =>
      t.write([
        putVersioned(handoverItem(record), expectedVersion, versionConflict('handover', record.id)),
        ...(record.status === 'running' ? [] : [{ Delete: runningGuardKey(record.siteId, record.fromId) }]),
      ]),
    listStalledHandovers: async (before, limit) => (await t.page<HandoverRecord>(dueByQuery(RUNNING_HANDOVERS_PK, before), { limit })).items,
    nudgeHandover: (record, at) =>
      t.write([putVersioned(handoverItem({ ...record, updatedAt: at, version: record.version + 1 }), record.version, versionConflict('handover', record.id))]),
    handOverCustomer: ({ handoverId, customer, expectedVersion, movedTasks, history }) =>
      writeOwnerMove(t, customer, [
        customerSave(customer, expectedVersion),
        ...movedTasks.map(taskSave),
        ...historyWrites(history),
        handoverCountsAdd(handoverId, { customers: 1, tasks: movedTasks.length }),
      ]),
    handOverTask: (fact) => t.write([taskSave(fact), handoverCountsAdd(fact.handoverId, { tasks: 1 })]),
  };
}

/** Adds a move to the hand-over's counts, in the move's own transaction. */
export function handoverCountsAdd(handoverId: string, moved: { customers?: number; tasks?: number; designs?: number }): GuardedUpdate {
  const { customers = 0, tasks = 0, designs = 0 } = moved;
  return {
    Update: {
      Key: countsKey(handoverId),
      UpdateExpression: 'SET #type = :type ADD #customers :customers, #tasks :tasks, #designs :designs',
      ExpressionAttributeNames: { '#type': 'type', '#customers': 'customers', '#tasks': 'tasks', '#designs': 'designs' },
      ExpressionAttributeValues: { ':type': handoverCountsItem(handoverId, 0, 0).type, ':customers': customers, ':tasks': tasks, ':designs': designs },
    },
  };
}
