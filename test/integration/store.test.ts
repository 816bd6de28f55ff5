import { ScanCommand, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  PhoneTakenError,
  VersionConflictError,
  type Customer,
  type IdempotencyRecord,
  type Interaction,
  type Page,
  type PageRequest,
  type Task,
} from '@guanjia/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoStore, claimKey } from '@guanjia/dynamo';
import { createTestTable, type TestTable } from '../support/dynamo.ts';
import { COUNTS_PATH, GUARD_PROBE_PREFIX, GUARD_PROBE_TARGET, SCAN_FORBIDDEN_MESSAGE, SCAN_TARGET, startDynamoProxy } from '../support/dynamo-proxy.ts';
import { aConflict, aNewCustomerFact, aSite, aStaff, aTask, isoAt, newId, uniquePhone } from '../support/fixtures.ts';

let t: TestTable;
beforeAll(async () => {
  t = await createTestTable();
});
afterAll(() => t?.close());

async function allPages<T>(list: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let after: PageRequest['after'];
  for (;;) {
    const page = await list({ limit, ...(after ? { after } : {}) });
    pages.push(page.items);
    if (!page.next) return pages;
    after = page.next;
  }
}

describe('sites and staff', () => {
  it('creates a site once, reads it back exactly, and versions its updates', async () => {
    const site = aSite();
    await t.store.createSite(site);
    expect(await t.store.getSite(site.id)).toStrictEqual(site);
    await expect(t.store.createSite({ ...site, name: 'other' })).rejects.toBeInstanceOf(ConflictError);
    await expect(t.store.createSite(site)).rejects.not.toBeInstanceOf(VersionConflictError);

    await t.store.updateSite({ ...site, name: 'Renamed', version: 2 }, 1);
    await expect(t.store.updateSite({ ...site, name: 'Stale', version: 2 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await t.store.getSite(site.id)).toMatchObject({ name: 'Renamed', version: 2 });
    expect(await t.store.getSite('missing')).toBeNull();
  });

  it('lists the staff of one site only', async () => {
    const [a, b] = [aSite(), aSite()];
    const staffOfA = [aStaff(a.id, { name: 'A1' }), aStaff(a.id, { name: 'A2', role: 'manager', phone: '+8613900000000' })];
    for (const s of [...staffOfA, aStaff(b.id)]) await t.store.createStaff(s);
    await expect(t.store.createStaff(staffOfA[0]!)).rejects.toBeInstanceOf(ConflictError);

    const listed = await t.store.listStaff(a.id);
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(expect.arrayContaining(staffOfA));
    expect(await t.store.getStaff(a.id, staffOfA[1]!.id)).toStrictEqual(staffOfA[1]);
    expect(await t.store.getStaff(b.id, staffOfA[1]!.id)).toBeNull();
  });

  it('keeps the duty rotation under optimistic versions', async () => {
    const siteId = newId();
    const duty = { siteId, staffIds: ['s1', 's2'], turn: 0, updatedAt: isoAt(0), updatedBy: 'm1', version: 1 };
    expect(await t.store.getDuty(siteId)).toBeNull();
    await t.store.saveDuty(duty, null);
    await expect(t.store.saveDuty(duty, null)).rejects.toBeInstanceOf(VersionConflictError);

    await t.store.saveDuty({ ...duty, turn: 1, version: 2 }, 1);
    await expect(t.store.saveDuty({ ...duty, turn: 5, version: 2 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await t.store.getDuty(siteId)).toStrictEqual({ ...duty, turn: 1, version: 2 });
  });
});

describe('customers', () => {
  it('claims the phone, and writes customer, reception, task and consent together', async () => {
    const siteId = newId();
    const fact = aNewCustomerFact(siteId, 'rep1');
    const consent = { phone: fact.customer.phone, granted: true, source: 'reception', by: 'rep1', at: isoAt(0) };
    await t.store.createCustomer({ ...fact, consent });

    expect(await t.store.findCustomerIdByPhone(siteId, fact.customer.phone)).toBe(fact.customer.id);
    const { notes: _, ...needs } = fact.customer.needs;
    expect(await t.store.getCustomer(fact.customer.id)).toStrictEqual({ ...fact.customer, needs });
    expect(await t.store.getTask(fact.task.id)).toStrictEqual(fact.task);
    expect((await t.store.listReceptions(fact.customer.id, { limit: 10 })).items).toStrictEqual([{ ...fact.reception, needs }]);
    const phoneItems = await t.doc.send(
      new QueryCommand({
        TableName: t.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': claimKey(fact.customer.phone, siteId).PK },
      }),
    );
    expect(phoneItems.Items?.map((i) => i.type).sort()).toEqual(['claim', 'consent']);
  });

  it('refuses a phone already claimed at the site, but not at another site', async () => {
    const siteId = newId();
    const first = aNewCustomerFact(siteId, 'rep1');
    await t.store.createCustomer(first);

    const again = aNewCustomerFact(siteId, 'rep2', { phone: first.customer.phone });
    const error = await t.store.createCustomer(again).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneTakenError);
    expect(error).toMatchObject({ siteId, phone: first.customer.phone });
    expect(await t.store.getCustomer(again.customer.id)).toBeNull();
    expect(await t.store.getTask(again.task.id)).toBeNull();

    const elsewhere = aNewCustomerFact(newId(), 'rep3', { phone: first.customer.phone });
    await t.store.createCustomer(elsewhere);
    expect(await t.store.findCustomerIdByPhone(elsewhere.customer.siteId, first.customer.phone)).toBe(elsewhere.customer.id);
    expect(await t.store.findCustomerIdByPhone(siteId, first.customer.phone)).toBe(first.customer.id);
  });

  it('lets exactly one of 20 concurrent claims of one phone win', async () => {
    const siteId = newId();
    const phone = uniquePhone();
    const facts = Array.from({ length: 20 }, (_, i) => aNewCustomerFact(siteId, `rep${i}`, { phone }));
    const results = await Promise.allSettled(facts.map((f) => t.store.createCustomer(f)));

    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [facts[i]!.customer.id] : []));
    const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(loser).toBeInstanceOf(PhoneTakenError);
    expect(await t.store.findCustomerIdByPhone(siteId, phone)).toBe(winners[0]);
  });

  it('saves a customer with its task changes all or nothing, under versions', async () => {
    const fact = aNewCustomerFact(newId(), 'rep1');
    await t.store.createCustomer(fact);
    const closed: Task = { ...fact.task, status: 'done', outcome: 'reached', closedAt: isoAt(30), closedBy: 'rep1', version: 2 };
    const next = aTask(fact.customer, { dueAt: isoAt(3 * 24 * 60) });
    const saved: Customer = { ...fact.customer, intentLevel: 'A', openFollowUpId: next.id, version: 2 };

    const stale = aTask(fact.customer);
    await expect(t.store.updateCustomer({ customer: { ...saved, version: 3 }, expectedVersion: 2, openTask: stale })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await expect(
      t.store.updateCustomer({ customer: saved, expectedVersion: 1, closeTask: { task: closed, expectedVersion: 7 }, openTask: stale }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await t.store.getTask(stale.id)).toBeNull();

    await t.store.updateCustomer({ customer: saved, expectedVersion: 1, closeTask: { task: closed, expectedVersion: 1 }, openTask: next });
    expect(await t.store.getCustomer(saved.id)).toMatchObject({ intentLevel: 'A', openFollowUpId: next.id, version: 2 });
    expect(await t.store.getTask(fact.task.id)).toStrictEqual(closed);
    expect(await t.store.getTask(next.id)).toStrictEqual(next);

    const open = await t.store.listTasks({ assigneeId: 'rep1', siteId: saved.siteId, status: 'open' }, { limit: 10 });
    expect(open.items.map((x) => x.id)).toEqual([next.id]);
    const done = await t.store.listTasks({ siteId: saved.siteId, status: 'done' }, { limit: 10 });
    expect(done.items.map((x) => x.id)).toEqual([fact.task.id]);
  });

  it('records an interaction with its follow-up swap only while the follow-up is the one the contact saw', async () => {
    const fact = aNewCustomerFact(newId(), 'rep1');
    await t.store.createCustomer(fact);
    await t.store.updateCustomer({ customer: { ...fact.customer, name: 'Renamed', version: 2 }, expectedVersion: 1 });
    const contact = (taskId: string | null): Interaction => ({
      id: newId(),
      customerId: fact.customer.id,
      siteId: fact.customer.siteId,
      staffId: 'rep1',
      channel: 'call',
      summary: 'wants a viewing',
      intentLevel: 'A',
      nextFollowUpAt: null,
      taskId,
      at: isoAt(30),
    });
    const closed: Task = { ...fact.task, status: 'done', outcome: 'reached', closedAt: isoAt(30), closedBy: 'rep1', version: 2 };
    const next = aTask(fact.customer, { dueAt: isoAt(3 * 24 * 60) });
    const first = contact(fact.task.id);
    await t.store.recordInteraction({
      interaction: first,
      swap: { from: fact.task.id, to: next.id, close: { task: closed, expectedVersion: 1 }, open: next, intentLevel: 'A', at: isoAt(30) },
    });
    expect(await t.store.getCustomer(fact.customer.id)).toMatchObject({ name: 'Renamed', intentLevel: 'A', openFollowUpId: next.id, version: 3 });
    expect(await t.store.getTask(fact.task.id)).toStrictEqual(closed);

    const late = aTask(fact.customer);
    const second = contact(fact.task.id);
    await expect(
      t.store.recordInteraction({
        interaction: second,
        swap: { from: fact.task.id, to: late.id, close: { task: { ...closed, version: 3 }, expectedVersion: 2 }, open: late, at: isoAt(31) },
      }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(await t.store.getTask(late.id)).toBeNull();
    await t.store.recordInteraction({ interaction: { ...second, taskId: null }, swap: null });
    expect((await t.store.listInteractions(fact.customer.id, { limit: 5 })).items.map((i) => i.id).sort()).toEqual([first.id, second.id].sort());
    expect(await t.store.getCustomer(fact.customer.id)).toMatchObject({ openFollowUpId: next.id, version: 3 });
  });

  it('pages filtered customers newest first, every page full and every customer once', async () => {
    const siteId = newId();
    const levels = ['A', 'B', 'C', null] as const;
    const created: Customer[] = [];
    for (let i = 0; i < 30; i++) {
      const fact = aNewCustomerFact(siteId, i % 3 === 0 ? 'repX' : 'repY', { intentLevel: levels[i % 4]!, createdAt: isoAt(i) });
      await t.store.createCustomer(fact);
      created.push(fact.customer);
    }
    const expected = (keep: (c: Customer) => boolean) =>
      created
        .filter(keep)
        .map((c) => c.id)
        .reverse();

    const all = await allPages((p) => t.store.listCustomers({ siteId }, p), 7);
    expect(all.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
    expect(all.flat().map((c) => c.id)).toEqual(expected(() => true));

    const levelA = await allPages((p) => t.store.listCustomers({ siteId, intentLevel: 'A' }, p), 3);
    expect(levelA.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    expect(levelA.flat().map((c) => c.id)).toEqual(expected((c) => c.intentLevel === 'A'));

    const mineB = await allPages((p) => t.store.listCustomers({ siteId, ownerId: 'repX', intentLevel: 'B', stage: 'lead', leadType: 'direct' }, p), 1);
    expect(mineB.flat().map((c) => c.id)).toEqual(expected((c) => c.ownerId === 'repX' && c.intentLevel === 'B'));
    expect((await t.store.listCustomers({ siteId, stage: 'owner' }, { limit: 5 })).items).toEqual([]);
  });
});

describe('colliding transactions', () => {
  // DynamoDB Local rarely collides on demand, so the collision is injected in front of the real table.
  const collision = () =>
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
    });
  function collidingStore(collisions: number, error: () => Error = collision) {
    let left = collisions;
    const sent = { count: 0 };
    const send = async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      sent.count++;
      if (left-- > 0) throw error();
      return t.doc.send(command);
    };
    return { store: new DynamoStore({ send } as unknown as DynamoDBDocumentClient, t.tableName), sent };
  }

  it('tries a collided transaction again, and a later failed claim is still PhoneTakenError', async () => {
    const first = collidingStore(3);
    const fact = aNewCustomerFact(newId(), 'rep1');
    await first.store.createCustomer(fact);
    expect(first.sent.count).toBe(4);
    expect(await t.store.findCustomerIdByPhone(fact.customer.siteId, fact.customer.phone)).toBe(fact.customer.id);

    const second = collidingStore(1);
    await expect(second.store.createCustomer(aNewCustomerFact(fact.customer.siteId, 'rep2', { phone: fact.customer.phone }))).rejects.toBeInstanceOf(
      PhoneTakenError,
    );
    expect(second.sent.count).toBe(2);
  });

  it('retries a plain write that met a running transaction, and gives up after eight tries', async () => {
    const busy = collidingStore(2, () => new TransactionConflictException({ message: 'busy', $metadata: {} }));
    await busy.store.createSite(aSite());
    expect(busy.sent.count).toBe(3);

    const stuck = collidingStore(Infinity);
    await expect(stuck.store.createCustomer(aNewCustomerFact(newId(), 'rep1'))).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(stuck.sent.count).toBe(8);
  });
});

describe('tasks', () => {
  it('lists by assignee or site, earliest due first, before a bound and of a kind', async () => {
    const siteId = newId();
    const fact = aNewCustomerFact(siteId, 'ann', {});
    await t.store.createCustomer({ ...fact, task: { ...fact.task, dueAt: isoAt(500) } });
    const more = [
      aTask(fact.customer, { assigneeId: 'ann', dueAt: isoAt(100), kind: 'callback' }),
      aTask(fact.customer, { assigneeId: 'bob', dueAt: isoAt(200) }),
      aTask(fact.customer, { assigneeId: 'ann', dueAt: isoAt(300) }),
      aTask(fact.customer, { assigneeId: 'ann', dueAt: isoAt(300), siteId: newId() }),
    ];
    const customer: Customer = { ...fact.customer, version: 2 };
    for (const [i, task] of more.entries()) {
      await t.store.updateCustomer({ customer: { ...customer, version: i + 2 }, expectedVersion: i + 1, openTask: task });
    }
    const ids = (page: Page<Task>) => page.items.map((x) => x.dueAt);

    expect(ids(await t.store.listTasks({ siteId, status: 'open' }, { limit: 10 }))).toEqual([isoAt(100), isoAt(200), isoAt(300), isoAt(500)]);
    expect(ids(await t.store.listTasks({ assigneeId: 'ann', siteId, status: 'open' }, { limit: 10 }))).toEqual([isoAt(100), isoAt(300), isoAt(500)]);
    expect(ids(await t.store.listTasks({ assigneeId: 'ann', status: 'open' }, { limit: 10 }))).toEqual([isoAt(100), isoAt(300), isoAt(300), isoAt(500)]);
    expect(ids(await t.store.listTasks({ siteId, status: 'open', dueBefore: isoAt(300) }, { limit: 10 }))).toEqual([isoAt(100), isoAt(200)]);
    expect(ids(await t.store.listTasks({ siteId, status: 'open', kind: 'follow_up' }, { limit: 10 }))).toEqual([isoAt(200), isoAt(300), isoAt(500)]);
    expect(ids(await t.store.listTasks({ assigneeId: 'ann', siteId, status: 'open', kind: 'callback' }, { limit: 10 }))).toEqual([isoAt(100)]);

    const pages = await allPages((p) => t.store.listTasks({ siteId, status: 'open' }, p), 3);
    expect(pages.map((p) => p.length)).toEqual([3, 1]);
  });
});

describe('conflicts', () => {
  it('settles conflicts, hands the customer over and moves its open tasks', async () => {
    const siteId = newId();
    const fact = aNewCustomerFact(siteId, 'owner1');
    await t.store.createCustomer(fact);
    const second = aTask(fact.customer, { dueAt: isoAt(9000) });
    await t.store.updateCustomer({ customer: { ...fact.customer, version: 2 }, expectedVersion: 1, openTask: second });

    const conflicts = [aConflict(fact.customer, 'rival', { createdAt: isoAt(60) }), aConflict(fact.customer, 'rival', { createdAt: isoAt(70) })];
    for (const c of conflicts) {
      await t.store.recordReception({
        reception: { ...fact.reception, id: c.receptionId, receivedBy: 'rival', conflictId: c.id, at: c.createdAt },
        conflict: c,
      });
    }
    expect((await t.store.listOpenConflictsOfCustomer(fact.customer.id)).map((c) => c.id).sort()).toEqual(conflicts.map((c) => c.id).sort());
    expect((await t.store.listConflicts({ siteId, status: 'open' }, { limit: 10 })).items).toStrictEqual([...conflicts].reverse());
    expect(await t.store.getConflict(conflicts[0]!.id)).toStrictEqual(conflicts[0]);
    expect((await t.store.listReceptions(fact.customer.id, { limit: 10 })).items).toHaveLength(3);

    const resolved = conflicts.map((c) => ({ ...c, status: 'resolved' as const, resolvedAt: isoAt(100), resolvedBy: 'mgr', decidedOwnerId: 'rival' }));
    const handedOver: Customer = { ...fact.customer, ownerId: 'rival', version: 3 };
    const moved = [fact.task, second].map((task) => ({ task: { ...task, assigneeId: 'rival', version: 2 }, expectedVersion: 1 }));
    await expect(t.store.resolveConflicts({ conflicts: resolved, customer: handedOver, expectedVersion: 1, movedTasks: moved })).rejects.toBeInstanceOf(
      VersionConflictError,
    );
    await t.store.resolveConflicts({ conflicts: resolved, customer: handedOver, expectedVersion: 2, movedTasks: moved });

    expect(await t.store.listOpenConflictsOfCustomer(fact.customer.id)).toEqual([]);
    expect((await t.store.listConflicts({ siteId, status: 'resolved' }, { limit: 10 })).items).toStrictEqual([...resolved].reverse());
    const ownedBy = async (ownerId: string) => (await t.store.listCustomers({ siteId, ownerId }, { limit: 10 })).items.map((c) => c.id);
    expect(await ownedBy('rival')).toEqual([fact.customer.id]);
    expect(await ownedBy('owner1')).toEqual([]);
    const assigned = async (assigneeId: string) => (await t.store.listTasks({ assigneeId, status: 'open' }, { limit: 10 })).items.map((x) => x.id);
    expect(await assigned('rival')).toEqual([fact.task.id, second.id]);
    expect(await assigned('owner1')).toEqual([]);

    const again = t.store.resolveConflicts({ conflicts: resolved, customer: { ...handedOver, version: 4 }, expectedVersion: 3, movedTasks: [] });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.not.toBeInstanceOf(VersionConflictError);
  });
});

describe('idempotency', () => {
  const record = (over: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
    scope: 'POST /customers',
    key: newId(),
    requestHash: 'h1',
    state: 'pending',
    createdAt: isoAt(0),
    expiresAt: Math.floor(Date.parse(isoAt(24 * 60)) / 1000),
    ...over,
  });

  // No pending record is old enough to be taken over: only the key's own rules apply.
  const NONE_STALE = isoAt(-1);

  it('holds a key once, completes it, and releases only a pending one', async () => {
    const pending = record();
    expect(await t.store.beginIdempotency(pending, NONE_STALE)).toBe(true);
    expect(await t.store.beginIdempotency({ ...pending, requestHash: 'h2' }, NONE_STALE)).toBe(false);
    expect(await t.store.getIdempotency(pending.scope, pending.key)).toStrictEqual(pending);

    const done = { ...pending, state: 'done' as const, status: 201, body: '{"id":"c1"}' };
    await t.store.completeIdempotency(done);
    await t.store.releaseIdempotency(pending.scope, pending.key);
    expect(await t.store.getIdempotency(pending.scope, pending.key)).toStrictEqual(done);

    const failed = record();
    await t.store.beginIdempotency(failed, NONE_STALE);
    await t.store.releaseIdempotency(failed.scope, failed.key);
    expect(await t.store.getIdempotency(failed.scope, failed.key)).toBeNull();
    expect(await t.store.beginIdempotency(failed, NONE_STALE)).toBe(true);
    await t.store.releaseIdempotency('never', 'held');
  });

  it('lets a retry take over a key left pending by a request that died, but not one still fresh or done', async () => {
    const abandoned = record({ createdAt: isoAt(0) });
    expect(await t.store.beginIdempotency(abandoned, NONE_STALE)).toBe(true);
    expect(await t.store.beginIdempotency({ ...abandoned, createdAt: isoAt(1) }, isoAt(0))).toBe(false);
    expect(await t.store.beginIdempotency({ ...abandoned, createdAt: isoAt(2) }, isoAt(1))).toBe(true);
    expect((await t.store.getIdempotency(abandoned.scope, abandoned.key))?.createdAt).toBe(isoAt(2));

    const done = record({ state: 'done', status: 201, body: '{}' });
    await t.store.completeIdempotency(done);
    expect(await t.store.beginIdempotency({ ...done, state: 'pending', createdAt: isoAt(5) }, isoAt(4))).toBe(false);
  });

  it('lets a new request take over a key past its expiry that TTL has not removed yet', async () => {
    const old = record({ createdAt: isoAt(0), expiresAt: Math.floor(Date.parse(isoAt(60)) / 1000) });
    expect(await t.store.beginIdempotency(old, NONE_STALE)).toBe(true);
    expect(await t.store.beginIdempotency({ ...old, createdAt: isoAt(59) }, NONE_STALE)).toBe(false);
    expect(await t.store.beginIdempotency({ ...old, createdAt: isoAt(61), requestHash: 'h2' }, NONE_STALE)).toBe(true);
  });
});

describe('the scan guard', () => {
  it('refuses a Scan through the harness and counts it', async () => {
    const counts = async () => (await (await fetch(`${inject('dynamoEndpoint')}${COUNTS_PATH}`)).json()) as Record<string, number>;
    const before = await counts();
    const scan = t.client.send(new ScanCommand({ TableName: `${GUARD_PROBE_PREFIX}${newId()}` }));
    await expect(scan).rejects.toMatchObject({ name: 'ValidationException', message: SCAN_FORBIDDEN_MESSAGE });
    const after = await counts();
    expect((after[GUARD_PROBE_TARGET] ?? 0) - (before[GUARD_PROBE_TARGET] ?? 0)).toBeGreaterThanOrEqual(1);
  });

  it('counts a real Scan apart from the operations it lets through', async () => {
    // A proxy of its own in front of the run's proxy: the Scan stops here and never reaches the guarded count.
    const proxy = await startDynamoProxy(inject('dynamoEndpoint'));
    const { createDocumentClient, DynamoStore } = await import('@guanjia/dynamo');
    const doc = createDocumentClient({ endpoint: proxy.endpoint, region: 'local' });
    try {
      expect(await new DynamoStore(doc, t.tableName).getSite('missing')).toBeNull();
      await expect(doc.send(new ScanCommand({ TableName: t.tableName }))).rejects.toThrow(SCAN_FORBIDDEN_MESSAGE);
      expect(proxy.counts()).toEqual({ 'DynamoDB_20120810.GetItem': 1, [SCAN_TARGET]: 1 });
      proxy.reset();
      expect(proxy.counts()).toEqual({});
    } finally {
      doc.destroy();
      await proxy.close();
    }
  });
});
