import {
  addStaff,
  atSiteTime,
  callbackClosedFigures,
  callbackGivenFigures,
  callbackTasks,
  complaintFiledFigures,
  complaintStepFigures,
  contactFigures,
  createSite,
  customerHistory,
  leadFigures,
  nextFollowUpDue,
  normalizePhone,
  openTask,
  receptionFigures,
  registrationFigures,
  type Complaint,
  type Context,
  type Customer,
  type Delivery,
  type IntakeChannel,
  type Interaction,
  type IntentLevel,
  type Principal,
  type Site,
  type Task,
} from '@guanjia/core';
// The item builders are the store's own, not part of the package's surface: seeding in bulk
// writes exactly the items the store would.
import { complaintItem, complaintNumberItem, complaintRefItem } from '@guanjia/dynamo/entities/complaints';
import { customerChangeItem } from '@guanjia/dynamo/entities/customer-history';
import { claimItem, customerItem, interactionItem, receptionItem } from '@guanjia/dynamo/entities/customers';
import { deliveryItem } from '@guanjia/dynamo/entities/deliveries';
import { taskItem } from '@guanjia/dynamo/entities/tasks';
import type { Item } from '@guanjia/dynamo/items';
import { Counters } from './reports-counters.ts';

export const TIMEZONE = 'Asia/Shanghai';
export const CUSTOMERS = 20_000;
export const HISTORY_DAYS = 90;
export const REPS = 20;
export const AGENTS = 4;
const admin: Principal = { sub: 'bench-admin', role: 'admin', sites: [] };
const LEVELS: (IntentLevel | null)[] = ['H', 'A', 'B', 'C', null];
const CHANNELS: IntakeChannel[] = ['walk_in', 'phone', 'referral', 'event', 'online'];

/** A fixed seed: the same history on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ReportsSeed {
  site: Site;
  reps: string[];
  agents: string[];
  staff: number;
  items: Item[];
  /** Leads with their open follow-up, for the operations measured afterwards. */
  leads: { customerId: string; ownerId: string; followUpId: string }[];
}

/** A site with 20 reps and 20,000 customers taken in over the 90 days up to `today`, with their records and figures. */
export async function seedReports(ctx: Context, today: string): Promise<ReportsSeed> {
  // A first callback 30 days after the handover, so that handovers of the history have calls given and closed in it.
  const plan = [{ plan: 'P30D', offset: 'P30D', checklist: ['drainage'] }];
  const site = await createSite(ctx, admin, {
    id: 'bench-rp',
    name: 'Bench reports',
    kind: 'real_estate',
    timezone: TIMEZONE,
    smsSignature: '管家',
    callbackPlan: plan,
  });
  const reps = Array.from({ length: REPS }, (_, i) => `rep-${String(i).padStart(2, '0')}`);
  const agents = Array.from({ length: AGENTS }, (_, i) => `svc-${i}`);
  for (const id of reps) await addStaff(ctx, admin, site.id, { id, name: id, role: 'sales' });
  for (const id of agents) await addStaff(ctx, admin, site.id, { id, name: id, role: 'service' });
  await addStaff(ctx, admin, site.id, { id: 'mgr', name: 'mgr', role: 'manager' });

  const random = mulberry32(20260316);
  const pickOf = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const counters = new Counters();
  const items: Item[] = [];
  const leads: ReportsSeed['leads'] = [];
  const at = (day: string, hhmm: string) => atSiteTime(day, hhmm, TIMEZONE);
  const tz = site.timezone;

  for (let n = 0; n < CUSTOMERS; n++) {
    const ownerId = reps[n % REPS]!;
    const day = shift(today, -Math.floor(random() * HISTORY_DAYS));
    const createdAt = at(day, '10:00');
    let customer: Customer = {
      id: ctx.ids.next(),
      siteId: site.id,
      name: '张伟',
      phone: normalizePhone(`138${String(n).padStart(8, '0')}`),
      ownerId,
      stage: 'lead',
      leadType: pickOf(['direct', 'direct', 'key_person', 'potential']),
      intentLevel: pickOf(LEVELS),
      channel: pickOf(CHANNELS),
      needs: {},
      birthday: null,
      smsConsent: false,
      note: null,
      openFollowUpId: null,
      createdAt: createdAt.toISOString(),
      updatedAt: createdAt.toISOString(),
      version: 1,
    };
    const reception = {
      id: ctx.ids.next(),
      customerId: customer.id,
      siteId: site.id,
      receivedBy: ownerId,
      channel: customer.channel,
      name: customer.name,
      needs: {},
      note: null,
      conflictId: null,
      at: customer.createdAt,
    };
    counters.figures(receptionFigures(reception, tz, ownerId));
    counters.registered(registrationFigures(reception, tz, ownerId));
    counters.leads(leadFigures(null, customer, createdAt, tz));
    items.push(receptionItem(reception));

    // Up to one contact two days on, each closing the open follow-up and opening the next; some re-rate the lead.
    let followUp: Task = openTask(ctx, 'follow_up', customer, at(shift(day, 2), '10:00'), customer.createdAt);
    for (let k = Math.floor(random() * 2), j = 1; j <= k && shift(day, 2 * j) < today; j++) {
      const when = at(shift(day, 2 * j), '15:00');
      const level = random() < 0.3 ? pickOf(LEVELS.filter((l): l is IntentLevel => l !== null)) : null;
      const interaction: Interaction = {
        id: ctx.ids.next(),
        customerId: customer.id,
        siteId: site.id,
        staffId: ownerId,
        channel: 'call',
        summary: '回访',
        intentLevel: level,
        nextFollowUpAt: null,
        taskId: followUp.id,
        at: when.toISOString(),
      };
      items.push(
        interactionItem(interaction),
        taskItem({ ...followUp, status: 'done', outcome: 'reached', closedAt: interaction.at, closedBy: ownerId, version: 2 }),
      );
      counters.figures(contactFigures(interaction, tz, true));
      if (level !== null && level !== customer.intentLevel) {
        const history = customerHistory(ctx.ids, customer, { ...customer, intentLevel: level }, ownerId, 'interaction', when, tz);
        counters.leads(history.leads);
        items.push(...history.changes.map(customerChangeItem));
        customer = { ...customer, intentLevel: level, version: customer.version + 1 };
      }
      followUp = openTask(ctx, 'follow_up', customer, nextFollowUpDue(when, site.followUpCadence, customer.intentLevel, tz), interaction.at);
    }

    // One in ten is handed over 20 days after coming in: the chase ends, and the first callback falls due 30 days later.
    const handover = shift(day, 20);
    if (n % 10 === 0 && handover < today) {
      const when = at(handover, '16:00');
      const delivery: Delivery = {
        id: ctx.ids.next(),
        customerId: customer.id,
        siteId: site.id,
        asset: { kind: 'home', label: `${n}室` },
        deliveredOn: handover,
        createdAt: when.toISOString(),
        createdBy: agents[0]!,
        updatedAt: when.toISOString(),
        version: 1,
      };
      const ownerRecord: Customer = { ...customer, stage: 'owner', openFollowUpId: null, version: customer.version + 1 };
      const history = customerHistory(ctx.ids, customer, ownerRecord, agents[0]!, 'delivery', when, tz);
      counters.leads(history.leads);
      items.push(
        ...history.changes.map(customerChangeItem),
        deliveryItem(delivery),
        taskItem({ ...followUp, status: 'cancelled', note: 'delivered', closedAt: delivery.createdAt, closedBy: agents[0]!, version: 2 }),
      );
      for (const callback of callbackTasks(ctx, site, ownerRecord, delivery, delivery.createdAt))
        items.push(taskItem(workedCallback(callback, agents[n % AGENTS]!, today, counters)));
      customer = ownerRecord;
    } else {
      customer = { ...customer, openFollowUpId: followUp.id };
      items.push(taskItem(followUp));
      leads.push({ customerId: customer.id, ownerId, followUpId: followUp.id });
    }
    items.push(claimItem(customer), customerItem(customer));

    // One in 25 files a complaint the next day, answered within 2 to 30 hours.
    if (n % 25 === 0 && shift(day, 1) < today)
      items.push(...answeredComplaint(customer, agents[n % AGENTS]!, at(shift(day, 1), '11:00'), 2 + Math.floor(random() * 28), n, counters));
  }
  items.push(...counters.items(site.id));
  return { site, reps, agents, staff: REPS + AGENTS + 1, items, leads };
}

/** A callback due before today: given to its agent on its day at 09:30 and closed, reached, that afternoon. */
function workedCallback(task: Task, agentId: string, today: string, counters: Counters): Task {
  if (task.dueOn === null || task.dueOn >= today) return task;
  const given: Task = { ...task, assigneeId: agentId, version: 2 };
  counters.figures(callbackGivenFigures(given, new Date(task.dueAt), TIMEZONE));
  const closedAt = new Date(Date.parse(task.dueAt) + 5 * 3_600_000);
  const score = 3 + (task.id.length % 3);
  const done: Task = {
    ...given,
    status: 'done',
    outcome: 'reached',
    closedAt: closedAt.toISOString(),
    closedBy: agentId,
    result: { checklist: {}, satisfaction: score, issues: [] },
    version: 3,
  };
  counters.figures(callbackClosedFigures(given, done, { sub: agentId, role: 'service', sites: [task.siteId] }, closedAt, TIMEZONE));
  return done;
}

function answeredComplaint(customer: Customer, agentId: string, filedAt: Date, hours: number, n: number, counters: Counters): Item[] {
  const agent: Principal = { sub: agentId, role: 'service', sites: [customer.siteId] };
  const respondedAt = new Date(filedAt.getTime() + hours * 3_600_000);
  const filed: Complaint = {
    id: `cmp-${n}`,
    number: String(9_000_000_000 + n),
    siteId: customer.siteId,
    customerId: customer.id,
    deliveryId: null,
    callbackId: null,
    category: 'service',
    severity: 'normal',
    channel: 'hotline',
    description: '态度差',
    status: 'received',
    assigneeId: null,
    filedBy: { kind: 'staff', id: agentId },
    respondBy: new Date(filedAt.getTime() + 24 * 3_600_000).toISOString(),
    respondedAt: null,
    responseMinutes: null,
    escalated: false,
    warnedAt: null,
    satisfaction: null,
    createdAt: filedAt.toISOString(),
    updatedAt: filedAt.toISOString(),
    version: 1,
  };
  const answered: Complaint = {
    ...filed,
    status: 'responded',
    respondedAt: respondedAt.toISOString(),
    responseMinutes: hours * 60,
    updatedAt: respondedAt.toISOString(),
    version: 2,
  };
  counters.figures(complaintFiledFigures(filed, agent, TIMEZONE));
  counters.figures(complaintStepFigures(filed, answered, agent, respondedAt, TIMEZONE));
  return [complaintItem(answered), complaintRefItem(answered), complaintNumberItem(answered)];
}

export const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
