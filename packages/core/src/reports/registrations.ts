import type { Context } from '../context.ts';
import type { IntakeChannel, Principal } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import type { ReferralFigures } from './referral-figures.ts';
import { spanDays } from './service.ts';

export interface RegistrationRow {
  date: string;
  staffId: string;
  /** The staff member's name as the site's staff list holds it; the id if they are not on it. */
  name: string;
  channel: IntakeChannel;
  receptions: number;
  newCustomers: number;
}

/** The buyers one key person (关键人) brought in the span, counted on the days they came. */
export interface KeyPersonRow {
  keyPersonId: string;
  /** The key person's name now; null if the record is gone. */
  name: string | null;
  referrals: number;
}

export interface RegistrationReport {
  rows: RegistrationRow[];
  byKeyPerson: KeyPersonRow[];
}

/**
 * 来访登记: who registered how many, through which source, one row per (day, staff member,
 * source) with anything counted. One Query per day of the span and one for the staff's names:
 * its cost grows with the days and the staff, never with the receptions kept. A sales rep
 * reads their own rows.
 */
export async function registrationsReport(
  ctx: Context,
  principal: Principal,
  query: { siteId: string; from: string; to: string },
): Promise<RegistrationReport> {
  authorize(principal, 'report.registrations');
  requireSite(principal, query.siteId);
  const days = spanDays(query.from, query.to);
  const [staff, ...perDay] = await Promise.all([ctx.store.listStaff(query.siteId), ...days.map((day) => ctx.store.listRegistrationDay(query.siteId, day))]);
  const names = new Map(staff.map((member) => [member.id, member.name]));
  const rows = perDay
    .flatMap((d) => d.registrations)
    .filter((f) => principal.role !== 'sales' || f.staffId === principal.sub)
    .filter((f) => f.receptions !== 0 || f.newCustomers !== 0)
    .map((f) => ({
      date: f.day,
      staffId: f.staffId,
      name: names.get(f.staffId) ?? f.staffId,
      channel: f.channel,
      receptions: f.receptions,
      newCustomers: f.newCustomers,
    }))
    .sort((a, b) => {
      const [x, y] = [a, b].map((r) => `${r.date}\n${r.staffId}\n${r.channel}`) as [string, string];
      return x < y ? -1 : x > y ? 1 : 0;
    });
  return {
    rows,
    byKeyPerson: await keyPersonRows(
      ctx,
      principal,
      perDay.flatMap((d) => d.referrals),
    ),
  };
}

/**
 * Referrals summed per key person over the span. Each key person is read once for their name
 * and owner: the cost grows with the key persons, not the buyers. A sales rep reads the key
 * persons they own, as they read their own rows.
 */
async function keyPersonRows(ctx: Context, principal: Principal, figures: ReferralFigures[]): Promise<KeyPersonRow[]> {
  const sums = new Map<string, number>();
  for (const f of figures) sums.set(f.keyPersonId, (sums.get(f.keyPersonId) ?? 0) + f.referrals);
  const ids = [...sums.keys()].filter((id) => sums.get(id) !== 0).sort();
  const people = await Promise.all(ids.map((id) => ctx.store.getCustomer(id)));
  return ids
    .map((keyPersonId, i) => ({ keyPersonId, person: people[i] ?? null }))
    .filter(({ person }) => principal.role !== 'sales' || person?.ownerId === principal.sub)
    .map(({ keyPersonId, person }) => ({ keyPersonId, name: person?.name ?? null, referrals: sums.get(keyPersonId) ?? 0 }));
}
