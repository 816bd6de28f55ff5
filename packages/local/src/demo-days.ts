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
import { CONTACT_NOTES, COMPLAINT_NOTES, demoPhone, INTAKE_MIX, leadTypeOf, nextLevel, personName, pick } from './demo-people.ts';
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
  ctx: Context;
  clock: { at: Date };
  roll: () => number;
  leads: Lead[];
  owners: string[];
  complaints: { id: string; category: keyof typeof COMPLAINT_NOTES; step: Step; since: number }[];
  phones: number;
  /** Callbacks whose owner does not pick up. */
  unanswered: Set<string>;
  /** Moves the clock on a little between the facts of one act. */
  tick: () => void;
}

/** One thing someone did, and how many facts it made. */
export interface Act {
  label: string;
  run: () => Promise<number>;
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

/** The acts of day `k` of the story: the callbacks job first, then the reps and the service desk in turn. */
export function dayOfStory(story: Story, day: string, k: number, callbacksDue: boolean, today: boolean): Act[] {
  const { ctx, roll } = story;
  const acts: Act[] = [
    {
      label: 'the callbacks job',
      run: async () => {
        await runCallbacksJob(ctx, day);
        const given = (await openTasksOf(ctx, CAST.agent.sub)).filter((t) => t.kind === 'callback');
        await sendNow(
          ctx,
          given.map((t) => messageId(announcementPurpose(t), t.id)),
        );
        return 1;
      },
    },
  ];
  for (const [r, rep] of CAST.reps.entries()) {
    const newcomers = 1 + (roll() < 0.5 ? 1 : 0);
    for (let n = 0; n < newcomers; n++) acts.push({ label: `${rep.sub} takes in a newcomer`, run: () => takeIn(story, rep, k) });
    acts.push({ label: `${rep.sub} works the follow-ups`, run: () => contacts(story, rep, 2 + ((k + r) % 2)) });
    if ((k + r) % 3 === 1) acts.push({ label: `${rep.sub} signs a contract`, run: () => sign(story, rep) });
    if ((k + r) % 4 === 2) acts.push({ label: `a lead of ${rep.sub} comes back`, run: () => comesBack(story, rep) });
  }
  if (k % 5 === 0) acts.push({ label: 'the manager calls a lead', run: () => contacts(story, CAST.manager, 1) });
  if (k === 9) acts.push({ label: 'two reps take in the same customer', run: () => collide(story) });
  acts.push({ label: 'the service desk works its calls', run: () => callBacks(story, day) });
  acts.push({ label: 'the service desk moves complaints on', run: () => complaintsOn(story, k) });
  if (!callbacksDue || k % 3 === 0) acts.push({ label: 'an owner complains', run: () => complain(story, k, today) });
  return acts;
}

async function takeIn(story: Story, rep: Principal, k: number): Promise<number> {
  const { ctx, roll } = story;
  const phone = demoPhone(++story.phones);
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
  if (taken.outcome === 'new')
    story.leads.push({ id: taken.customer.id, phone, ownerId: rep.sub, level, neglected: story.leads.length % 4 === 3, lastContact: k });
  return 1;
}

/** Contacts with the leads longest unheard from; now and then a call nobody answers, closing the follow-up as unreached. */
async function contacts(story: Story, who: Principal, count: number): Promise<number> {
  const { ctx, roll } = story;
  const mine = story.leads.filter((l) => !l.neglected && (who.role === 'manager' || l.ownerId === who.sub));
  const chosen = mine.sort((a, b) => a.lastContact - b.lastContact).slice(0, count);
  for (const lead of chosen) {
    story.tick();
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

async function sign(story: Story, rep: Principal): Promise<number> {
  const lead = story.leads.find((l) => l.ownerId === rep.sub && (l.level === 'H' || l.level === 'A'));
  if (!lead) return 0;
  await updateCustomer(story.ctx, rep, lead.id, { stage: 'customer' });
  story.leads = story.leads.filter((l) => l !== lead);
  return 1;
}

/** A lead visits again and is registered again: a reception, not a new customer. */
async function comesBack(story: Story, rep: Principal): Promise<number> {
  const lead = story.leads.find((l) => l.ownerId === rep.sub);
  if (!lead) return 0;
  await intake(story.ctx, rep, { siteId: SITE, name: '回访客户', phone: lead.phone, channel: 'walk_in' });
  return 1;
}

/** 碰车: the other rep registers a lead of rep-li's; the manager gives it to the newcomer's rep. */
async function collide(story: Story): Promise<number> {
  const [li, zhao] = CAST.reps as [Principal, Principal];
  const lead = story.leads.find((l) => l.ownerId === li.sub && !l.neglected);
  if (!lead) return 0;
  await intake(story.ctx, zhao, { siteId: SITE, name: '碰车客户', phone: lead.phone, channel: 'referral' });
  story.tick();
  const [conflict] = (await story.ctx.store.listConflicts({ siteId: SITE, status: 'open' }, { limit: 1 })).items;
  if (conflict) await resolveConflict(story.ctx, CAST.manager, conflict.id, zhao.sub);
  lead.ownerId = zhao.sub;
  return 2;
}

/** The agent's calls due by today: most reached and rated, some unanswered (tried again tomorrow), a few declined, one finding a repair. */
async function callBacks(story: Story, day: string): Promise<number> {
  const { ctx, roll } = story;
  const due = (await openTasksOf(ctx, CAST.agent.sub)).filter((t) => t.kind !== 'follow_up' && (t.dueOn ?? '') <= day);
  for (const task of due) {
    story.tick();
    const r = roll();
    if (task.kind === 'repair_callback') {
      await completeTask(ctx, CAST.agent, task.id, { outcome: 'reached', satisfaction: r < 0.6 ? 5 : 4, note: '维修后回访，业主认可' });
      story.complaints = story.complaints.filter((c) => c.id !== task.complaintId);
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
async function complaintsOn(story: Story, k: number): Promise<number> {
  const { ctx, roll } = story;
  let facts = 0;
  for (const c of story.complaints.filter((c) => c.since !== k)) {
    story.tick();
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
      story.complaints = story.complaints.filter((x) => x !== c);
    } else continue;
    c.since = k;
    facts++;
  }
  return facts;
}

async function complain(story: Story, k: number, today: boolean): Promise<number> {
  const { ctx, roll } = story;
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
