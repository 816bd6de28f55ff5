import { expect } from 'vitest';
import type { Principal } from '@guanjia/core';
import { freshPhone, seedSite, type Reply, type TestApi } from './api.ts';
import { NOBODY, plusDays, ReportsModel, type ModelCustomer, type ModelSite } from './reports-model.ts';
import { PERSONS, type Retry, type Step } from './reports-steps.ts';

type People = Awaited<ReturnType<typeof seedSite>>;
export const PLAN_DAYS = [1, 3];
export const ATTEMPTS = 2;
/** The default answer windows (API.md: 24 h, urgent 4 h); a site cannot change them through the API. */
export const ANSWER_HOURS = { normal: 24, urgent: 4 };

/**
 * The sales side of a run of the reports' property (intakes, contacts, follow-ups, edits,
 * conflicts settled, handovers, complaints filed), and the helpers the after-sale side uses:
 * two sites in two zones on a table of their own, the steps sent through the HTTP app as they
 * come and counted by the model as they land.
 */
export class SalesSteps {
  readonly model: ReportsModel;
  protected readonly people = new Map<string, People>();
  protected readonly phones = Array.from({ length: PERSONS }, () => freshPhone());
  protected readonly known = new Map<number, ModelCustomer>();

  constructor(
    protected readonly api: TestApi,
    protected readonly siteIds: [string, string],
  ) {
    this.model = new ReportsModel(() => api.clock.now());
  }

  async seed(timezones: [string, string]): Promise<void> {
    for (const [i, id] of this.siteIds.entries()) {
      const callbackPlan = PLAN_DAYS.map((d) => ({ plan: `P${d}D`, offset: `P${d}D`, checklist: ['drainage'] }));
      const people = await seedSite(this.api, id, { timezone: timezones[i], callbackPlan, callbackAttempts: ATTEMPTS });
      this.people.set(id, people);
      const site: ModelSite = {
        id,
        timezone: timezones[i]!,
        sales: [people.repA.sub, people.repB.sub],
        service: people.service.sub,
        attempts: ATTEMPTS,
      };
      this.model.addSite(site);
    }
    this.model.settle();
  }

  protected siteOf(person: number): string {
    return this.siteIds[person % 2]!;
  }

  protected who(siteId: string, actor: 'rep1' | 'rep2' | 'manager' | 'service'): Principal {
    const p = this.people.get(siteId)!;
    return { rep1: p.repA, rep2: p.repB, manager: p.manager, service: p.service }[actor];
  }

  protected owner(person: number): Principal {
    return { sub: `owner-${this.phones[person]}`, role: 'owner', sites: [], phone: `+86${this.phones[person]}` };
  }

  protected personOf(customerId: string): number {
    return [...this.known].find(([, c]) => c.id === customerId)![0];
  }

  /** The request, sent as the step says: once, then again with its key, or twice at once with it. */
  protected async send(retry: Retry, request: () => Promise<Reply>): Promise<Reply> {
    if (retry === 'once') return request();
    if (retry === 'again') {
      const first = await request();
      const second = await request();
      expect(second.status).toBe(first.status);
      return first;
    }
    const both = await Promise.all([request(), request()]);
    // One of two at once may be told the key is still in use; the other is the answer.
    return both.find((res) => res.body?.code !== 'idempotency_in_progress') ?? both[0]!;
  }

  protected call(who: Principal, method: string, path: string, key: string, body: unknown): Promise<Reply> {
    return this.api.call(who, method, path, { body, headers: { 'Idempotency-Key': key } });
  }

  /** A step on a person's customer; steps of other kinds are the after-sale side's. */
  protected async salesStep(st: Step, key: string): Promise<void> {
    const m = this.model;
    if (st.kind === 'wait' || st.kind === 'job' || st.kind === 'call' || st.kind === 'step') return;
    const siteId = this.siteOf(st.person);
    const c = this.known.get(st.person);
    const mayTouch = (who: Principal) => c !== undefined && (who.role !== 'sales' || c.ownerId === who.sub);

    if (st.kind === 'intake') {
      const who = this.who(siteId, st.actor);
      const body = {
        siteId,
        name: '刘洋',
        phone: this.phones[st.person],
        channel: st.channel,
        ...(st.leadType ? { leadType: st.leadType } : {}),
        ...(st.level ? { intentLevel: st.level } : {}),
        ...(st.referrer !== undefined ? { referredBy: this.phones[st.referrer] } : {}),
      };
      // A referrer must be a customer of the site; one that is not refuses the whole intake.
      const keyPerson = st.referrer === undefined ? undefined : this.known.get(st.referrer);
      const refused = st.referrer !== undefined && keyPerson?.siteId !== siteId;
      const res = await this.send(st.retry, () => this.call(who, 'POST', '/v1/customers', key, body));
      if (refused) {
        expect(res.status).toBe(400);
        expect(res.body.errors).toContainEqual(expect.objectContaining({ path: 'referredBy', code: 'unknown_referrer' }));
        return;
      }
      expect(res.status).toBe(c ? 200 : 201);
      m.countDaily(siteId, who.sub, { receptions: 1, newCustomers: c ? 0 : 1 });
      m.register(siteId, who.sub, st.channel, { receptions: 1, newCustomers: c ? 0 : 1 });
      if (!c) {
        const id = res.body.customer.id as string;
        const customer: ModelCustomer = {
          id,
          siteId,
          ownerId: who.sub,
          stage: 'lead',
          leadType: st.leadType ?? 'direct',
          level: st.level ?? null,
          followUpOpen: st.leadType !== 'potential',
          claimants: [],
        };
        this.known.set(st.person, customer);
        m.customers.push(customer);
        if (keyPerson) m.refer(siteId, keyPerson.id);
        return;
      }
      const conflict = who.role === 'sales' && c.ownerId !== who.sub;
      expect(res.body.attribution.conflict).toBe(conflict);
      if (conflict) c.claimants.push(who.sub);
      return;
    }
    if (!c) return;
    if (st.kind === 'contact') {
      const who = this.who(siteId, st.actor);
      const body = { channel: 'call', summary: '回访', ...(st.level ? { intentLevel: st.level } : {}) };
      const res = await this.send(st.retry, () => this.call(who, 'POST', `/v1/customers/${c.id}/interactions`, key, body));
      expect(res.status).toBe(mayTouch(who) ? 201 : 404);
      if (res.status !== 201) return;
      m.countDaily(siteId, who.sub, { interactions: 1, followUpsDone: c.followUpOpen ? 1 : 0 });
      if (st.level) m.rate(c, st.level);
      c.followUpOpen = c.stage === 'lead' && c.leadType !== 'potential';
    } else if (st.kind === 'complete') {
      const who = this.who(siteId, st.actor);
      const open = await this.api.call(this.who(siteId, 'manager'), 'GET', `/v1/tasks?siteId=${siteId}&kind=follow_up&limit=100`);
      const task = open.body.items.find((t: { customerId: string }) => t.customerId === c.id);
      expect({ openFollowUp: Boolean(task) }).toEqual({ openFollowUp: c.followUpOpen });
      if (!task) return;
      const res = await this.send(st.retry, () => this.call(who, 'POST', `/v1/tasks/${task.id}/complete`, key, { outcome: st.outcome }));
      expect(res.status).toBe(mayTouch(who) ? 200 : 404);
      if (res.status !== 200) return;
      m.countDaily(siteId, who.sub, { interactions: 1, followUpsDone: 1 });
      c.followUpOpen = st.outcome !== 'declined';
    } else if (st.kind === 'edit') {
      const who = this.who(siteId, st.actor);
      const refused = 'stage' in st.patch && c.stage === 'owner';
      const res = await this.send(st.retry, () => this.api.call(who, 'PATCH', `/v1/customers/${c.id}`, { body: st.patch }));
      expect(res.status).toBe(!mayTouch(who) ? 404 : refused ? 409 : 200);
      if (res.status !== 200) return;
      if ('intentLevel' in st.patch) m.rate(c, st.patch.intentLevel);
      if ('leadType' in st.patch) {
        // Into or out of potential, the lead's open review and follow-up trade places.
        const watched = st.patch.leadType === 'potential';
        if (c.stage === 'lead' && watched !== (c.leadType === 'potential')) c.followUpOpen = !watched;
        c.leadType = st.patch.leadType;
      }
      if ('stage' in st.patch && c.stage === 'lead') m.leaveLeads(c, 'customer');
    } else if (st.kind === 'settle') {
      const manager = this.who(siteId, 'manager');
      const open = await this.api.call(manager, 'GET', `/v1/conflicts?siteId=${siteId}&status=open&limit=100`);
      const conflict = open.body.items.find((x: { customerId: string }) => x.customerId === c.id);
      expect({ openConflict: Boolean(conflict) }).toEqual({ openConflict: c.claimants.length > 0 });
      if (!conflict) return;
      expect(c.claimants).toContain(conflict.claimantId);
      const ownerId = st.toClaimant ? (conflict.claimantId as string) : c.ownerId;
      const res = await this.send(st.retry, () => this.call(manager, 'POST', `/v1/conflicts/${conflict.id}/resolve`, key, { ownerId }));
      expect(res.status).toBe(200);
      c.ownerId = ownerId;
      c.claimants = [];
    } else if (st.kind === 'deliver') {
      const who = this.who(siteId, st.actor);
      const deliveredOn = plusDays(m.today(siteId), st.daysFromToday);
      const body = { asset: { kind: 'home', label: `${st.person}栋${key}` }, deliveredOn };
      const res = await this.send(st.retry, () => this.call(who, 'POST', `/v1/customers/${c.id}/deliveries`, key, body));
      expect(res.status).toBe(201);
      const planned = PLAN_DAYS.map((d) => plusDays(deliveredOn, d));
      expect(res.body.callbacks.map((cb: { dueOn: string }) => cb.dueOn)).toEqual(planned);
      m.leaveLeads(c, 'owner');
      for (const [j, cb] of (res.body.callbacks as { taskId: string }[]).entries()) {
        m.callbacks.push({ id: cb.taskId, siteId, kind: 'callback', dueOn: planned[j]!, assigneeId: null, open: true, attempts: 0, complaintId: null });
      }
    } else if (st.kind === 'file') {
      const owner = st.actor === 'owner';
      const who = st.actor === 'owner' ? this.owner(st.person) : this.who(siteId, st.actor);
      const body = {
        customerId: c.id,
        category: st.repair ? 'repair' : 'service',
        severity: st.urgent ? 'urgent' : 'normal',
        channel: owner ? 'mini_program' : 'hotline',
        description: '漏水',
      };
      const res = await this.send(st.retry, () => this.call(who, 'POST', '/v1/complaints', key, body));
      expect(res.status).toBe(owner || mayTouch(who) ? 201 : 404);
      if (res.status !== 201) return;
      this.filed(res.body.complaint.id, c, owner ? NOBODY : who.sub, st.repair, st.urgent);
      expect(Date.parse(res.body.complaint.respondBy)).toBe(m.complaints.at(-1)!.respondBy);
    }
  }

  protected filed(id: string, c: ModelCustomer, by: string, repair: boolean, urgent: boolean): void {
    const now = this.api.clock.now().getTime();
    const hours = urgent ? ANSWER_HOURS.urgent : ANSWER_HOURS.normal;
    this.model.complaints.push({
      id,
      siteId: c.siteId,
      customerId: c.id,
      repair,
      status: 'received',
      createdAt: now,
      respondBy: now + hours * 3_600_000,
      answered: false,
      assigneeId: null,
      version: 1,
    });
    this.model.countService(c.siteId, by, { complaintsFiled: 1 });
  }
}
