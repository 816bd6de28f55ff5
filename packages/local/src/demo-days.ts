import {
  addComplaintEvent,
  addInteraction,
  announcementPurpose,
  completeTask,
  dispatchMessage,
  fileComplaint,
  intake,
  messageId,
  resolveConflict,
  runCallbacksJob,
  updateCustomer,
  type Context,
  type IntentLevel,
  type Principal,
  type SmsSender,
  type Task,
} from '@guanjia/core';
import { CONTACT_NOTES, COMPLAINT_NOTES, dice, INTAKE_MIX, leadTypeOf, nextLevel, personName, pick } from './demo-people.ts';
import { DEMO_SITE } from './seed.ts';

/** A lead as the story remembers it, so that it need not read back what it did. */
interface Lead {
  id: string;
  phone: string;
  ownerId: string;
  level: IntentLevel | null;
  /** Never called again: its follow-up falls overdue, as some do. */
  neglected: boolean;
  lastContact: number;
}

type Step = 'received' | 'responded' | 'resolved';
export interface Story {
  roll: () => number;
  leads: Lead[];
  owners: string[];
  complaints: { id: string; category: keyof typeof COMPLAINT_NOTES; step: Step; since: number }[];
  /** A mobile number nobody in the story has yet. */
  nextPhone: () => string;
  /** Callbacks whose owner does not pick up. */
  unanswered: Set<string>;
}

/** Who acts, each on a clock of their own: the reps and the service desk work side by side. */
export type Lane = 'rep-li' | 'rep-zhao' | 'service' | 'manager';

/** One thing someone did, and how many facts it made. */
export interface Act {
  label: string;
  lane: Lane;
  /** `tick` moves the lane's clock on a little between the facts of one act. */
  run: (ctx: Context, tick: () => void) => Promise<number>;
}

const SITE = DEMO_SITE.id;
const as = (sub: string, role: Principal['role']): Principal => ({ sub, role, sites: [SITE] });
/** The demo site's staff, as the seed creates them. */
export const CAST = {
  manager: as('mgr-demo', 'manager'),
  reps: [as('rep-li', 'sales'), as('rep-zhao', 'sales')],
  agent: as('svc-chen', 'service'),
};

/** The history's SMS went out when they happened, not at the first start: they are recorded as sent, and nobody's console prints them. */
const pastSender: SmsSender = { send: async () => ({ providerId: 'demo-history' }) };
async function sendNow(ctx: Context, ids: string[]): Promise<void> {
  for (const id of ids) await dispatchMessage(ctx, pastSender, id);
}

async function openTasksOf(ctx: Context, assigneeId: string): Promise<Task[]> {
  return (await ctx.store.listTasks({ assigneeId, siteId: SITE, status: 'open' }, { limit: 200 })).items;
}

/** The acts of day `k` of the story, by lane: the service desk's begin with the callbacks job. */
export function dayOfStory(whole: Story, day: string, k: number, callbacksDue: boolean, today: boolean): Act[] {
  // Each lane rolls dice of its own: lanes run side by side, and a shared die would tell another story each time.
  const laneOf = (n: number): Story => ({ ...whole, roll: dice(k * 10 + n) });
  const service = laneOf(1);
  const acts: Act[] = [
    {
      label: 'the callbacks job',
      lane: 'service',
      run: async (ctx) => {
        await runCallbacksJob(ctx, day);
        const given = (await openTasksOf(ctx, CAST.agent.sub)).filter((t) => t.kind === 'callback');
        await sendNow(
          ctx,
          given.map((t) => messageId(announcementPurpose(t), t.id)),
        );
        return 1;
      },
    },
    { label: 'the service desk works its calls', lane: 'service', run: (ctx, tick) => callBacks(service, ctx, tick, day) },
    { label: 'the service desk moves complaints on', lane: 'service', run: (ctx, tick) => complaintsOn(service, ctx, tick, k) },
  ];
  if (!callbacksDue || k % 3 === 0) acts.push({ label: 'an owner complains', lane: 'service', run: (ctx) => complain(service, ctx, k, today) });
  for (const [r, rep] of CAST.reps.entries()) {
    const lane = rep.sub as Lane;
    const view = laneOf(2 + r);
    const newcomers = 1 + (view.roll() < 0.3 ? 1 : 0);
    for (let n = 0; n < newcomers; n++) acts.push({ label: `${rep.sub} takes in a newcomer`, lane, run: (ctx) => takeIn(view, ctx, rep, k) });
    acts.push({ label: `${rep.sub} works the follow-ups`, lane, run: (ctx, tick) => contacts(view, ctx, tick, rep, 2) });
    if ((k + r) % 3 === 1) acts.push({ label: `${rep.sub} signs a contract`, lane, run: (ctx) => sign(view, ctx, rep) });
    if ((k + r) % 4 === 2) acts.push({ label: `a lead of ${rep.sub} comes back`, lane, run: (ctx) => comesBack(view, ctx, rep) });
  }
  // After the reps' day: the manager reaches across both reps' leads.
  const manager = laneOf(4);
  if (k % 5 === 0) acts.push({ label: 'the manager calls a lead', lane: 'manager', run: (ctx, tick) => contacts(manager, ctx, tick, CAST.manager, 1) });
  if (k === 9) acts.push({ label: 'two reps take in the same customer', lane: 'manager', run: (ctx, tick) => collide(manager, ctx, tick) });
  return acts;
}

async function takeIn(story: Story, ctx: Context, rep: Principal, k: number): Promise<number> {
  const { roll } = story;
  const phone = story.nextPhone();
  const level = roll() < 0.5 ? null : pick(roll, ['C', 'B', 'B', 'A'] as const);
  const taken = await intake(ctx, rep, {
    siteId: SITE,
    name: personName(roll),
    phone,
    channel: pick(roll, INTAKE_MIX),
    leadType: leadTypeOf(roll),
    ...(level ? { intentLevel: level } : {}),
    smsConsent: roll() < 0.6,
  });
  if (taken.outcome === 'new') story.leads.push({ id: taken.customer.id, phone, ownerId: rep.sub, level, neglected: roll() < 0.25, lastContact: k });
  return 1;
}

/** Contacts with the leads longest unheard from; now and then a call nobody answers, closing the follow-up as unreached. */
async function contacts(story: Story, ctx: Context, tick: () => void, who: Principal, count: number): Promise<number> {
  const { roll } = story;
  const mine = story.leads.filter((l) => !l.neglected && (who.role === 'manager' || l.ownerId === who.sub));
  const chosen = mine.sort((a, b) => a.lastContact - b.lastContact).slice(0, count);
  for (const lead of chosen) {
    tick();
    lead.lastContact += 1;
    const customer = await ctx.store.getCustomer(lead.id);
    if (roll() < 0.2 && customer?.openFollowUpId && who.sub === lead.ownerId) {
      await completeTask(ctx, who, customer.openFollowUpId, { outcome: 'unreachable', channel: 'call' });
      continue;
    }
    const level = nextLevel(roll, lead.level);
    await addInteraction(ctx, who, lead.id, {
      channel: pick(roll, ['call', 'wechat', 'visit', 'call'] as const),
      summary: pick(roll, CONTACT_NOTES),
      ...(level ? { intentLevel: level } : {}),
    });
    if (level) lead.level = level;
  }
  return chosen.length;
}

async function sign(story: Story, ctx: Context, rep: Principal): Promise<number> {
  const lead = story.leads.find((l) => l.ownerId === rep.sub && (l.level === 'H' || l.level === 'A'));
  if (!lead) return 0;
  await updateCustomer(ctx, rep, lead.id, { stage: 'customer' });
  story.leads.splice(story.leads.indexOf(lead), 1);
  return 1;
}

/** A lead visits again and is registered again: a reception, not a new customer. */
async function comesBack(story: Story, ctx: Context, rep: Principal): Promise<number> {
  const lead = story.leads.find((l) => l.ownerId === rep.sub);
  if (!lead) return 0;
  await intake(ctx, rep, { siteId: SITE, name: '回访客户', phone: lead.phone, channel: 'walk_in' });
  return 1;
}

/** 碰车: the other rep registers a lead of rep-li's; the manager gives it to the newcomer's rep. */
async function collide(story: Story, ctx: Context, tick: () => void): Promise<number> {
  const [li, zhao] = CAST.reps as [Principal, Principal];
  const lead = story.leads.find((l) => l.ownerId === li.sub && !l.neglected);
  if (!lead) return 0;
  await intake(ctx, zhao, { siteId: SITE, name: '碰车客户', phone: lead.phone, channel: 'referral' });
  tick();
  const [conflict] = (await ctx.store.listConflicts({ siteId: SITE, status: 'open' }, { limit: 1 })).items;
  if (conflict) await resolveConflict(ctx, CAST.manager, conflict.id, zhao.sub);
  lead.ownerId = zhao.sub;
  return 2;
}

/** The agent's calls due by today: most reached and rated, some unanswered (tried again tomorrow), a few declined, one finding a repair. */
async function callBacks(story: Story, ctx: Context, tick: () => void, day: string): Promise<number> {
  const { roll } = story;
  const due = (await openTasksOf(ctx, CAST.agent.sub)).filter((t) => t.kind !== 'follow_up' && (t.dueOn ?? '') <= day);
  for (const task of due) {
    tick();
    const r = roll();
    if (task.kind === 'repair_callback') {
      await completeTask(ctx, CAST.agent, task.id, { outcome: 'reached', satisfaction: r < 0.6 ? 5 : 4, note: '维修后回访，业主认可' });
      const closed = story.complaints.findIndex((c) => c.id === task.complaintId);
      if (closed >= 0) story.complaints.splice(closed, 1);
    } else if (story.unanswered.has(task.id) || r < 0.15) {
      // Whoever does not answer once is not answering these days: tried on the next days, then closed as unreached.
      story.unanswered.add(task.id);
      await completeTask(ctx, CAST.agent, task.id, { outcome: 'unreachable' });
    } else if (r < 0.26) await completeTask(ctx, CAST.agent, task.id, { outcome: 'declined', note: '业主表示近期不便' });
    else {
      const checklist = Object.fromEntries((task.checklist ?? []).map((item) => [item, 'ok' as const]));
      const issue = r > 0.88;
      const satisfaction = r < 0.55 ? 5 : r < 0.8 ? 4 : r < 0.95 ? 3 : 2;
      await completeTask(ctx, CAST.agent, task.id, {
        outcome: 'reached',
        satisfaction,
        checklist,
        ...(issue ? { issues: [{ category: 'repair', description: COMPLAINT_NOTES.repair }] } : {}),
      });
      if (issue) {
        const id = `${task.id}:issue:1`;
        story.complaints.push({ id, category: 'repair', step: 'received', since: -1 });
        await sendNow(ctx, [messageId('complaint_ack', id)]);
      }
    }
  }
  return due.length;
}

/** Each complaint takes one step a day: answered and assigned, then resolved, then closed (a repair, by its callback). */
async function complaintsOn(story: Story, ctx: Context, tick: () => void, k: number): Promise<number> {
  const { roll } = story;
  let facts = 0;
  for (const c of story.complaints.filter((c) => c.since !== k)) {
    tick();
    if (c.step === 'received') {
      await addComplaintEvent(ctx, CAST.agent, c.id, { type: 'respond', note: '已致电业主，安排处理' });
      await addComplaintEvent(ctx, CAST.agent, c.id, { type: 'assign', assigneeId: CAST.agent.sub });
      c.step = 'responded';
    } else if (c.step === 'responded') {
      await addComplaintEvent(ctx, CAST.agent, c.id, { type: 'resolve', note: '已处理完毕' });
      c.step = 'resolved';
    } else if (c.category !== 'repair' && c.category !== 'quality') {
      await addComplaintEvent(ctx, CAST.agent, c.id, { type: 'close', satisfaction: roll() < 0.7 ? 5 : 4, note: '业主确认满意' });
      c.step = 'resolved';
      story.complaints.splice(story.complaints.indexOf(c), 1);
    } else continue;
    c.since = k;
    facts++;
  }
  return facts;
}

async function complain(story: Story, ctx: Context, k: number, today: boolean): Promise<number> {
  const { roll } = story;
  const customerId = story.owners[k % Math.max(1, story.owners.length)];
  if (!customerId) return 0;
  const category = pick(roll, ['repair', 'service', 'property', 'quality'] as const);
  // An urgent one left today would fall overdue under the SLA job before anyone could answer it.
  const severity = !today && roll() < 0.2 ? 'urgent' : 'normal';
  const complaint = await fileComplaint(ctx, CAST.agent, { customerId, category, severity, channel: 'hotline', description: COMPLAINT_NOTES[category] });
  story.complaints.push({ id: complaint.id, category, step: 'received', since: k });
  await sendNow(ctx, [messageId('complaint_ack', complaint.id)]);
  return 1;
}
