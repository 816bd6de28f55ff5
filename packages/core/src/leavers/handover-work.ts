import { isActive } from '../active-staff.ts';
import { handDesignOver } from '../designers.ts';
import type { Context } from '../context.ts';
import { VersionConflictError } from '../errors.ts';
import type { Task, TaskKind } from '../model.ts';
import { closedTask, openFollowUpOf } from '../open-task.ts';
import { customerHistory } from '../reports/lead-figures.ts';
import { loadSite } from '../sites.ts';
import { RETOLD_IN_TRANSACTION, saveRetoldLater } from '../task-copies.ts';
import { withVersionRetry } from '../version-retry.ts';
import { STALLED_AFTER_MS } from '../imports/work-import.ts';
import type { HandoverRecord } from './handover-record.ts';

/** Customers (or lone tasks) per chunk: each is a few reads and one transaction, so a chunk is seconds of work. */
export const HANDOVER_CHUNK = 50;

export type HandoverStep = 'worked' | 'finished' | 'idle';

/** The customer's open tasks given to the leaver; the index is read eventually consistent, the follow-up from its item. */
async function leaversOpenTasks(ctx: Context, customer: Parameters<typeof openFollowUpOf>[1], fromId: string): Promise<Task[]> {
  const [listed, followUp] = await Promise.all([ctx.store.listOpenTasksOfCustomer(customer.id), openFollowUpOf(ctx, customer)]);
  const byId = new Map(listed.map((task) => [task.id, task]));
  if (followUp) byId.set(followUp.id, followUp);
  return [...byId.values()].filter((task) => task.status === 'open' && task.assigneeId === fromId);
}

/**
 * One customer to `toId`, read strongly consistent: one no longer the leaver's (moved by an
 * earlier run, or by a manager meanwhile) is skipped, so a rerun moves nothing twice. The
 * owner, the open tasks, the change log and the lead gauges move in one transaction, as a
 * settled conflict moves them: the gauges now, never a past month's figures.
 */
async function moveCustomer(ctx: Context, record: HandoverRecord, customerId: string, toId: string, timezone: string): Promise<number | null> {
  return withVersionRetry(async () => {
    const customer = await ctx.store.getCustomer(customerId);
    if (!customer || customer.ownerId !== record.fromId) return null;
    const now = ctx.clock.now();
    const moved = (await leaversOpenTasks(ctx, customer, record.fromId)).map((task) => ({
      task: { ...task, assigneeId: toId, version: task.version + 1 },
      expectedVersion: task.version,
    }));
    const next = { ...customer, ownerId: toId, updatedAt: now.toISOString(), version: customer.version + 1 };
    const history = customerHistory(ctx.ids, customer, next, record.by.sub, 'handover', now, timezone);
    await ctx.store.handOverCustomer({
      handoverId: record.id,
      customer: next,
      expectedVersion: customer.version,
      movedTasks: moved.slice(0, RETOLD_IN_TRANSACTION),
      history,
    });
    await saveRetoldLater(ctx, moved.slice(RETOLD_IN_TRANSACTION));
    return moved.length;
  });
}

/** The kinds that are the customer's owner's to do: left with the leaver, they follow the customer. */
const OWNERS_WORK: readonly TaskKind[] = ['follow_up', 'review', 'milestone', 'close_loop'];
/** The kinds each manager holds a copy of, the manager's id last in the task's id (sla-job, loss-escalation). */
const MANAGERS_COPIES: readonly TaskKind[] = ['escalation', 'loss_escalation'];

/**
 * Where one lone task goes: the owner's work to the customer's owner when they are active; a
 * manager's copy dropped when the colleague in turn holds their own; the rest (a service
 * agent's callbacks) to the colleague in turn.
 */
async function destination(ctx: Context, record: HandoverRecord, task: Task, inTurn: string): Promise<{ to: string; inTurn: boolean } | 'cancel'> {
  if (OWNERS_WORK.includes(task.kind)) {
    const customer = await ctx.store.getCustomer(task.customerId);
    const owner = customer && customer.ownerId !== record.fromId ? await ctx.store.getStaff(task.siteId, customer.ownerId) : null;
    if (owner && isActive(owner)) return { to: owner.id, inTurn: false };
  }
  const suffix = `:${record.fromId}`;
  if (MANAGERS_COPIES.includes(task.kind) && task.id.endsWith(suffix)) {
    if (await ctx.store.getTask(`${task.id.slice(0, -suffix.length)}:${inTurn}`)) return 'cancel';
  }
  return { to: inTurn, inTurn: true };
}

/**
 * One open task of the leaver's on a customer someone else owns (a callback, a chase left by
 * a settled conflict), read strongly consistent: one closed or no longer the leaver's (moved
 * with its customer, or by a manager) is passed over, so a rerun moves nothing twice. True
 * when it went to the colleague in turn, so the turn moves on.
 */
async function moveTask(ctx: Context, record: HandoverRecord, taskId: string, inTurn: string, timezone: string): Promise<boolean> {
  return withVersionRetry(async () => {
    const task = await ctx.store.getTask(taskId);
    if (task?.status !== 'open' || task.assigneeId !== record.fromId) return false;
    const where = await destination(ctx, record, task, inTurn);
    const at = ctx.clock.now().toISOString();
    const moved =
      where === 'cancel'
        ? closedTask(task, { status: 'cancelled', note: 'handover: the colleague holds their own copy' }, record.by.sub, at, timezone)
        : { task: { ...task, assigneeId: where.to, version: task.version + 1 }, expectedVersion: task.version };
    await ctx.store.handOverTask({ handoverId: record.id, ...moved });
    return where !== 'cancel' && where.inTurn;
  });
}

/** Moves a page of the leaver's customers and returns how many were listed; each move counts itself as it lands. */
async function customersChunk(
  ctx: Context,
  record: HandoverRecord,
  to: string[],
  counts: HandoverRecord['counts'],
  turn: { next: number },
  timezone: string,
): Promise<number> {
  const page = await ctx.store.listCustomers({ siteId: record.siteId, ownerId: record.fromId }, { limit: HANDOVER_CHUNK });
  // One after another: the turn moves only for a customer actually moved, so the colleagues get them evenly.
  for (const listed of page.items) {
    const moved = await moveCustomer(ctx, record, listed.id, to[turn.next % to.length]!, timezone);
    if (moved === null) counts.skipped++;
    else turn.next++;
  }
  return page.items.length;
}

/**
 * Moves a page of the customers a departed designer was assigned (found on the designer's
 * list, GSI4) to the designer colleagues in turn, through the assignment itself as the manager
 * who began the hand-over decided it: the designer's load moves with it, the change log says
 * who, and the hand-over counts it in the same transaction. Only colleagues with a designer
 * profile can be assigned (the start checks it for a designer's hand-over); with none, the
 * designs are left where they are rather than failing every run.
 */
async function designsChunk(ctx: Context, record: HandoverRecord, to: string[], turn: { next: number }): Promise<number> {
  const page = await ctx.store.listCustomers({ siteId: record.siteId, designerId: record.fromId }, { limit: HANDOVER_CHUNK });
  if (page.items.length === 0) return 0;
  const profiles = new Set((await ctx.store.listDesignerProfiles(record.siteId)).map((p) => p.staffId));
  const designers = to.filter((id) => profiles.has(id));
  if (designers.length === 0) return 0;
  for (const listed of page.items) {
    const handover = { id: record.id, fromId: record.fromId, toId: designers[turn.next % designers.length]! };
    if (await handDesignOver(ctx, record.by, listed.id, handover)) turn.next++;
  }
  return page.items.length;
}

/**
 * Moves a page of the open tasks still given to the leaver once their customers are gone: the
 * assignee index (GSI2) lists them, a task per transaction.
 */
async function tasksChunk(ctx: Context, record: HandoverRecord, to: string[], turn: { next: number }, timezone: string): Promise<number> {
  const page = await ctx.store.listTasks({ assigneeId: record.fromId, siteId: record.siteId, status: 'open' }, { limit: HANDOVER_CHUNK });
  for (const listed of page.items) {
    if (await moveTask(ctx, record, listed.id, to[turn.next % to.length]!, timezone)) turn.next++;
  }
  return page.items.length;
}

/**
 * Moves the next chunk: the leaver's customers first, then, with none left, the open tasks
 * still given to them. Marks the chunk on the record and stops:
 * the record's change wakes the worker for the next chunk (the table's stream, as for
 * imports). The chunk is always the first page of the leaver's customers (or tasks) still on
 * its index, so no cursor is kept: a moved one leaves the page, and a run that died midway is
 * resumed by reading the page again. Two empty pages end the job.
 */
export async function workHandover(ctx: Context, id: string): Promise<HandoverStep> {
  const record = await ctx.store.getHandover(id);
  if (record?.status !== 'running') return 'idle';
  const counts = { ...record.counts };
  const turn = { next: record.turn };
  const [site, staff] = await Promise.all([loadSite(ctx, record.siteId), ctx.store.listStaff(record.siteId)]);
  // A colleague named at the start who has left since takes nothing more: the others take their turns.
  const active = new Set(staff.filter(isActive).map((s) => s.id));
  const to = record.to.filter((id) => active.has(id));
  const listed =
    to.length === 0
      ? 0
      : (await customersChunk(ctx, record, to, counts, turn, site.timezone)) ||
        (await designsChunk(ctx, record, to, turn)) ||
        (await tasksChunk(ctx, record, to, turn, site.timezone));
  const done = listed === 0;
  const next: HandoverRecord = {
    ...record,
    counts,
    turn: turn.next,
    chunksDone: record.chunksDone + (done ? 0 : 1),
    status: to.length === 0 ? 'stopped' : done ? 'done' : 'running',
    updatedAt: ctx.clock.now().toISOString(),
    version: record.version + 1,
  };
  try {
    await ctx.store.saveHandover(next, record.version);
  } catch (error) {
    // Another run worked the same chunk and counted it: its count stands.
    if (error instanceof VersionConflictError) return 'idle';
    throw error;
  }
  return done ? 'finished' : 'worked';
}

/** Works a hand-over to its end in this process: the tests' run, and a command line's. */
export async function drainHandover(ctx: Context, id: string): Promise<HandoverRecord | null> {
  while ((await workHandover(ctx, id)) === 'worked') {
    // each step is one chunk; the last step finds no customer left and marks the record done
  }
  return ctx.store.getHandover(id);
}

/** Wakes the worker for hand-overs whose run died (its retries spent): the outbox job calls it every minute, as for imports. */
export async function nudgeStalledHandovers(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  const stalled = await ctx.store.listStalledHandovers(new Date(now.getTime() - STALLED_AFTER_MS).toISOString(), 25);
  let nudged = 0;
  for (const record of stalled) {
    try {
      await ctx.store.nudgeHandover(record, now.toISOString());
      nudged++;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  return nudged;
}
