/**
 * Every key shape of the table. Nothing else in the codebase writes a key string, so a
 * change of layout is a change of this file.
 */

export interface Key {
  PK: string;
  SK: string;
}

export interface IndexKeys {
  GSI1PK: string;
  GSI1SK: string;
  GSI2PK: string;
  GSI2SK: string;
}

export const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK'] as const;

const sitePk = (siteId: string) => `SITE#${siteId}`;
const phonePk = (phone: string) => `PHONE#${phone}`;
const customerPk = (customerId: string) => `CUST#${customerId}`;
/** Sorts by the given instant, with the id keeping equal instants apart. */
const bySortable = (at: string, id: string) => `${at}#${id}`;

export const siteKey = (id: string): Key => ({ PK: sitePk(id), SK: 'SITE' });

/** Never written: a read of it proves the table answers, at the price of one small GetItem. */
export const healthKey = (): Key => ({ PK: 'HEALTH', SK: 'HEALTH' });

export const STAFF_PREFIX = 'STAFF#';
export const staffOfSitePk = sitePk;
export const staffKey = (siteId: string, id: string): Key => ({ PK: sitePk(siteId), SK: `${STAFF_PREFIX}${id}` });

export const dutyKey = (siteId: string): Key => ({ PK: sitePk(siteId), SK: 'DUTY' });

export const claimKey = (phone: string, siteId: string): Key => ({ PK: phonePk(phone), SK: `CLAIM#${siteId}` });

/** `unique` keeps two grants of the same instant from overwriting each other. */
export const consentKey = (phone: string, at: string, unique: string): Key => ({
  PK: phonePk(phone),
  SK: `${CONSENT_PREFIX}${at}#${unique}`,
});

export const customerKey = (id: string): Key => ({ PK: customerPk(id), SK: 'CUST' });
export const customersOfSitePk = (siteId: string) => `SITE#${siteId}#CUST`;
export const customersOfOwnerPk = (siteId: string, ownerId: string) => `SITE#${siteId}#OWNER#${ownerId}`;
export const customerIndexKeys = (c: { id: string; siteId: string; ownerId: string; createdAt: string }): IndexKeys => ({
  GSI1PK: customersOfSitePk(c.siteId),
  GSI1SK: bySortable(c.createdAt, c.id),
  GSI2PK: customersOfOwnerPk(c.siteId, c.ownerId),
  GSI2SK: bySortable(c.createdAt, c.id),
});

export const RECEPTION_PREFIX = 'RCP#';
export const receptionsOfCustomerPk = customerPk;
export const receptionKey = (customerId: string, at: string, id: string): Key => ({
  PK: customerPk(customerId),
  SK: `${RECEPTION_PREFIX}${bySortable(at, id)}`,
});

export const INTERACTION_PREFIX = 'INT#';
export const interactionsOfCustomerPk = customerPk;
export const interactionKey = (customerId: string, at: string, id: string): Key => ({
  PK: customerPk(customerId),
  SK: `${INTERACTION_PREFIX}${bySortable(at, id)}`,
});

export const conflictKey = (id: string): Key => ({ PK: `CONFLICT#${id}`, SK: 'CONFLICT' });
export const conflictsOfSitePk = (siteId: string, status: string) => `SITE#${siteId}#CONFLICT#${status}`;
export const conflictsOfCustomerPk = (customerId: string, status: string) => `CUST#${customerId}#CONFLICT#${status}`;
export const conflictIndexKeys = (c: { id: string; siteId: string; customerId: string; status: string; createdAt: string }): IndexKeys => ({
  GSI1PK: conflictsOfSitePk(c.siteId, c.status),
  GSI1SK: bySortable(c.createdAt, c.id),
  GSI2PK: conflictsOfCustomerPk(c.customerId, c.status),
  GSI2SK: bySortable(c.createdAt, c.id),
});

export const taskKey = (id: string): Key => ({ PK: `TASK#${id}`, SK: 'TASK' });
export const tasksOfSitePk = (siteId: string, status: string) => `SITE#${siteId}#TASK#${status}`;
export const tasksOfAssigneePk = (assigneeId: string, status: string) => `ASSIGNEE#${assigneeId}#TASK#${status}`;
export const UNANNOUNCED_CALLBACKS_PK = 'CALLBACKS#unannounced';

/**
 * GSI2 holds a task under its assignee; a callback nobody has been given yet sits instead
 * in a sparse list by due day, which is all the callbacks job reads.
 */
export const taskIndexKeys = (t: { id: string; siteId: string; assigneeId: string | null; status: string; dueAt: string; dueOn: string | null }): Partial<IndexKeys> => ({
  GSI1PK: tasksOfSitePk(t.siteId, t.status),
  GSI1SK: bySortable(t.dueAt, t.id),
  ...(t.assigneeId !== null
    ? { GSI2PK: tasksOfAssigneePk(t.assigneeId, t.status), GSI2SK: bySortable(t.dueAt, t.id) }
    : t.status === 'open' && t.dueOn
      ? { GSI2PK: UNANNOUNCED_CALLBACKS_PK, GSI2SK: bySortable(t.dueOn, t.id) }
      : {}),
});

export const jobStateKey = (job: string): Key => ({ PK: `JOB#${job}`, SK: 'STATE' });
export const turnKey = (siteId: string, rotation: string): Key => ({ PK: sitePk(siteId), SK: `TURN#${rotation}` });

export const DELIVERY_PREFIX = 'DELIVERY#';
export const deliveriesOfCustomerPk = customerPk;
export const deliveryKey = (customerId: string, id: string): Key => ({ PK: customerPk(customerId), SK: `${DELIVERY_PREFIX}${id}` });

export const idempotencyKey = (scope: string, key: string): Key => ({ PK: `IDEM#${scope}#${key}`, SK: 'IDEM' });

export const messageKey = (id: string): Key => ({ PK: `SMS#${id}`, SK: 'SMS' });
export const messagesOfCustomerPk = (customerId: string) => `CUST#${customerId}#SMS`;
export const DEFERRED_MESSAGES_PK = 'SMS#deferred';
export const QUEUED_MESSAGES_PK = 'SMS#queued';
/**
 * Only a waiting message sits in GSI2: a deferred one by the end of its quiet hours, a
 * queued one by when it was queued. So the outbox job reads exactly what is waiting, and
 * a message leaves the index as soon as the dispatcher claims it.
 */
export const messageIndexKeys = (m: { id: string; customerId: string; createdAt: string; updatedAt: string; state: string; sendAfter: string | null }): Partial<IndexKeys> => ({
  GSI1PK: messagesOfCustomerPk(m.customerId),
  GSI1SK: bySortable(m.createdAt, m.id),
  ...(m.state === 'deferred' && m.sendAfter ? { GSI2PK: DEFERRED_MESSAGES_PK, GSI2SK: bySortable(m.sendAfter, m.id) } : {}),
  ...(m.state === 'queued' ? { GSI2PK: QUEUED_MESSAGES_PK, GSI2SK: bySortable(m.updatedAt, m.id) } : {}),
});

export const CONSENT_PREFIX = 'CONSENT#';
export const consentsOfPhonePk = phonePk;

/**
 * A customer with a birthday sits in the partition of that day of the year, written and
 * moved with the customer, so the care job reads one day's birthdays without a Scan.
 */
export const birthdaysPk = (mmdd: string) => `BIRTHDAY#${mmdd}`;
export const birthdayKey = (mmdd: string, customerId: string): Key => ({ PK: birthdaysPk(mmdd), SK: customerPk(customerId) });
export const BIRTHDAY_CUSTOMER_PREFIX = customerPk('');

export const campaignKey = (id: string): Key => ({ PK: `CAMPAIGN#${id}`, SK: 'CAMPAIGN' });
/** The campaigns of one send day, which is all the care job asks of them. */
export const campaignsDuePk = (sendOn: string) => `CAMPAIGNS#${sendOn}`;
export const CAMPAIGN_DUE_PREFIX = 'CAMPAIGN#';
export const campaignDueKey = (sendOn: string, id: string): Key => ({ PK: campaignsDuePk(sendOn), SK: `${CAMPAIGN_DUE_PREFIX}${id}` });

export const complaintKey = (id: string): Key => ({ PK: `COMPLAINT#${id}`, SK: 'COMPLAINT' });
export const complaintsOfSitePk = (siteId: string) => `SITE#${siteId}#COMPLAINTS`;
export const UNANSWERED_COMPLAINTS_PK = 'COMPLAINTS#unanswered';
/** An unanswered complaint also sits in a sparse list by its deadline: the SLA job and the overdue queue read only those. */
export const complaintIndexKeys = (c: { id: string; siteId: string; createdAt: string; status: string; respondBy: string }): Partial<IndexKeys> => ({
  GSI1PK: complaintsOfSitePk(c.siteId),
  GSI1SK: bySortable(c.createdAt, c.id),
  ...(c.status === 'received' ? { GSI2PK: UNANSWERED_COMPLAINTS_PK, GSI2SK: bySortable(c.respondBy, c.id) } : {}),
});
/** The claim that keeps a complaint number unique company-wide; it names the complaint holding it. */
export const complaintNumberKey = (number: string): Key => ({ PK: `COMPLAINTNO#${number}`, SK: 'COMPLAINTNO' });
export const COMPLAINT_ENTRY_PREFIX = 'ENTRY#';
export const complaintEntriesPk = (complaintId: string) => `COMPLAINT#${complaintId}`;
export const complaintEntryKey = (complaintId: string, at: string, id: string): Key => ({ PK: complaintEntriesPk(complaintId), SK: `${COMPLAINT_ENTRY_PREFIX}${bySortable(at, id)}` });
/**
 * A complaint is also listed in its customer's partition, newest last by sort key, so an
 * owner's complaints are read with one Query per record they hold rather than a Scan.
 */
export const COMPLAINT_REF_PREFIX = 'COMPLAINT#';
export const complaintRefsOfCustomerPk = customerPk;
export const complaintRefSort = (createdAt: string, id: string) => `${COMPLAINT_REF_PREFIX}${bySortable(createdAt, id)}`;
export const complaintRefKey = (customerId: string, createdAt: string, id: string): Key => ({ PK: customerPk(customerId), SK: complaintRefSort(createdAt, id) });
export const CLAIM_PREFIX = 'CLAIM#';
export const claimsOfPhonePk = phonePk;
