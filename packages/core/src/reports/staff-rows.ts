import type { Principal, Staff } from '../model.ts';

export type StaffRow<F extends string> = { staffId: string; name: string } & Record<F, number>;

/**
 * The rows of a report per staff member: every sales rep of the site, zeros included, and
 * anyone else with something counted (a manager's contacts, an admin's receptions).
 */
export class StaffRows<F extends string> {
  private readonly rows = new Map<string, StaffRow<F>>();

  constructor(
    private readonly staff: Staff[],
    private readonly names: readonly F[],
  ) {
    for (const member of staff) if (member.role === 'sales') this.of(member.id);
  }

  of(staffId: string): StaffRow<F> {
    let row = this.rows.get(staffId);
    if (!row) this.rows.set(staffId, (row = { staffId, name: this.staff.find((s) => s.id === staffId)?.name ?? staffId, ...this.zeros() }));
    return row;
  }

  private zeros(): Record<F, number> {
    return Object.fromEntries(this.names.map((name) => [name, 0])) as Record<F, number>;
  }

  /** What the caller may read: a sales rep their own row only, and totals of the rows they see. */
  readBy(principal: Principal): { rows: StaffRow<F>[]; totals: Record<F, number> } {
    const isSales = principal.role === 'sales';
    if (isSales) this.of(principal.sub);
    const sales = new Set(this.staff.filter((s) => s.role === 'sales').map((s) => s.id));
    const rows = [...this.rows.values()]
      .filter((row) => (isSales ? row.staffId === principal.sub : sales.has(row.staffId) || this.names.some((name) => row[name] !== 0)))
      .sort((a, b) => (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0));
    const totals = this.zeros();
    for (const row of rows) for (const name of this.names) totals[name] += row[name];
    return { rows, totals };
  }
}
