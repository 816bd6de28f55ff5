import type { Complaint, ComplaintEntry, OutboxMessage, Task } from './model.ts';
import type { Page, PageRequest } from './paging.ts';
import type { FigureChange } from './reports/figures.ts';
import type { Versioned } from './write-shapes.ts';

/** A complaint with its number, its timeline, and its listing under its customer. */
export interface ComplaintStore {
  /**
   * A new complaint with the claim on its number, its first timeline entry and the owner's
   * acknowledgement SMS. `ConflictError` when the id exists (checked first), and
   * `ComplaintNumberTakenError` when another complaint holds the number.
   */
  createComplaint(fact: { complaint: Complaint; entry: ComplaintEntry; message: OutboxMessage | null; figures?: FigureChange[] }): Promise<void>;
  getComplaint(id: string): Promise<Complaint | null>;
  /** Strongly consistent: the complaint holding this number, through its claim. */
  findComplaintIdByNumber(number: string): Promise<string | null>;
  /** A step on the complaint (version-checked) with its timeline entry, all or nothing. */
  updateComplaint(fact: Versioned<{ complaint: Complaint; entry: ComplaintEntry; openTask?: Task; figures?: FigureChange[] }>): Promise<void>;
  /** A repair callback's outcome, the step it causes on its complaint and its announcement withdrawn, all or nothing. */
  completeRepairCallback(
    fact: Versioned<{
      task: Task;
      complaint: Versioned<{ complaint: Complaint; entry: ComplaintEntry }> | null;
      figures?: FigureChange[];
      withdrawn?: Versioned<{ message: OutboxMessage }> | null;
    }>,
  ): Promise<void>;
  /**
   * A note beside any other: the complaint's version is left alone, and the entry lands only
   * while the complaint is still in its `fromState` (`VersionConflictError` otherwise).
   */
  addComplaintNote(entry: ComplaintEntry): Promise<void>;
  listComplaintEntries(complaintId: string): Promise<ComplaintEntry[]>;
  listComplaints(query: { siteId: string; status?: Complaint['status'] }, page: PageRequest): Promise<Page<Complaint>>;
  /** Complaints still unanswered whose answer is due by `before`, most overdue first. */
  listUnanswered(before: string, limit: number): Promise<Complaint[]>;
  /** A site's unanswered complaints whose answer is due by `before`, most overdue first, a page at a time. */
  listUnansweredOfSite(siteId: string, before: string, page: PageRequest): Promise<Page<Complaint>>;
  /** How many of the site's complaints are unanswered with their answer due by `before`, none read back. */
  countUnansweredOfSite(siteId: string, before: string): Promise<number>;
  /**
   * An SLA warning or escalation: the complaint (version-checked, so it happens once), its
   * timeline entry, the tasks and the staff SMS it causes, all or nothing.
   */
  saveSlaStep(fact: Versioned<{ complaint: Complaint; entry: ComplaintEntry; tasks: Task[]; messages: OutboxMessage[] }>): Promise<void>;
  /** The complaints of these customers (an owner's records) as one list, newest first. */
  listComplaintsOfCustomers(customerIds: string[], page: PageRequest): Promise<Page<Complaint>>;
}
