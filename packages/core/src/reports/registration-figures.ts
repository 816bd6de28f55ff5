import { siteDay } from '../calendar.ts';
import type { IntakeChannel, Reception } from '../model.ts';

export const REGISTRATION_FIGURES = ['receptions', 'newCustomers'] as const;
export type RegistrationFigure = (typeof REGISTRATION_FIGURES)[number];

/** What a reception adds to one staff member's registrations through one source on one site day. */
export interface RegistrationChange {
  siteId: string;
  day: string;
  staffId: string;
  channel: IntakeChannel;
  add: Partial<Record<RegistrationFigure, number>>;
}

/** The stored registrations of one staff member through one source on one site day. */
export type RegistrationFigures = { siteId: string; day: string; staffId: string; channel: IntakeChannel } & Record<RegistrationFigure, number>;

/**
 * A reception counts for whoever received, through the source it came by (002); a new
 * customer also counts for its new owner, through the same source.
 */
export function registrationFigures(reception: Reception, timezone: string, newOwnerId: string | null): RegistrationChange[] {
  const day = siteDay(new Date(reception.at), timezone);
  const of = (staffId: string) => ({ siteId: reception.siteId, day, staffId, channel: reception.channel });
  if (newOwnerId === reception.receivedBy) return [{ ...of(newOwnerId), add: { receptions: 1, newCustomers: 1 } }];
  const changes: RegistrationChange[] = [{ ...of(reception.receivedBy), add: { receptions: 1 } }];
  if (newOwnerId !== null) changes.push({ ...of(newOwnerId), add: { newCustomers: 1 } });
  return changes;
}
