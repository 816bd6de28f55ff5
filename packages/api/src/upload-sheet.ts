import type ExcelJS from 'exceljs';
import { loadExcel } from './excel.ts';
import { csvRows, decodeCsvBytes, ValidationError, type Cell, type SheetRow } from '@guanjia/core';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv';
export const BYTES_TYPE = 'application/octet-stream';
export const UPLOAD_TYPES = [BYTES_TYPE, CSV_TYPE, XLSX_TYPE] as const;

/** An upload whose media type the import does not read: the route answers 415. */
export class UnsupportedUploadError extends Error {}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const isZip = (bytes: Uint8Array) => ZIP_SIGNATURE.every((b, i) => bytes[i] === b);

/** What an .xlsx cell holds, as the rows read it: rich text as its text, a formula as its result. */
function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return value.result === undefined ? null : cellOf(value.result as ExcelJS.CellValue);
  if ('text' in value) return typeof value.text === 'string' ? value.text : null;
  // An error cell (#N/A, #REF!) holds nothing the import can use.
  return null;
}

async function workbookRows(bytes: Uint8Array): Promise<SheetRow[]> {
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new ValidationError('the file is not a readable .xlsx workbook', [{ path: 'body', code: 'unreadable_file', message: 'not an .xlsx workbook' }]);
  }
  // The list is the first sheet; others (a legend, a pivot) are not rows of it.
  const sheet = workbook.worksheets[0];
  const rows: SheetRow[] = [];
  sheet?.eachRow({ includeEmpty: false }, (row, number) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    rows.push({ number, cells: Array.from(values, (value) => cellOf(value as ExcelJS.CellValue)) });
  });
  return rows;
}

/**
 * The rows of an uploaded list. `text/csv` comes through API Gateway as UTF-8 text, so it
 * is read as UTF-8 only; `application/octet-stream` is a CSV in whatever encoding Excel
 * saved it, or a workbook sent without its own type (recognised by its zip signature).
 */
export async function sheetOf(mediaType: string, bytes: Uint8Array): Promise<SheetRow[]> {
  if (bytes.byteLength === 0) throw new ValidationError('the file is empty', [{ path: 'body', code: 'empty_file', message: 'no bytes' }]);
  if (mediaType === XLSX_TYPE || (mediaType === BYTES_TYPE && isZip(bytes))) return workbookRows(bytes);
  if (mediaType === BYTES_TYPE) return csvRows(decodeCsvBytes(bytes).text);
  if (mediaType === CSV_TYPE) {
    const decoded = decodeCsvBytes(bytes);
    if (decoded.encoding !== 'utf-8') {
      throw new ValidationError('a text/csv body must be UTF-8; send a GBK file as application/octet-stream', [
        { path: 'body', code: 'invalid_encoding', message: 'not valid UTF-8' },
      ]);
    }
    return csvRows(decoded.text);
  }
  throw new UnsupportedUploadError(mediaType);
}
