import type { Context } from '../context.ts';
import type { IntakeChannel, Principal } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import { spanDays } from './service.ts';

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
