import type { Customer, DesignerAssignment, DesignerProfile } from './model.ts';
import type { CustomerHistory } from './reports/lead-figures.ts';

/** Designers' profiles under their site, and their assignments to customers. */
export interface DesignerStore {
  getDesignerProfile(siteId: string, staffId: string): Promise<DesignerProfile | null>;
  /** `expectedVersion` null: the profile must not exist yet. */
  saveDesignerProfile(profile: DesignerProfile, expectedVersion: number | null): Promise<void>;
  /** Every profile of the site, in staff id order: one Query (more only past 1 MB of profiles). */
  listDesignerProfiles(siteId: string): Promise<DesignerProfile[]>;
  /**
   * The customer with its designer, the designer's profile with the assignment counted and
   * the assignment record, all or nothing; either version moved is `VersionConflictError`.
   */
  assignDesigner(fact: {
    customer: Customer;
    expectedVersion: number;
    profile: DesignerProfile;
    profileVersion: number;
    assignment: DesignerAssignment;
    /** The designer the customer leaves, with that assignment no longer counted, at the version read. */
    released?: { profile: DesignerProfile; profileVersion: number };
    /** A leaver's hand-over this assignment is part of: counted on it in the same transaction. */
    handoverId?: string;
    history: CustomerHistory;
  }): Promise<void>;
}
