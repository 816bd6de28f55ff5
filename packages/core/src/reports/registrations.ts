import { siteDay } from '../calendar.ts';
import type { Context } from '../context.ts';
import type { IntakeChannel, Principal, Reception } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import { spanDays } from './service.ts';

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

export interface RegistrationRow {
  date: string;
  staffId: string;
  channel: IntakeChannel;
  receptions: number;
  newCustomers: number;
}

export interface RegistrationReport {
  rows: RegistrationRow[];
}

/**
 * 来访登记: who registered how many, through which source, one row per (day, staff member,
 * source) with anything counted. One Query per day of the span: its cost grows with the days
 * and the staff, never with the receptions kept. A sales rep reads their own rows.
 */
export async function registrationsReport(
  ctx: Context,
  principal: Principal,
  query: { siteId: string; from: string; to: string },
): Promise<RegistrationReport> {
  authorize(principal, 'report.registrations');
  requireSite(principal, query.siteId);
  const days = spanDays(query.from, query.to);
  const perDay = await Promise.all(days.map((day) => ctx.store.listRegistrations(query.siteId, day)));
  const rows = perDay
    .flat()
    .filter((f) => principal.role !== 'sales' || f.staffId === principal.sub)
    .filter((f) => f.receptions !== 0 || f.newCustomers !== 0)
    .map((f) => ({ date: f.day, staffId: f.staffId, channel: f.channel, receptions: f.receptions, newCustomers: f.newCustomers }))
    .sort((a, b) => {
      const [x, y] = [a, b].map((r) => `${r.date}\n${r.staffId}\n${r.channel}`) as [string, string];
      return x < y ? -1 : x > y ? 1 : 0;
    });
  return { rows };
}
