import type { Context } from '../context.ts';
import { announcementPurpose } from '../jobs/callbacks-job.ts';
import type { Task, TaskKind, TaskStatus } from '../model.ts';
import { messageId } from '../outbox.ts';
import type { Page, PageRequest } from '../ports.ts';
import type { CustomerTrail, SiteRecords } from './recount.ts';

const PAGE = 200;

async function everyPage<T>(read: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: PageRequest['after'];
  do {
    const page = await read({ limit: PAGE, ...(after ? { after } : {}) });
    items.push(...page.items);
    after = page.next ?? undefined;
  } while (after);
  return items;
}

/** Where records are read at once, a few at a time: enough to overlap round trips, few enough to leave the table to others. */
async function inBatches<T, R>(items: T[], size: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(read))));
  return results;
}

const CALLBACK_KINDS: TaskKind[] = ['callback', 'repair_callback'];
const STATUSES: TaskStatus[] = ['open', 'done', 'cancelled'];

/**
 * A callback counts as due on the day it was given: the callbacks job gave it when it queued
 * the owner's SMS, whose id the task names; one given as it was opened (a repair callback for
 * the complaint's assignee) was given at its creation.
 */
async function givenAt(ctx: Context, task: Task): Promise<string | null> {
  if (task.assigneeId === null) return null;
  const message = await ctx.store.getMessage(messageId(announcementPurpose(task), task.id));
  return message?.createdAt ?? task.createdAt;
}

/**
 * Every record of the site that a figure counts, read by Query and GetItem only: the site's
 * customers (one index), each customer's receptions, contacts and change log (its own
 * partition), the site's callbacks by status (one index), and its complaints with their
 * timelines. A rebuild reads the whole site, however few days it checks: a record of any age
 * may have moved a lead's figures.
 */
export async function readSiteRecords(ctx: Context, siteId: string): Promise<SiteRecords> {
  const customers = await everyPage((page) => ctx.store.listCustomers({ siteId }, page));
  const trails = await inBatches(
    customers,
    8,
    async (customer): Promise<CustomerTrail> => ({
      customer,
      receptions: (await everyPage((page) => ctx.store.listReceptions(customer.id, page))).reverse(),
      interactions: (await everyPage((page) => ctx.store.listInteractions(customer.id, page))).reverse(),
      changes: await ctx.store.listCustomerChanges(customer.id),
    }),
  );
  const tasks: Task[] = [];
  for (const kind of CALLBACK_KINDS)
    for (const status of STATUSES) tasks.push(...(await everyPage((page) => ctx.store.listTasks({ siteId, kind, status }, page))));
  const callbacks = await inBatches(tasks, 8, async (task) => ({ task, givenAt: await givenAt(ctx, task) }));
  const complaints = await everyPage((page) => ctx.store.listComplaints({ siteId }, page));
  const timelines = await inBatches(complaints, 8, async (complaint) => ({ complaint, entries: await ctx.store.listComplaintEntries(complaint.id) }));
  return { customers: trails, callbacks, complaints: timelines };
}
