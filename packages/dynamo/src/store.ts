import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  ConflictError,
  PhoneTakenError,
  VersionConflictError,
  type Campaign,
  type Complaint,
  type ComplaintEntry,
  type Conflict,
  type ConflictStatus,
  type ConsentRecord,
  type Customer,
  type CustomerQuery,
  type Delivery,
  type Duty,
  type FollowUpSwap,
  type IdempotencyRecord,
  type JobState,
  type Turn,
  type Interaction,
  type OutboxMessage,
  type Page,
  type PageRequest,
  type Reception,
  type Site,
  type Staff,
  type Store,
  type Task,
  type TaskQuery,
} from '@guanjia/core';
import {
  birthdayItem,
  campaignDueItem,
  campaignItem,
  claimItem,
  complaintEntryItem,
  complaintItem,
  complaintRefItem,
  conflictItem,
  consentItem,
  customerItem,
  deliveryItem,
  dutyItem,
  idempotencyItem,
  jobStateItem,
  turnItem,
  messageItem,
  receptionItem,
  siteItem,
  staffItem,
  taskItem,
  toRecordOrNull,
  type Item,
} from './items.ts';
import {
  INTERACTION_PREFIX,
  RECEPTION_PREFIX,
  STAFF_PREFIX,
  birthdayKey,
  claimKey,
  CLAIM_PREFIX,
  claimsOfPhonePk,
  COMPLAINT_ENTRY_PREFIX,
  complaintEntriesPk,
  complaintKey,
  conflictKey,
  customerKey,
  DELIVERY_PREFIX,
  deliveriesOfCustomerPk,
  deliveryKey,
  dutyKey,
  healthKey,
  idempotencyKey,
  interactionsOfCustomerPk,
  jobStateKey,
  turnKey,
  messageKey,
  receptionsOfCustomerPk,
  siteKey,
  staffKey,
  staffOfSitePk,
  taskKey,
  type Key,
} from './keys.ts';
import { complaintNoteWrites, interactionWrites } from './appends.ts';
import { queryAll, queryPage } from './paging.ts';
import { getCampaign, listBirthdayCustomers, listCampaignsDue } from './care-store.ts';
import { complaintNumberClaim, findComplaintIdByNumber } from './complaint-numbers.ts';
import { listComplaintsOfCustomers } from './complaint-refs.ts';
import { countCareSent, latestConsent, listDeferredDue, listQueuedSince } from './outbox-store.ts';
import { complaintsOfSiteQuery, unansweredComplaintsQuery, conflictsOfCustomerQuery, conflictsOfSiteQuery, customersQuery, messagesOfCustomerQuery, partitionQuery, tasksQuery, unannouncedCallbacksQuery } from './queries.ts';
import { putNew, putVersioned, retryTransactionConflicts, writeAtomically, type GuardedPut, type GuardedWrite } from './transact.ts';

const versionConflict = (what: string, id: string) => () => new VersionConflictError(`${what} ${id} was changed by someone else`, { id });
const exists = (what: string, id: string) => () => new ConflictError(`${what} ${id} exists already`, { id });

/** The `Store` port on the one table. No Scan: every read is a GetItem or a Query on a named index. */
export class DynamoStore implements Store {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  createSite(site: Site): Promise<void> {
    return this.write([putNew(siteItem(site), exists('site', site.id))]);
  }

  getSite(id: string): Promise<Site | null> {
    return this.get(siteKey(id), false);
  }

  updateSite(site: Site, expectedVersion: number): Promise<void> {
    return this.write([putVersioned(siteItem(site), expectedVersion, versionConflict('site', site.id))]);
  }

  createStaff(staff: Staff): Promise<void> {
    return this.write([putNew(staffItem(staff), exists('staff', staff.id))]);
  }

  getStaff(siteId: string, staffId: string): Promise<Staff | null> {
    return this.get(staffKey(siteId, staffId), false);
  }

  listStaff(siteId: string): Promise<Staff[]> {
    return queryAll(this.doc, partitionQuery(this.tableName, staffOfSitePk(siteId), STAFF_PREFIX, true));
  }

  getDuty(siteId: string): Promise<Duty | null> {
    return this.get(dutyKey(siteId), true);
  }

  saveDuty(duty: Duty, expectedVersion: number | null): Promise<void> {
    const conflict = versionConflict('duty of site', duty.siteId);
    // A duty that appeared since the caller saw none is the same race as a moved version.
    const put = expectedVersion === null ? putNew(dutyItem(duty), conflict) : putVersioned(dutyItem(duty), expectedVersion, conflict);
    return this.write([put]);
  }

  async findCustomerIdByPhone(siteId: string, phone: string): Promise<string | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: claimKey(phone, siteId), ConsistentRead: true }));
    const customerId = out.Item?.customerId;
    return typeof customerId === 'string' ? customerId : null;
  }

  createCustomer(fact: { customer: Customer; reception: Reception; task: Task; consent?: ConsentRecord }): Promise<void> {
    const { customer, reception, task, consent } = fact;
    return this.write([
      putNew(claimItem(customer), () => new PhoneTakenError(customer.siteId, customer.phone)),
      putNew(customerItem(customer), exists('customer', customer.id)),
      putNew(receptionItem(reception), exists('reception', reception.id)),
      putNew(taskItem(task), exists('task', task.id)),
      ...(consent ? [this.consentPut(consent)] : []),
      ...(customer.birthday ? [{ Item: birthdayItem({ ...customer, birthday: customer.birthday }) }] : []),
    ]);
  }

  recordReception(fact: { reception: Reception; conflict: Conflict | null }): Promise<void> {
    const { reception, conflict } = fact;
    return this.write([
      putNew(receptionItem(reception), exists('reception', reception.id)),
      ...(conflict ? [putNew(conflictItem(conflict), exists('conflict', conflict.id))] : []),
    ]);
  }

  getCustomer(id: string): Promise<Customer | null> {
    return this.get(customerKey(id), true);
  }

  listCustomers(query: CustomerQuery, page: PageRequest): Promise<Page<Customer>> {
    return queryPage(this.doc, customersQuery(this.tableName, query), page);
  }

  listReceptions(customerId: string, page: PageRequest): Promise<Page<Reception>> {
    return queryPage(this.doc, partitionQuery(this.tableName, receptionsOfCustomerPk(customerId), RECEPTION_PREFIX, false), page);
  }

  updateCustomer(fact: {
    customer: Customer;
    expectedVersion: number;
    closeTask?: { task: Task; expectedVersion: number };
    openTask?: Task;
    consent?: ConsentRecord;
    previousBirthday?: string | null;
  }): Promise<void> {
    const { customer, closeTask, openTask, consent } = fact;
    const puts: GuardedWrite[] = [putVersioned(customerItem(customer), fact.expectedVersion, versionConflict('customer', customer.id))];
    if (closeTask) puts.push(putVersioned(taskItem(closeTask.task), closeTask.expectedVersion, versionConflict('task', closeTask.task.id)));
    if (openTask) puts.push(putNew(taskItem(openTask), exists('task', openTask.id)));
    if (consent) puts.push(this.consentPut(consent));
    // The customer's version check makes `previousBirthday` the stored one, so the old entry is the one to go.
    const was = fact.previousBirthday;
    if (was !== undefined && was !== customer.birthday) {
      if (was) puts.push({ Delete: birthdayKey(was, customer.id) });
      if (customer.birthday) puts.push({ Item: birthdayItem({ ...customer, birthday: customer.birthday }) });
    }
    return this.write(puts);
  }

  listBirthdayCustomers(mmdd: string): Promise<string[]> {
    return listBirthdayCustomers(this.doc, this.tableName, mmdd);
  }

  recordInteraction(fact: { interaction: Interaction; swap: FollowUpSwap | null }): Promise<void> {
    return this.write(interactionWrites(fact.interaction, fact.swap));
  }

  listInteractions(customerId: string, page: PageRequest): Promise<Page<Interaction>> {
    return queryPage(this.doc, partitionQuery(this.tableName, interactionsOfCustomerPk(customerId), INTERACTION_PREFIX, false), page);
  }

  getTask(id: string): Promise<Task | null> {
    return this.get(taskKey(id), true);
  }

  listTasks(query: TaskQuery, page: PageRequest): Promise<Page<Task>> {
    return queryPage(this.doc, tasksQuery(this.tableName, query), page);
  }

  saveTask(task: Task, expectedVersion: number): Promise<void> {
    return this.write([putVersioned(taskItem(task), expectedVersion, versionConflict('task', task.id))]);
  }

  createDelivery(fact: {
    delivery: Delivery;
    customer: Customer;
    expectedVersion: number;
    closeTask?: { task: Task; expectedVersion: number };
    callbacks: Task[];
  }): Promise<void> {
    const { delivery, customer, closeTask, callbacks } = fact;
    return this.write([
      putNew(deliveryItem(delivery), exists('delivery', delivery.id)),
      putVersioned(customerItem(customer), fact.expectedVersion, versionConflict('customer', customer.id)),
      ...(closeTask ? [putVersioned(taskItem(closeTask.task), closeTask.expectedVersion, versionConflict('task', closeTask.task.id))] : []),
      ...callbacks.map((task) => putNew(taskItem(task), exists('callback', task.id))),
    ]);
  }

  getDelivery(customerId: string, id: string): Promise<Delivery | null> {
    return this.get(deliveryKey(customerId, id), true);
  }

  listDeliveries(customerId: string): Promise<Delivery[]> {
    return queryAll(this.doc, partitionQuery(this.tableName, deliveriesOfCustomerPk(customerId), DELIVERY_PREFIX, true));
  }

  updateDelivery(fact: { delivery: Delivery; expectedVersion: number; movedTasks: { task: Task; expectedVersion: number }[] }): Promise<void> {
    return this.write([
      putVersioned(deliveryItem(fact.delivery), fact.expectedVersion, versionConflict('delivery', fact.delivery.id)),
      ...fact.movedTasks.map((m) => putVersioned(taskItem(m.task), m.expectedVersion, versionConflict('task', m.task.id))),
    ]);
  }

  getConflict(id: string): Promise<Conflict | null> {
    return this.get(conflictKey(id), true);
  }

  listConflicts(query: { siteId: string; status: ConflictStatus }, page: PageRequest): Promise<Page<Conflict>> {
    return queryPage(this.doc, conflictsOfSiteQuery(this.tableName, query.siteId, query.status), page);
  }

  listOpenConflictsOfCustomer(customerId: string): Promise<Conflict[]> {
    return queryAll(this.doc, conflictsOfCustomerQuery(this.tableName, customerId, 'open'));
  }

  resolveConflicts(fact: {
    conflicts: Conflict[];
    customer: Customer;
    expectedVersion: number;
    movedTasks: { task: Task; expectedVersion: number }[];
  }): Promise<void> {
    const settle = (c: Conflict): GuardedPut => ({
      Item: conflictItem(c),
      ConditionExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':open': 'open' },
      onConditionFailed: () => new ConflictError(`conflict ${c.id} is not open`, { id: c.id }),
    });
    return this.write([
      ...fact.conflicts.map(settle),
      putVersioned(customerItem(fact.customer), fact.expectedVersion, versionConflict('customer', fact.customer.id)),
      ...fact.movedTasks.map((m) => putVersioned(taskItem(m.task), m.expectedVersion, versionConflict('task', m.task.id))),
    ]);
  }

  createComplaint(fact: { complaint: Complaint; entry: ComplaintEntry; message: OutboxMessage | null }): Promise<void> {
    return this.write([
      putNew(complaintItem(fact.complaint), exists('complaint', fact.complaint.id)),
      complaintNumberClaim(fact.complaint),
      { Item: complaintRefItem(fact.complaint) },
      putNew(complaintEntryItem(fact.entry), exists('complaint entry', fact.entry.id)),
      ...(fact.message ? [putNew(messageItem(fact.message), exists('message', fact.message.id))] : []),
    ]);
  }

  getComplaint(id: string): Promise<Complaint | null> {
    return this.get(complaintKey(id), true);
  }

  findComplaintIdByNumber(number: string): Promise<string | null> {
    return findComplaintIdByNumber(this.doc, this.tableName, number);
  }

  updateComplaint(fact: { complaint: Complaint; expectedVersion: number; entry: ComplaintEntry; openTask?: Task }): Promise<void> {
    return this.write([
      putVersioned(complaintItem(fact.complaint), fact.expectedVersion, versionConflict('complaint', fact.complaint.id)),
      putNew(complaintEntryItem(fact.entry), exists('complaint entry', fact.entry.id)),
      ...(fact.openTask ? [putNew(taskItem(fact.openTask), exists('task', fact.openTask.id))] : []),
    ]);
  }

  completeRepairCallback(fact: { task: Task; expectedVersion: number; complaint: { complaint: Complaint; expectedVersion: number; entry: ComplaintEntry } | null }): Promise<void> {
    const { complaint } = fact;
    return this.write([
      putVersioned(taskItem(fact.task), fact.expectedVersion, versionConflict('task', fact.task.id)),
      ...(complaint
        ? [
            putVersioned(complaintItem(complaint.complaint), complaint.expectedVersion, versionConflict('complaint', complaint.complaint.id)),
            putNew(complaintEntryItem(complaint.entry), exists('complaint entry', complaint.entry.id)),
          ]
        : []),
    ]);
  }

  addComplaintNote(entry: ComplaintEntry): Promise<void> {
    return this.write(complaintNoteWrites(entry));
  }

  listComplaintEntries(complaintId: string): Promise<ComplaintEntry[]> {
    return queryAll(this.doc, partitionQuery(this.tableName, complaintEntriesPk(complaintId), COMPLAINT_ENTRY_PREFIX, true));
  }

  listComplaints(query: { siteId: string; status?: Complaint['status'] }, page: PageRequest): Promise<Page<Complaint>> {
    return queryPage(this.doc, complaintsOfSiteQuery(this.tableName, query.siteId, query.status), page);
  }

  async listUnanswered(before: string, limit: number): Promise<Complaint[]> {
    return (await queryPage<Complaint>(this.doc, unansweredComplaintsQuery(this.tableName, before), { limit })).items;
  }

  saveSlaStep(fact: { complaint: Complaint; expectedVersion: number; entry: ComplaintEntry; tasks: Task[]; messages: OutboxMessage[] }): Promise<void> {
    return this.write([
      putVersioned(complaintItem(fact.complaint), fact.expectedVersion, versionConflict('complaint', fact.complaint.id)),
      putNew(complaintEntryItem(fact.entry), exists('complaint entry', fact.entry.id)),
      ...fact.tasks.map((t) => putNew(taskItem(t), exists('task', t.id))),
      ...fact.messages.map((m) => putNew(messageItem(m), exists('message', m.id))),
    ]);
  }

  async customerIdsByPhone(phone: string): Promise<string[]> {
    const claims = await queryAll<{ customerId: string }>(this.doc, partitionQuery(this.tableName, claimsOfPhonePk(phone), CLAIM_PREFIX, true));
    return claims.map((c) => c.customerId);
  }

  listComplaintsOfCustomers(customerIds: string[], page: PageRequest): Promise<Page<Complaint>> {
    return listComplaintsOfCustomers(this.doc, this.tableName, customerIds, page);
  }

  async listUnannouncedCallbacks(dueOnOrBefore: string, limit: number): Promise<Task[]> {
    const tasks: Task[] = [];
    let after: PageRequest['after'];
    do {
      const page: Page<Task> = await queryPage(this.doc, unannouncedCallbacksQuery(this.tableName, dueOnOrBefore), { limit: Math.min(100, limit - tasks.length), ...(after ? { after } : {}) });
      tasks.push(...page.items);
      after = page.next ?? undefined;
    } while (after && tasks.length < limit);
    return tasks;
  }

  announceCallback(fact: { task: Task; expectedVersion: number; message: OutboxMessage }): Promise<void> {
    return this.write([
      putVersioned(taskItem(fact.task), fact.expectedVersion, versionConflict('task', fact.task.id)),
      putNew(messageItem(fact.message), exists('message', fact.message.id)),
    ]);
  }

  getJobState(job: string): Promise<JobState | null> {
    return this.get(jobStateKey(job), true);
  }

  saveJobState(state: JobState, expectedVersion: number | null): Promise<void> {
    const conflict = versionConflict('job state', state.job);
    return this.write([expectedVersion === null ? putNew(jobStateItem(state), conflict) : putVersioned(jobStateItem(state), expectedVersion, conflict)]);
  }

  getTurn(siteId: string, rotation: string): Promise<Turn | null> {
    return this.get(turnKey(siteId, rotation), true);
  }

  saveTurn(turn: Turn, expectedVersion: number | null): Promise<void> {
    const conflict = versionConflict('turn of site', turn.siteId);
    return this.write([expectedVersion === null ? putNew(turnItem(turn), conflict) : putVersioned(turnItem(turn), expectedVersion, conflict)]);
  }

  async enqueueMessages(messages: OutboxMessage[]): Promise<number> {
    // Each on its own: a message queued before under the same deterministic id is not queued again.
    let queued = 0;
    for (const message of messages) {
      try {
        await this.write([putNew(messageItem(message), exists('message', message.id))]);
        queued++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    return queued;
  }

  getMessage(id: string): Promise<OutboxMessage | null> {
    return this.get(messageKey(id), true);
  }

  saveMessage(message: OutboxMessage, expectedVersion: number): Promise<void> {
    return this.write([putVersioned(messageItem(message), expectedVersion, versionConflict('message', message.id))]);
  }

  listMessagesOfCustomer(customerId: string, page: PageRequest): Promise<Page<OutboxMessage>> {
    return queryPage(this.doc, messagesOfCustomerQuery(this.tableName, customerId), page);
  }

  countCareSent(customerId: string, since: string): Promise<number> {
    return countCareSent(this.doc, this.tableName, customerId, since);
  }

  listDeferredDue(now: string, limit: number): Promise<OutboxMessage[]> {
    return listDeferredDue(this.doc, this.tableName, now, limit);
  }

  listQueuedSince(before: string, limit: number): Promise<OutboxMessage[]> {
    return listQueuedSince(this.doc, this.tableName, before, limit);
  }

  latestConsent(phone: string): Promise<ConsentRecord | null> {
    return latestConsent(this.doc, this.tableName, phone);
  }

  recordConsent(consent: ConsentRecord): Promise<void> {
    return this.write([this.consentPut(consent)]);
  }

  createCampaign(campaign: Campaign): Promise<void> {
    return this.write([putNew(campaignItem(campaign), exists('campaign', campaign.id)), putNew(campaignDueItem(campaign), exists('campaign', campaign.id))]);
  }

  getCampaign(id: string): Promise<Campaign | null> {
    return getCampaign(this.doc, this.tableName, id);
  }

  listCampaignsDue(day: string): Promise<Campaign[]> {
    return listCampaignsDue(this.doc, this.tableName, day);
  }

  getIdempotency(scope: string, key: string): Promise<IdempotencyRecord | null> {
    return this.get(idempotencyKey(scope, key), true);
  }

  async beginIdempotency(record: IdempotencyRecord): Promise<boolean> {
    // TTL deletes lazily, so a record past its expiry may still be there: it no longer holds the key.
    const now = Math.floor(Date.parse(record.createdAt) / 1000);
    try {
      await this.write([
        {
          Item: idempotencyItem(record),
          ConditionExpression: 'attribute_not_exists(PK) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': now },
          onConditionFailed: () => new ConflictError('idempotency key held', { scope: record.scope, key: record.key }),
        },
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async completeIdempotency(record: IdempotencyRecord): Promise<void> {
    await retryTransactionConflicts(() => this.doc.send(new PutCommand({ TableName: this.tableName, Item: idempotencyItem(record) })));
  }

  async releaseIdempotency(scope: string, key: string): Promise<void> {
    try {
      await retryTransactionConflicts(() =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: idempotencyKey(scope, key),
            ConditionExpression: '#state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':pending': 'pending' },
          }),
        ),
      );
    } catch (error) {
      // Already done or already gone: there is nothing to release.
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return;
      throw error;
    }
  }

  async ping(): Promise<void> {
    // Eventually consistent: half the read cost, and any answer proves the table is there.
    await this.doc.send(new GetCommand({ TableName: this.tableName, Key: healthKey(), ProjectionExpression: 'PK' }));
  }

  private consentPut(consent: ConsentRecord): GuardedPut {
    return putNew(consentItem(consent), () => new ConflictError('consent record exists already'));
  }

  private write(puts: GuardedWrite[]): Promise<void> {
    return writeAtomically(this.doc, this.tableName, puts);
  }

  private async get<T>(key: Key, consistent: boolean): Promise<T | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }));
    return toRecordOrNull<T>(out.Item as Item | undefined);
  }
}
