import { createIds, openTask, type Conflict, type Customer, type Reception, type Site, type Staff, type Task, type TaskRecord } from '@guanjia/core';

/** Records with every field filled in, for tests that care about one or two of them. */
const ids = createIds();
export const newId = (): string => ids.next();

export const isoAt = (minutes: number): string => new Date(Date.UTC(2027, 0, 1) + minutes * 60_000).toISOString();

let phoneSerial = 0;
/** A phone no other test of the run uses. */
export const uniquePhone = (): string => `+86139${String(process.pid % 1000).padStart(3, '0')}${String(++phoneSerial).padStart(5, '0')}`;

export function aSite(overrides: Partial<Site> = {}): Site {
  return {
    id: newId(),
    name: 'Riverside Showroom',
    kind: 'real_estate',
    timezone: 'Asia/Shanghai',
    smsSignature: '【管家】',
    quietHours: { start: '21:00', end: '09:00' },
    followUpCadence: { firstVisitDays: 1, undecidedDays: 3, H: 2, A: 3, B: 7, C: 14 },
    callbackPlan: [{ plan: 'three-months', offset: 'P3M', checklist: ['water', 'power'] }],
    callbackAttempts: 3,
    callbackCapacity: 40,
    potentialReviewDays: 90,
    milestones: [{ field: 'installDate', daysBefore: 30 }],
    lossRequestAnswerDays: 2,
    smsCareCap: { count: 4, days: 30 },
    complaintAnswerHours: { normal: 24, urgent: 4 },
    smsTemplates: {},
    designerFees: { standard: 30, excellent: 60, deputy_chief: 120, chief: 200 },
    designBudgetPercent: 10,
    matchMargin: 5,
    createdAt: isoAt(0),
    updatedAt: isoAt(0),
    version: 1,
    ...overrides,
  };
}

export function aStaff(siteId: string, overrides: Partial<Staff> = {}): Staff {
  return { siteId, id: newId(), name: 'Li Wei', role: 'sales', phone: null, createdAt: isoAt(0), ...overrides };
}

export function aCustomer(siteId: string, ownerId: string, overrides: Partial<Customer> = {}): Customer {
  return {
    id: newId(),
    siteId,
    name: 'Wang Fang',
    phone: uniquePhone(),
    ownerId,
    stage: 'lead',
    leadType: 'direct',
    intentLevel: null,
    channel: 'walk_in',
    needs: { area: 120, notes: undefined },
    birthday: null,
    smsConsent: false,
    note: null,
    openFollowUpId: null,
    createdAt: isoAt(0),
    updatedAt: isoAt(0),
    version: 1,
    ...overrides,
  };
}

export function aReception(customer: Customer, overrides: Partial<Reception> = {}): Reception {
  return {
    id: newId(),
    customerId: customer.id,
    siteId: customer.siteId,
    receivedBy: customer.ownerId,
    channel: customer.channel,
    name: customer.name,
    needs: customer.needs,
    note: null,
    conflictId: null,
    at: customer.createdAt,
    ...overrides,
  };
}

/** A follow-up; a test that only lists by kind may name another kind, whose details the store keeps as given. */
export function aTask(customer: Customer, overrides: Partial<TaskRecord> = {}): Task {
  return { ...openTask({ ids }, 'follow_up', customer, new Date(isoAt(24 * 60)), customer.createdAt), ...overrides } as Task;
}

export function aConflict(customer: Customer, claimantId: string, overrides: Partial<Conflict> = {}): Conflict {
  return {
    id: newId(),
    siteId: customer.siteId,
    customerId: customer.id,
    ownerId: customer.ownerId,
    claimantId,
    ownerName: null,
    claimantName: null,
    receptionId: newId(),
    status: 'open',
    createdAt: isoAt(60),
    resolvedAt: null,
    resolvedBy: null,
    decidedOwnerId: null,
    ...overrides,
  };
}

/** A new customer with its first reception and follow-up, as `Store.createCustomer` takes them. */
export function aNewCustomerFact(siteId: string, ownerId: string, overrides: Partial<Customer> = {}) {
  const customer0 = aCustomer(siteId, ownerId, overrides);
  const task = aTask(customer0);
  const customer = { ...customer0, openFollowUpId: task.id };
  return { customer, reception: aReception(customer), task };
}
