import { isShownNumber, type Cell, type ReportTable } from './report-table.ts';

/** Excel and WPS read a CSV as GBK unless it starts with a byte order mark. */
const BOM = '\uFEFF';

/**
 * A text starting with one of these is taken for a formula by Excel, WPS and LibreOffice
 * (CSV injection): a name like `=HYPERLINK(...)` typed at intake must stay a name.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell that a spreadsheet would run is shown as text by a leading apostrophe. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
function field(value: Cell): string {
  if (isShownNumber(value)) return String(value);
  if (typeof value !== 'string') return '';
  const text = guardFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** `text/csv; charset=utf-8`: the BOM, the header of column titles, then one line per row, CRLF-ended. */
export function tableToCsv(table: ReportTable): string {
  const lines = [table.columns.map((c) => field(c.title)), ...table.rows.map((row) => table.columns.map((c) => field(row[c.key])))];
  return BOM + lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
