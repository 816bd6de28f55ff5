import {
  ComplaintNumberTakenError,
  VersionConflictError,
  type Complaint,
  type ComplaintEntry,
  type ComplaintStore,
  type Page,
  type PageRequest,
} from '@guanjia/core';
import type { Item } from '../items.ts';
import { bySortable, customerPk, sitePk, type IndexKeys, type Key } from '../key-parts.ts';
import { dueByQuery, onIndex, partitionQuery, type KeyQuery } from '../queries.ts';
import { setIndexKeys } from '../index-backfill.ts';
import type { TableAccess } from '../table-access.ts';
import { exists, putNew, putVersioned, versionConflict, type GuardedPut, type GuardedWrite } from '../transact.ts';
import { figureAdds, figureAddsOfVersionedFact } from './counters.ts';
import { messagePut, messageSave } from './outbox.ts';
import { taskPut, taskSave } from './tasks.ts';

const complaintKey = (id: string): Key => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT' });
const complaintsOfSitePk = (siteId: string) => `${sitePk(siteId)}#COMPLAINTS`;
const UNANSWERED_COMPLAINTS_PK = 'COMPLAINTS#unanswered';
const unansweredOfSitePk = (siteId: string) => `${sitePk(siteId)}#UNANSWERED`;
/**
 * An unanswered complaint also sits in two sparse lists by its deadline: the company's, which
 * the SLA job reads whole, and its site's, which the managers' overdue queue pages through.
 */
const unansweredKeys = (c: { id: string; siteId: string; respondBy: string }): Partial<IndexKeys> => ({
  GSI2PK: UNANSWERED_COMPLAINTS_PK,
  GSI2SK: bySortable(c.respondBy, c.id),
  GSI3PK: unansweredOfSitePk(c.siteId),
  GSI3SK: bySortable(c.respondBy, c.id),
});
const complaintIndexKeys = (c: { id: string; siteId: string; createdAt: string; status: string; respondBy: string }): Partial<IndexKeys> => ({
  GSI1PK: complaintsOfSitePk(c.siteId),
  GSI1SK: bySortable(c.createdAt, c.id),
  ...(c.status === 'received' ? unansweredKeys(c) : {}),
});
/** The claim that keeps a complaint number unique company-wide; it names the complaint holding it. */
const complaintNumberKey = (number: string): Key => ({ PK: `COMPLAINTNO#${number}`, SK: 'COMPLAINTNO' });
/** The timeline shares the complaint's partition, in the order it happened. */
const COMPLAINT_ENTRY_PREFIX = 'ENTRY#';
const complaintEntriesPk = (complaintId: string) => complaintKey(complaintId).PK;
const complaintEntryKey = (complaintId: string, at: string, id: string): Key => ({
  PK: complaintEntriesPk(complaintId),
  SK: `${COMPLAINT_ENTRY_PREFIX}${bySortable(at, id)}`,
});
/**
 * A complaint is also listed in its customer's partition, newest last by sort key, so an
 * owner's complaints are read with one Query per record they hold rather than a Scan.
 */
const COMPLAINT_REF_PREFIX = 'COMPLAINT#';
const complaintRefsOfCustomerPk = customerPk;
const complaintRefSort = (createdAt: string, id: string) => `${COMPLAINT_REF_PREFIX}${bySortable(createdAt, id)}`;
const complaintRefKey = (customerId: string, createdAt: string, id: string): Key => ({ PK: customerPk(customerId), SK: complaintRefSort(createdAt, id) });

export const complaintItem = (c: Complaint): Item => ({ ...complaintKey(c.id), ...complaintIndexKeys(c), type: 'complaint', ...c });
export const complaintNumberItem = (c: Complaint): Item => ({
  ...complaintNumberKey(c.number),
  type: 'complaint_number',
  number: c.number,
  complaintId: c.id,
  siteId: c.siteId,
});
export const complaintEntryItem = (e: ComplaintEntry): Item => ({ ...complaintEntryKey(e.complaintId, e.at, e.id), type: 'complaint_entry', ...e });
export const complaintRefItem = (c: Complaint): Item => ({
  ...complaintRefKey(c.customerId, c.createdAt, c.id),
  type: 'complaint_ref',
  complaintId: c.id,
  siteId: c.siteId,
});

/** The claim on the complaint's number, written in the complaint's own transaction. */
const numberClaim = (complaint: Complaint): GuardedPut => ({
  Item: complaintNumberItem(complaint),
  ConditionExpression: 'attribute_not_exists(PK)',
  onConditionFailed: () => new ComplaintNumberTakenError(complaint.number),
});
const complaintSave = (complaint: Complaint, expectedVersion: number): GuardedPut =>
  putVersioned(complaintItem(complaint), expectedVersion, versionConflict('complaint', complaint.id));
const entryPut = (entry: ComplaintEntry): GuardedPut => putNew(complaintEntryItem(entry), exists('complaint entry', entry.id));

/**
 * A note on a complaint, written while the complaint is still in the state the note was
 * judged on. It takes no version, so two notes at once both land.
 */
function noteWrites(entry: ComplaintEntry): GuardedWrite[] {
  return [
    {
      ConditionCheck: {
        Key: complaintKey(entry.complaintId),
        ConditionExpression: '#status = :state',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':state': entry.fromState },
      },
      onConditionFailed: () => new VersionConflictError(`complaint ${entry.complaintId} is no longer ${entry.fromState}`, { id: entry.complaintId }),
    },
    entryPut(entry),
  ];
}

/** A customer's complaint refs, newest first, from `before` (a ref's sort key, itself included) down. */
function complaintRefsQuery(customerId: string, before: string | undefined): KeyQuery {
  if (before === undefined) return partitionQuery(complaintRefsOfCustomerPk(customerId), COMPLAINT_REF_PREFIX, false);
  return {
    KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :before',
    ExpressionAttributeValues: { ':pk': complaintRefsOfCustomerPk(customerId), ':from': COMPLAINT_REF_PREFIX, ':before': before },
    ScanIndexForward: false,
  };
}

/**
 * The complaints of several customers (an owner's records at each site) as one list, newest
 * first. Each partition gives at most a page and one more (the previous page's last ref, which
 * BETWEEN includes), so the newest `limit` of their union are among what was read; the position
 * is the last ref's sort key, which means the same thing in every partition.
 */
async function listComplaintsOfCustomers(t: TableAccess, customerIds: string[], page: PageRequest): Promise<Page<Complaint>> {
  const limit = Math.max(1, Math.floor(page.limit));
  const before = page.after?.before;
  const outs = await Promise.all(customerIds.map((id) => t.queryOnce({ ...complaintRefsQuery(id, before), Limit: limit + 1, ConsistentRead: true })));
  const refs = outs
    .flatMap((out) => (out.Items ?? []) as { SK: string; complaintId: string }[])
    .filter((ref) => ref.SK !== before)
    .sort((a, b) => (a.SK < b.SK ? 1 : -1));
  const taken = refs.slice(0, limit);
  const more = refs.length > limit || outs.some((out) => out.LastEvaluatedKey !== undefined);
  const complaints = await Promise.all(taken.map((ref) => t.get<Complaint>(complaintKey(ref.complaintId), true)));
  const last = taken.at(-1);
  return { items: complaints.filter((c): c is Complaint => c !== null), next: more && last ? { before: last.SK } : null };
}

/**
 * Puts the unanswered complaints filed before the site-scoped list existed into it, read from
 * the company's list (a Query: no Scan). Each is touched only while unindexed and at the
 * version listed: a complaint saved since was written whole, with its index keys, by that save.
 */
export async function indexUnansweredBySite(t: TableAccess): Promise<{ unanswered: number; indexed: number }> {
  const listed = await t.all<Complaint>(dueByQuery(UNANSWERED_COMPLAINTS_PK, '~'));
  let indexed = 0;
  for (const complaint of listed) {
    const record = { key: complaintKey(complaint.id), version: complaint.version, what: 'complaint', id: complaint.id };
    if (await setIndexKeys(t, record, unansweredKeys(complaint), { condition: 'attribute_not_exists(GSI3PK)' })) indexed++;
  }
  return { unanswered: listed.length, indexed };
}

export function complaintStore(t: TableAccess): ComplaintStore {
  return {
    createComplaint: ({ complaint, entry, message, figures }) =>
      t.write([
        putNew(complaintItem(complaint), exists('complaint', complaint.id)),
        numberClaim(complaint),
        { Item: complaintRefItem(complaint) },
        entryPut(entry),
        ...(message ? [messagePut(message)] : []),
        ...figureAdds(figures),
      ]),
    getComplaint: (id) => t.get(complaintKey(id), true),
    findComplaintIdByNumber: (number) => t.pointer(complaintNumberKey(number), 'complaintId'),
    updateComplaint: ({ complaint, expectedVersion, entry, openTask, figures }) =>
      t.write([complaintSave(complaint, expectedVersion), entryPut(entry), ...(openTask ? [taskPut(openTask)] : []), ...figureAdds(figures)]),
    completeRepairCallback: ({ task, expectedVersion, complaint: step, figures, withdrawn }) =>
      t.write([
        taskSave({ task, expectedVersion }),
        ...(withdrawn ? [messageSave(withdrawn.message, withdrawn.expectedVersion)] : []),
        ...(step ? [complaintSave(step.complaint, step.expectedVersion), entryPut(step.entry)] : []),
        ...figureAddsOfVersionedFact(figures),
      ]),
    addComplaintNote: (entry) => t.write(noteWrites(entry)),
    listComplaintEntries: (complaintId) => t.all(partitionQuery(complaintEntriesPk(complaintId), COMPLAINT_ENTRY_PREFIX, true)),
    listComplaints: ({ siteId, status }, page) => t.page(onIndex('GSI1', complaintsOfSitePk(siteId), { ascending: false, filters: { status } }), page),
    listUnanswered: async (before, limit) => (await t.page<Complaint>(dueByQuery(UNANSWERED_COMPLAINTS_PK, before), { limit })).items,
    listUnansweredOfSite: (siteId, before, page) => t.page(dueByQuery(unansweredOfSitePk(siteId), before, 'GSI3'), page),
    countUnansweredOfSite: (siteId, before) => t.count(dueByQuery(unansweredOfSitePk(siteId), before, 'GSI3')),
    saveSlaStep: ({ complaint, expectedVersion, entry, tasks, messages }) =>
      t.write([complaintSave(complaint, expectedVersion), entryPut(entry), ...tasks.map((task) => taskPut(task)), ...messages.map(messagePut)]),
    listComplaintsOfCustomers: (customerIds, page) => listComplaintsOfCustomers(t, customerIds, page),
  };
}
