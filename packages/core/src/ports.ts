import type { HandoverStore } from './leavers/handover-record.ts';
import type {
  Campaign,
  ConflictStatus,
  Conflict,
  ConsentRecord,
  Customer,
  Delivery,
  Duty,
  JobState,
  Turn,
  IntentLevel,
  Interaction,
  LeadType,
  OutboxMessage,
  Reception,
  Site,
  Stage,
  Staff,
  Task,
  TaskKind,
  TaskStatus,
} from './model.ts';
import type { ComplaintStore } from './complaint-store.ts';
import type { DesignerStore } from './designer-store.ts';

export type { ComplaintStore } from './complaint-store.ts';
import type { FigureChange } from './reports/figures.ts';
import type { RegistrationChange } from './reports/registration-figures.ts';
import type { ReferralChange } from './reports/referral-figures.ts';
import type { CustomerHistory } from './reports/lead-figures.ts';
import type { RebuildStore } from './reports/rebuild-store.ts';
import type { ReportStore } from './reports/report-store.ts';
import type { ImportStore } from './imports/import-record.ts';
import type { Page, PageRequest } from './paging.ts';
import type { FollowUpSwap, Versioned, VersionedTask } from './write-shapes.ts';

export interface Clock {
  now(): Date;
}

export interface Ids {
  /** A new opaque id, unique and roughly time-ordered. */
  next(): string;
}

export type { Page, PagePosition, PageRequest } from './paging.ts';

export interface CustomerQuery {
  siteId: string;
  ownerId?: string;
  /** The customers assigned to this designer, the latest assigned first. */
  designerId?: string;
  intentLevel?: IntentLevel;
  leadType?: LeadType;
  stage?: Stage;
  /** Only the customers with a loss request waiting for a manager, the longest waiting first. */
  lossRequested?: boolean;
}

/** `siteId` or `assigneeId` (or both) is always given; results come sorted by `dueAt`. */
export interface TaskQuery {
  siteId?: string;
  assigneeId?: string;
  kind?: TaskKind;
  status: TaskStatus;
  /** Exclusive upper bound on `dueAt` (ISO instant). */
  dueBefore?: string;
}

export type { FollowUpSwap, UnreadClose, Versioned, VersionedTask } from './write-shapes.ts';

/*
 * Persistence, one port per aggregate and one method per fact: each write method is one
 * atomic transaction, and a write that carries `expectedVersion` fails with
 * `VersionConflictError` when the stored record has moved on. Reads return `null` for what
 * is not there.
 */

/** A site, its staff, its duty rotation and the turns of its rotations. */
export interface SiteStore {
  createSite(site: Site): Promise<void>; // ConflictError when the id exists
  getSite(id: string): Promise<Site | null>;
  updateSite(site: Site, expectedVersion: number): Promise<void>;
  /** Every site, in id order: one Query, for the jobs that work site by site. */
  listSites(): Promise<Site[]>;

  createStaff(staff: Staff): Promise<void>; // ConflictError when the id exists at the site
  getStaff(siteId: string, staffId: string): Promise<Staff | null>;
  listStaff(siteId: string): Promise<Staff[]>;
  /** The staff list as clients read it, a page at a time, in id order. */
  pageStaff(siteId: string, page: PageRequest): Promise<Page<Staff>>;

  getDuty(siteId: string): Promise<Duty | null>;
  /** `expectedVersion` null: the duty must not exist yet. */
  saveDuty(duty: Duty, expectedVersion: number | null): Promise<void>;
  getTurn(siteId: string, rotation: string): Promise<Turn | null>;
  saveTurn(turn: Turn, expectedVersion: number | null): Promise<void>;
}

/** A customer with the phone it claims at its site, its receptions and its contacts. */
export interface CustomerStore {
  /** Strongly consistent: the customer holding this phone at this site. */
  findCustomerIdByPhone(siteId: string, phone: string): Promise<string | null>;
  /** The customers (one per site) holding this phone. */
  customerIdsByPhone(phone: string): Promise<string[]>;
  /** The same, a page of the phone's claims at a time, in site order. */
  pageCustomerIdsByPhone(phone: string, page: PageRequest): Promise<Page<string>>;
  /**
   * Claims the phone at the site, creates the customer, records the first reception and opens
   * the first follow-up, all or nothing. `PhoneTakenError` when the phone is claimed already,
   * naming its holder (customer and owner) as the refused claim does, so that intake need not read it.
   */
  createCustomer(fact: {
    customer: Customer;
    /** None for an owner taken over from a handover list: nobody received them. */
    reception?: Reception;
    /** None for a customer nobody chases (an owner, or a lead only watched). */
    task?: Task;
    /** The calls timed by the customer's dates (`milestone`), opened with it. */
    milestones?: Task[];
    consent?: ConsentRecord;
    figures?: FigureChange[];
    registrations?: RegistrationChange[];
    /** A customer brought by a key person: listed under them and counted for them, in the same transaction. */
    referrals?: ReferralChange[];
    history?: CustomerHistory;
  }): Promise<void>;
  /** A reception of a known customer, with the conflict it opens if any. */
  recordReception(fact: { reception: Reception; conflict: Conflict | null; figures?: FigureChange[]; registrations?: RegistrationChange[] }): Promise<void>;
  getCustomer(id: string): Promise<Customer | null>;
  listCustomers(query: CustomerQuery, page: PageRequest): Promise<Page<Customer>>;
  /** The site's customers with a loss request waiting since before this instant, longest waiting first; eventually consistent. */
  listLossRequestsBefore(siteId: string, requestedBefore: string): Promise<Customer[]>;
  /** The customers of the site whose phone ends in these 4 digits (尾号), newest first; eventually consistent. */
  listCustomersByPhoneTail(siteId: string, tail: string, page: PageRequest): Promise<Page<Customer>>;
  /**
   * Makes the customer findable by phone tail, for customers created before tails were kept.
   * Idempotent; false when the site's claim on the phone no longer names this customer.
   */
  indexPhoneTail(customer: Customer): Promise<boolean>;
  listReceptions(customerId: string, page: PageRequest): Promise<Page<Reception>>;
  /** The customers a key person brought, oldest first: one Query of the key person's partition, then each customer read. */
  listReferredCustomers(keyPersonId: string, page: PageRequest): Promise<Page<Customer>>;
  /** Saves the customer, and with it cancels/closes/opens follow-up tasks, all or nothing. */
  updateCustomer(
    fact: Versioned<{
      customer: Customer;
      closeTask?: VersionedTask;
      openTask?: Task;
      consent?: ConsentRecord;
      /** The birthday the stored customer has now, when the caller knows it: the birthday index moves with a change. */
      previousBirthday?: string | null;
      history?: CustomerHistory;
      /** Open tasks given the customer's new name or phone, saved with the customer. */
      retold?: VersionedTask[];
      /** Other tasks the change opens or saves (milestones a changed date moves, a decided request's escalations); none of them is also in `retold`. */
      tasks?: { open: Task[]; save: VersionedTask[] };
    }>,
  ): Promise<void>;
  /**
   * A contact, and the follow-up swap it causes, all or nothing. It takes no customer version,
   * so contacts and edits made meanwhile land beside it: the swap lands only while the
   * customer's open follow-up is still `swap.from` and that task still has its version, and
   * fails with `VersionConflictError` otherwise.
   */
  recordInteraction(fact: {
    interaction: Interaction;
    swap: FollowUpSwap | null;
    figures?: FigureChange[];
    /** The swap lands only while the customer still has this level, type, owner and stage: what `history` counts from. */
    history?: CustomerHistory;
    customerWas?: Pick<Customer, 'intentLevel' | 'leadType' | 'ownerId' | 'stage'>;
  }): Promise<void>;
  listInteractions(customerId: string, page: PageRequest): Promise<Page<Interaction>>;
}

export interface TaskStore {
  getTask(id: string): Promise<Task | null>;
  listTasks(query: TaskQuery, page: PageRequest): Promise<Page<Task>>;
  /** A task changed under the version its writer read, with the figures the change counts. */
  saveTask(task: Task, expectedVersion: number, figures?: FigureChange[]): Promise<void>;
  /**
   * A callback's outcome with the figures it counts and, when it closes, its announcement
   * withdrawn under the version read (`VersionConflictError` naming the message when a
   * dispatcher moved it first), all or nothing.
   */
  closeCallback(fact: Versioned<{ task: Task; figures?: FigureChange[]; withdrawn?: Versioned<{ message: OutboxMessage }> | null }>): Promise<void>;
  /** A new task of a deterministic id: false, and nothing written, when that task exists already. */
  openTaskOnce(task: Task): Promise<boolean>;
  /** The sites with an open callback nobody has been given yet due on or before the day, by id. */
  listSitesWithCallbacksDue(dueOnOrBefore: string): Promise<string[]>;
  /** A site's open callbacks nobody has been given yet, due on or before the day: the oldest due first, then by id. */
  listUnannouncedCallbacks(siteId: string, dueOnOrBefore: string, limit: number): Promise<Task[]>;
  /**
   * Gives a callback to its agent and queues the owner's SMS, in one transaction; with
   * `capacity`, CapacityReachedError when the agent already has that many callbacks due on the figures' day.
   */
  announceCallback(fact: Versioned<{ task: Task; message: OutboxMessage; figures?: FigureChange[]; capacity?: number }>): Promise<void>;
  /** Every open task of the customer, whatever its kind: the ones that carry its name and phone. */
  listOpenTasksOfCustomer(customerId: string): Promise<Task[]>;
}

export interface DeliveryStore {
  /**
   * The handover: the delivery, the customer now an owner (its open follow-up closed), and
   * the callbacks of the site's plan, all or nothing. Callback ids are deterministic, so a
   * second recording of the same delivery cannot open them twice.
   */
  createDelivery(
    fact: Versioned<{ delivery: Delivery; customer: Customer; closeTask?: VersionedTask; callbacks: Task[]; history?: CustomerHistory }>,
  ): Promise<void>;
  getDelivery(customerId: string, id: string): Promise<Delivery | null>;
  listDeliveries(customerId: string): Promise<Delivery[]>;
  pageDeliveries(customerId: string, page: PageRequest): Promise<Page<Delivery>>;
  /** A corrected delivery date, with its open callbacks moved to the new dates. */
  updateDelivery(fact: Versioned<{ delivery: Delivery; movedTasks: VersionedTask[] }>): Promise<void>;
}

export interface ConflictStore {
  getConflict(id: string): Promise<Conflict | null>;
  listConflicts(query: { siteId: string; status: ConflictStatus }, page: PageRequest): Promise<Page<Conflict>>;
  listOpenConflictsOfCustomer(customerId: string): Promise<Conflict[]>;
  /** Settles every given conflict, saves the customer's owner and moves its open follow-ups. */
  resolveConflicts(fact: Versioned<{ conflicts: Conflict[]; customer: Customer; movedTasks: VersionedTask[]; history?: CustomerHistory }>): Promise<void>;
}

/** SMS waiting to go, going and gone. */
export interface OutboxStore {
  /**
   * Queues messages on their own; facts that cause SMS queue them in their own transaction.
   * Returns how many were new: one queued before under the same id is left as it is.
   */
  enqueueMessages(messages: OutboxMessage[]): Promise<number>;
  getMessage(id: string): Promise<OutboxMessage | null>;
  saveMessage(message: OutboxMessage, expectedVersion: number): Promise<void>;
  listMessagesOfCustomer(customerId: string, page: PageRequest): Promise<Page<OutboxMessage>>;
  /** The customer's messages created at or after `createdFrom`, oldest first, whatever their kind or state. */
  listMessagesCreatedSince(customerId: string, createdFrom: string): Promise<OutboxMessage[]>;
  /** Deferred messages whose quiet hours have ended by `now`, oldest first. */
  listDeferredDue(now: string, limit: number): Promise<OutboxMessage[]>;
  /** Messages still `queued` since at or before `before`, longest waiting first. */
  listQueuedSince(before: string, limit: number): Promise<OutboxMessage[]>;
}

/** A phone's consent to care SMS, kept as a history. */
export interface ConsentStore {
  /** The phone's newest consent record: what it says now. */
  latestConsent(phone: string): Promise<ConsentRecord | null>;
  recordConsent(consent: ConsentRecord): Promise<void>;
}

/** What the care job reads by day: birthdays and campaigns. */
export interface CareStore {
  /** Ids of the customers, of every site, whose birthday is `mmdd` (`MM-DD`). */
  listBirthdayCustomers(mmdd: string): Promise<string[]>;
  /** The campaign and its entry in the list of its send day, together. ConflictError when the id exists. */
  createCampaign(campaign: Campaign): Promise<void>;
  listCampaignsDue(day: string): Promise<Campaign[]>;
}

/** Where each job got to, so that a run after a missed day catches up. */
export interface JobStateStore {
  getJobState(job: string): Promise<JobState | null>;
  /** `expectedVersion` null: the state must not exist yet. */
  saveJobState(state: JobState, expectedVersion: number | null): Promise<void>;
}

/** Everything the use cases keep, on one table. */
export interface Store
  extends SiteStore,
    CustomerStore,
    TaskStore,
    DeliveryStore,
    ConflictStore,
    ComplaintStore,
    OutboxStore,
    ConsentStore,
    CareStore,
    JobStateStore,
    ReportStore,
    ImportStore,
    RebuildStore,
    DesignerStore,
    HandoverStore {
  /** Resolves when the database answers a cheap read; throws what the database threw otherwise. */
  ping(): Promise<void>;
}
