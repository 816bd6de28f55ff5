import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  addStaff,
  atSiteTime,
  callbackTasks,
  createSite,
  SITE_BOUNDS,
  normalizePhone,
  type Clock,
  type Context,
  type Customer,
  type Delivery,
  type Principal,
  type Site,
  type Task,
} from '@guanjia/core';
// The item builders are the store's own, not part of the package's surface: seeding in bulk
// writes exactly the items the store would.
import { claimItem, customerItem } from '@guanjia/dynamo/entities/customers';
import { deliveryItem } from '@guanjia/dynamo/entities/deliveries';
import { taskItem } from '@guanjia/dynamo/entities/tasks';
import type { Item } from '@guanjia/dynamo/items';

/** The callbacks bench's seed: 22,000 owners with their deliveries and callbacks, written in bulk. */
export const OWNERS = 20_000;
export const HISTORY_DAYS = 730;
export const SITES = 4;
export const AGENTS_PER_SITE = 3;
export const REPS_PER_SITE = 2;
/** Mid-month days, so that no month-end clamping piles several delivery days onto one due day. */
export const DAY_1 = '2026-03-16';
export const DAY_2 = '2026-03-17';
export const DAY_3 = '2026-03-18';
export const EXTRA_DUE = 1_000;
/** Callbacks due longer ago than this were worked already; younger ones are with their agent. */
export const WORKED_AFTER_DAYS = 14;
export const BATCH = 25;
export const WRITERS = 8;

export const TIMEZONE = 'Asia/Shanghai';
export const REGION = 'local';
export const admin: Principal = { sub: 'bench-admin', role: 'admin', sites: [] };

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));
export const fmt = (n: number, digits = 2) => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
export const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A fixed seed: the same owners, and so the same number due, on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stands at a site time of the bench day and moves on with real time: quiet hours and due
 * days see the day the bench is about, whatever the hour the bench is run at.
 */
export function benchClock(day: string, hhmm: string): Clock {
  const origin = atSiteTime(day, hhmm, TIMEZONE).getTime();
  const started = performance.now();
  return { now: () => new Date(origin + (performance.now() - started)) };
}

export interface SeedSite {
  site: Site;
  agents: string[];
  reps: string[];
}

async function createSites(ctx: Context): Promise<SeedSite[]> {
  const sites: SeedSite[] = [];
  for (let s = 0; s < SITES; s++) {
    // The largest capacity, so that each run gives out all that is due: the work being timed.
    const site = await createSite(ctx, admin, {
      id: `bench-${s}`,
      name: `Bench ${s}`,
      kind: 'real_estate',
      timezone: TIMEZONE,
      smsSignature: '管家',
      callbackCapacity: SITE_BOUNDS.callbackCapacity.max,
    });
    const agents = Array.from({ length: AGENTS_PER_SITE }, (_, a) => `svc-${s}-${a}`);
    const reps = Array.from({ length: REPS_PER_SITE }, (_, r) => `rep-${s}-${r}`);
    for (const id of agents) await addStaff(ctx, admin, site.id, { id, name: id, role: 'service' });
    for (const id of reps) await addStaff(ctx, admin, site.id, { id, name: id, role: 'sales' });
    sites.push({ site, agents, reps });
  }
  return sites;
}

export interface Owner {
  customer: Customer;
  delivery: Delivery;
  callbacks: Task[];
}

/**
 * One owner as the API would have left it two years on: the customer made an owner by the
 * delivery, the delivery, and its plan's callbacks, those due before the bench day already
 * announced to an agent (and worked, once old enough), the rest waiting for their day.
 */
function owner(ctx: Context, where: SeedSite, n: number, deliveredOn: string): Owner {
  const { site } = where;
  const at = atSiteTime(deliveredOn, '16:00', site.timezone).toISOString();
  const createdAt = atSiteTime(shiftDay(deliveredOn, -90), '11:00', site.timezone).toISOString();
  const customer: Customer = {
    id: ctx.ids.next(),
    siteId: site.id,
    name: '张伟',
    phone: normalizePhone(`139${String(n).padStart(8, '0')}`),
    ownerId: where.reps[n % where.reps.length]!,
    stage: 'owner',
    leadType: 'direct',
    intentLevel: 'H',
    channel: 'walk_in',
    needs: {},
    birthday: null,
    smsConsent: false,
    note: null,
    openFollowUpId: null,
    createdAt,
    updatedAt: at,
    version: 2,
  };
  const delivery: Delivery = {
    id: ctx.ids.next(),
    customerId: customer.id,
    siteId: site.id,
    asset: { kind: 'home', label: `${1 + (n % 30)}栋${101 + (n % 1800)}室` },
    deliveredOn,
    createdAt: at,
    createdBy: customer.ownerId,
    updatedAt: at,
    version: 1,
  };
  const callbacks = callbackTasks(ctx, site, customer, delivery, at).map((task): Task => {
    if (task.dueOn! >= DAY_1) return task;
    const assigneeId = where.agents[n % where.agents.length]!;
    if (task.dueOn! >= shiftDay(DAY_1, -WORKED_AFTER_DAYS)) return { ...task, assigneeId, version: 2 };
    const closedAt = new Date(Date.parse(task.dueAt) + 86_400_000).toISOString();
    const result = { checklist: Object.fromEntries((task.checklist ?? []).map((c) => [c, 'ok' as const])), satisfaction: 5, issues: [] };
    return { ...task, assigneeId, status: 'done', outcome: 'reached', closedAt, closedBy: assigneeId, result, version: 3 };
  });
  return { customer, delivery, callbacks };
}

const itemsOf = (o: Owner): Item[] => [claimItem(o.customer), customerItem(o.customer), deliveryItem(o.delivery), ...o.callbacks.map((task) => taskItem(task))];

export async function batchWrite(doc: DynamoDBDocumentClient, tableName: string, items: Item[]): Promise<number> {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const writer = async () => {
    for (let batch = batches.pop(); batch; batch = batches.pop()) {
      let requests = { [tableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
      for (let attempt = 0; requests[tableName]?.length; attempt++) {
        if (attempt > 10) throw new Error('seeding: DynamoDB kept items unprocessed');
        // Unprocessed items mean DynamoDB is shedding load: asking again at once would add to it.
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * attempt));
        const out = await doc.send(new BatchWriteCommand({ RequestItems: requests }));
        requests = (out.UnprocessedItems ?? {}) as typeof requests;
      }
    }
  };
  const count = batches.length;
  await Promise.all(Array.from({ length: WRITERS }, writer));
  return count;
}

export interface Seeded {
  sites: SeedSite[];
  owners: Owner[];
  items: number;
  batches: number;
  ms: number;
  /** Callbacks the seed put on each day, by day. */
  dueOn: Map<string, number>;
}

export async function seed(ctx: Context, doc: DynamoDBDocumentClient, tableName: string): Promise<Seeded> {
  const started = performance.now();
  const sites = await createSites(ctx);
  const random = mulberry32(20260316);
  const owners: Owner[] = [];
  for (let n = 0; n < OWNERS; n++) {
    owners.push(owner(ctx, sites[n % SITES]!, n, shiftDay(DAY_1, -(1 + Math.floor(random() * HISTORY_DAYS)))));
  }
  // Extra owners whose callback (half P3M, half P1Y) falls on day 2 or 3: a run big enough to time.
  for (const [d, day] of [DAY_2, DAY_3].entries()) {
    for (let k = 0; k < EXTRA_DUE; k++) {
      const n = OWNERS + d * EXTRA_DUE + k;
      const deliveredOn = k % 2 ? `${Number(day.slice(0, 4)) - 1}${day.slice(4)}` : shiftMonths(day, -3);
      owners.push(owner(ctx, sites[n % SITES]!, n, deliveredOn));
    }
  }
  const items = owners.flatMap(itemsOf);
  const batches = await batchWrite(doc, tableName, items);
  const dueOn = new Map<string, number>();
  for (const task of owners.flatMap((o) => o.callbacks)) if (task.dueOn! >= DAY_1) dueOn.set(task.dueOn!, (dueOn.get(task.dueOn!) ?? 0) + 1);
  for (const day of [DAY_2, DAY_3]) if ((dueOn.get(day) ?? 0) < EXTRA_DUE) throw new Error(`seeding: the extra owners' callbacks missed ${day}`);
  return { sites, owners, items: items.length, batches, ms: performance.now() - started, dueOn };
}

/** The same day of the month `months` away; only used on mid-month days, where no clamping applies. */
function shiftMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
