import { loadExcel } from '../excel.ts';
import { isShownNumber, type ReportTable } from './report-table.ts';

/** Excel's limit on a sheet name, and the characters it refuses in one. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_REFUSED = /[\\/?*[\]:]/g;

/**
 * The same table as an .xlsx workbook of one sheet. Numbers are numeric cells; every other
 * value is a string cell in text format, which a spreadsheet shows and never evaluates, so
 * unlike the CSV it keeps a leading `=` as typed.
 */
export async function tableToXlsx(table: ReportTable, sheetName = 'report'): Promise<Uint8Array> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName.replace(SHEET_NAME_REFUSED, '_').slice(0, SHEET_NAME_MAX) || 'report');
  sheet.columns = table.columns.map((c) => ({ key: c.key, width: Math.max(10, c.title.length * 2 + 2) }));
  const header = sheet.addRow(table.columns.map((c) => c.title));
  header.font = { bold: true };
  for (const row of table.rows) {
    const line = sheet.addRow([]);
    table.columns.forEach((column, i) => {
      const value = row[column.key];
      const cell = line.getCell(i + 1);
      if (isShownNumber(value)) cell.value = value;
      else if (typeof value === 'string') {
        cell.numFmt = '@';
        cell.value = value;
      }
    });
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
