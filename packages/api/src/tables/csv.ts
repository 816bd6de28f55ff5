import { stringify } from 'csv-stringify/sync';
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

function field(value: Cell): string {
  if (isShownNumber(value)) return String(value);
  return typeof value === 'string' ? guardFormula(value) : '';
}

/**
 * `text/csv; charset=utf-8` as Excel and WPS in China open it: the BOM, then one CRLF-ended
 * line per entry, quoted as RFC 4180 says (csv-stringify), every text guarded against formulas.
 */
export function linesToCsv(lines: readonly (readonly Cell[])[]): string {
  return (
    BOM +
    stringify(
      lines.map((cells) => cells.map(field)),
      { record_delimiter: 'windows', quoted_match: /[\r\n]/ },
    )
  );
}

/** The header of column titles, then one line per row. */
export function tableToCsv(table: ReportTable): string {
  return linesToCsv([table.columns.map((c) => c.title), ...table.rows.map((row) => table.columns.map((c) => row[c.key]))]);
}
