import { deactivatedError } from '../active-staff.ts';
import type { Context } from '../context.ts';
import { assetKey } from '../deliveries.ts';
import { eachLimited } from '../each-limited.ts';
import type { Principal } from '../model.ts';
import { authorize, requireSite } from '../reach.ts';
import { loadSite } from '../sites.ts';
import type { ImportKind } from './headers.ts';
import type { ImportCounts, RejectedRow } from './import-record.ts';
import { cellText } from './cells.ts';
import { readSheet, type ImportRow, type ReadSheet, type RowError, type SheetRow } from './rows.ts';

export interface ImportPreview {
  siteId: string;
  kind: ImportKind;
  counts: ImportCounts;
  errors: RowError[];
  /** The refused rows as given, a `reason` column added: what the person fixes and sends again. */
  rejected: string[][];
}

export type RowOutcome = 'created' | 'updated' | 'skipped';

/** What the store knows of a phone at the site: its customer's owner, and deliveries by asset key (none for leads). */
export type Known = Map<string, { ownerId: string; deliveries: Map<string, string> }>;

/**
 * What a real run would do with each valid row, and the rows refused for repeating another.
 *
 * A phone repeated in one file counts once. For leads, a later row with a phone seen earlier
 * in the file is refused (`duplicate_in_file`): two rows for one person would be two
 * receptions of one import, and which name or level wins would be an accident of order.
 * For deliveries, one buyer may take over two units: a later row with the same phone and
 * another asset is merged onto the customer the earlier row creates (an update), and only
 * the same phone with the same asset again is refused.
 */
export function planRows(kind: ImportKind, rows: ImportRow[], known: Known): { outcomes: Map<number, RowOutcome>; duplicates: RowError[] } {
  const outcomes = new Map<number, RowOutcome>();
  const duplicates: RowError[] = [];
  const firstRow = new Map<string, number>();
  const phonesInFile = new Set<string>();
  for (const row of rows) {
    const key = kind === 'deliveries' ? `${row.phone}\n${assetKey(row.asset?.label ?? '')}` : row.phone;
    const earlier = firstRow.get(key);
    if (earlier !== undefined) {
      duplicates.push({
        row: row.number,
        column: 'phone',
        code: 'duplicate_in_file',
        reason: kind === 'deliveries' ? `与第 ${earlier} 行的手机号和房号重复` : `与第 ${earlier} 行的手机号重复`,
      });
      continue;
    }
    firstRow.set(key, row.number);
    const customer = known.get(row.phone);
    if (!customer) {
      outcomes.set(row.number, phonesInFile.has(row.phone) ? 'updated' : 'created');
    } else if (kind === 'deliveries') {
      const deliveredOn = customer.deliveries.get(assetKey(row.asset?.label ?? ''));
      outcomes.set(row.number, deliveredOn === row.deliveredOn ? 'skipped' : 'updated');
    } else {
      // A known lead is left as it is, unless the row gives it to another rep: then, as at the desk, a conflict for the managers.
      outcomes.set(row.number, row.ownerId && row.ownerId !== customer.ownerId ? 'updated' : 'skipped');
    }
    phonesInFile.add(row.phone);
  }
  return { outcomes, duplicates };
}

const READS_AT_ONCE = 8;

/** A file checked as a whole: the rows a run would take, with what each would do, and the refusals. */
export interface CheckedImport extends ImportPreview {
  rows: ImportRow[];
  outcomes: Map<number, RowOutcome>;
  read: ReadSheet;
}

/**
 * The dry run of an import (导入预检): the file read and checked as a whole, and the counts
 * of what a real run would create, update and skip. It only reads.
 */
export async function previewImport(
  ctx: Context,
  principal: Principal,
  input: { siteId: string; kind: ImportKind; sheet: SheetRow[] },
): Promise<ImportPreview> {
  const { siteId, kind, counts, errors, rejected } = await checkImport(ctx, principal, input);
  return { siteId, kind, counts, errors, rejected };
}

/** The check a real run starts with, and all a dry run does. */
export async function checkImport(ctx: Context, principal: Principal, input: { siteId: string; kind: ImportKind; sheet: SheetRow[] }): Promise<CheckedImport> {
  authorize(principal, 'import.create');
  requireSite(principal, input.siteId);
  const site = await loadSite(ctx, input.siteId);
  const read = readSheet(input.kind, site.kind, input.sheet);
  const errors = [...read.errors];
  let rows = read.valid;

  if (input.kind === 'leads' && rows.some((row) => row.ownerId)) {
    const staff = new Map((await ctx.store.listStaff(site.id)).map((s) => [s.id, s]));
    const unknown = rows.filter((row) => row.ownerId && !staff.has(row.ownerId));
    const leavers = rows.filter((row) => row.ownerId && deactivatedError(staff.get(row.ownerId), 'ownerId'));
    errors.push(
      ...unknown.map((row): RowError => ({ row: row.number, column: 'ownerId', code: 'owner_unknown', reason: `负责人（${row.ownerId}）不是本项目的员工` })),
      ...leavers.map(
        (row): RowError => ({
          row: row.number,
          column: 'ownerId',
          code: 'owner_deactivated',
          reason: `负责人（${row.ownerId}）已停用（离职），不再接收新客户`,
        }),
      ),
    );
    rows = rows.filter((row) => !unknown.includes(row) && !leavers.includes(row));
  }

  const known: Known = new Map();
  await eachLimited([...new Set(rows.map((row) => row.phone))], READS_AT_ONCE, async (phone) => {
    const customerId = await ctx.store.findCustomerIdByPhone(site.id, phone);
    if (!customerId) return;
    const [customer, deliveries] = await Promise.all([
      // Only a lead row asks who owns the phone (a row naming another rep opens a conflict).
      input.kind === 'leads' ? ctx.store.getCustomer(customerId) : Promise.resolve(null),
      input.kind === 'deliveries' ? ctx.store.listDeliveries(customerId) : Promise.resolve([]),
    ]);
    known.set(phone, { ownerId: customer?.ownerId ?? '', deliveries: new Map(deliveries.map((d) => [assetKey(d.asset.label), d.deliveredOn])) });
  });

  const { outcomes, duplicates } = planRows(input.kind, rows, known);
  errors.push(...duplicates);
  errors.sort((a, b) => a.row - b.row);
  const tally = (outcome: RowOutcome) => [...outcomes.values()].filter((o) => o === outcome).length;
  const invalid = new Set(errors.map((e) => e.row)).size;
  return {
    siteId: site.id,
    kind: input.kind,
    counts: { rows: read.rows, valid: read.rows - invalid, invalid, created: tally('created'), updated: tally('updated'), skipped: tally('skipped') },
    errors,
    rejected: rejectedTable(read, errors),
    rows: rows.filter((row) => outcomes.has(row.number)),
    outcomes,
    read,
  };
}

/** Each refused row with its cells as they were given (a date cell as its day) and every reason found for it, in the file's order. */
export function rejectedRows(read: Pick<ReadSheet, 'headers' | 'lines'>, errors: RowError[]): RejectedRow[] {
  const reasons = new Map<number, string[]>();
  for (const error of errors) reasons.set(error.row, [...(reasons.get(error.row) ?? []), error.reason]);
  return [...reasons.keys()].sort((a, b) => a - b).map((row) => ({ row, cells: givenCells(read, row), reason: reasons.get(row)!.join('；') }));
}

/** A row's cells as text, as the person gave them. */
export function givenCells(read: Pick<ReadSheet, 'headers' | 'lines'>, row: number): string[] {
  return (read.lines.get(row) ?? []).slice(0, read.headers.length).map((cell) => (typeof cell === 'string' ? cell : cellText(cell)));
}

/** The header row with `reason` after it, then the refused rows padded to the header's width: what the person fixes and sends again. */
export function rejectionTable(headers: string[], rows: RejectedRow[]): string[][] {
  const width = headers.length;
  return [[...headers, 'reason'], ...rows.map((r) => [...r.cells, ...Array<string>(Math.max(0, width - r.cells.length)).fill(''), r.reason])];
}

export function rejectedTable(read: Pick<ReadSheet, 'headers' | 'lines'>, errors: RowError[]): string[][] {
  return rejectionTable(read.headers, rejectedRows(read, errors));
}
