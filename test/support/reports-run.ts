import { expect } from 'vitest';
import { createIds, runCallbacksJob } from '@guanjia/core';
import { dayIn, NOBODY, plusDays, type ComplaintStatus } from './reports-model.ts';
import { SalesSteps } from './reports-sales.ts';
import type { ComplaintEvent, Retry, Step } from './reports-steps.ts';

/** The callbacks job runs on the schedule's zone, as EventBridge runs it. */
const JOB_ZONE = 'Asia/Shanghai';

/** API.md's complaint process, written out again: received → responded → resolved → closed, reopen back to responded. */
const NEXT: Record<ComplaintStatus, Partial<Record<ComplaintEvent, ComplaintStatus>>> = {
  received: { respond: 'responded', assign: 'received' },
  responded: { respond: 'responded', assign: 'responded', resolve: 'resolved' },
  resolved: { assign: 'resolved', reopen: 'responded', close: 'closed' },
  closed: { reopen: 'responded' },
};

/** The step that moves a complaint on: answer it, resolve it, close it, or open it again. */
const ADVANCE: Record<ComplaintStatus, ComplaintEvent> = { received: 'respond', responded: 'resolve', resolved: 'close', closed: 'reopen' };

/** A run of the reports' property: the sales steps, and the callbacks and complaint steps after a handover. */
export class ReportsRun extends SalesSteps {
  /** One step, each with an Idempotency-Key of its own; the model settles the day and month after it. */
  async apply(st: Step, i: number): Promise<void> {
    const key = `${this.siteIds[0]}-${i}`;
    if (st.kind === 'wait') this.api.clock.advance(st.minutes * 60_000);
    else if (st.kind === 'job') await this.job(st.retry);
    else if (st.kind === 'call') await this.callback(st, key);
    else if (st.kind === 'step') await this.complaintStep(st, key);
    else await this.salesStep(st, key);
    this.model.settle();
  }

  /** The callbacks job for the schedule's day: every callback due by then that nobody has goes to the site's agent. */
  private async job(retry: Retry): Promise<void> {
    const today = dayIn(this.api.clock.now(), JOB_ZONE);
    const ctx = { store: this.api.table.store, clock: this.api.clock, ids: createIds() };
    const run = () => runCallbacksJob(ctx, today);
    if (retry === 'at_once') await Promise.all([run(), run()]);
    else for (let n = retry === 'again' ? 2 : 1; n > 0; n--) await run();
    for (const cb of this.model.callbacks) {
      if (!cb.open || cb.assigneeId !== null || cb.dueOn > today) continue;
      cb.assigneeId = this.model.sites.get(cb.siteId)!.service;
      this.model.countService(cb.siteId, cb.assigneeId, { callbacksDue: 1 });
    }
  }

  private async callback(st: Extract<Step, { kind: 'call' }>, key: string): Promise<void> {
    const m = this.model;
    const among = st.anyCall ? m.callbacks : m.callbacks.filter((x) => x.open);
    if (among.length === 0) return;
    const cb = among[st.pick % among.length]!;
    const who = this.who(cb.siteId, st.actor);
    const reached = st.outcome === 'reached';
    const body = {
      outcome: st.outcome,
      ...(reached && st.score !== undefined ? { satisfaction: st.score } : {}),
      ...(reached && st.issue ? { issues: [{ category: 'quality', description: '墙面开裂' }] } : {}),
    };
    const res = await this.send(st.retry, () => this.call(who, 'POST', `/v1/tasks/${cb.id}/complete`, key, body));
    expect(res.status).toBe(cb.open ? 200 : 409);
    if (res.status !== 200) return;
    const site = m.sites.get(cb.siteId)!;
    if (st.outcome === 'unreachable' && ++cb.attempts < site.attempts) {
      cb.dueOn = plusDays(m.today(cb.siteId), 1);
    } else {
      cb.open = false;
      // Every call done was due: one worked before anyone was given it is due for whoever closed it.
      const due = cb.assigneeId === null ? 1 : 0;
      m.countService(cb.siteId, who.sub, {
        callbacksDue: due,
        callbacksDone: 1,
        callbacksReached: reached ? 1 : 0,
        callbacksUnreached: st.outcome === 'unreachable' ? 1 : 0,
      });
      if (reached && st.score !== undefined) m.countScore(cb.siteId, who.sub, st.score);
    }
    // The owner's rating of a repair decides its complaint: 3 to 5 closes it, 1 or 2 reopens it.
    const repair = m.complaints.find((x) => x.id === cb.complaintId);
    if (repair?.status === 'resolved' && reached && st.score !== undefined) {
      repair.status = st.score <= 2 ? 'responded' : 'closed';
      repair.version++;
    }
    if (reached && st.issue) {
      const customer = [...this.known.values()].find((c) => c.id === (res.body.customerId as string))!;
      this.filed(`${cb.id}:issue:1`, customer, who.sub, true, false);
    }
  }

  private async complaintStep(st: Extract<Step, { kind: 'step' }>, key: string): Promise<void> {
    const m = this.model;
    if (m.complaints.length === 0) return;
    const cp = m.complaints[st.pick % m.complaints.length]!;
    const event = st.event === 'advance' ? ADVANCE[cp.status] : st.event;
    const owner = st.actor === 'owner';
    const who = st.actor === 'owner' ? this.owner(this.personOf(cp.customerId)) : this.who(cp.siteId, st.actor);
    const assignee = this.who(cp.siteId, st.to).sub;
    const body = { type: event, ...(event === 'assign' ? { assigneeId: assignee } : {}), ...(event === 'close' ? { satisfaction: st.score } : {}) };
    const next = NEXT[cp.status][event];
    const res = await this.send(st.retry, () => this.call(who, 'POST', `/v1/complaints/${cp.id}/events`, key, body));
    expect(res.status).toBe(owner && !['close', 'reopen'].includes(event) ? 403 : next ? 201 : 409);
    if (res.status !== 201) return;
    const now = this.api.clock.now().getTime();
    if (event === 'respond' && !cp.answered) {
      cp.answered = true;
      const minutes = Math.round((now - cp.createdAt) / 60_000);
      m.countService(cp.siteId, who.sub, { complaintsAnswered: 1, complaintsAnsweredInWindow: now <= cp.respondBy ? 1 : 0, responseMinutes: minutes });
    }
    if (event === 'assign') cp.assigneeId = assignee;
    if (event === 'close') m.countScore(cp.siteId, cp.assigneeId ?? (owner ? NOBODY : who.sub), st.score);
    cp.status = next!;
    cp.version++;
    if (event === 'resolve' && cp.repair) {
      const id = `repair_callback:${cp.id}:${cp.version}`;
      m.callbacks.push({
        id,
        siteId: cp.siteId,
        kind: 'repair_callback',
        dueOn: plusDays(m.today(cp.siteId), 1),
        assigneeId: cp.assigneeId,
        open: true,
        attempts: 0,
        complaintId: cp.id,
      });
      if (cp.assigneeId) m.countService(cp.siteId, cp.assigneeId, { callbacksDue: 1 });
    }
  }
}
