import { parse } from 'csv-parse/sync';
import { ValidationError } from '../errors.ts';
import type { Cell } from './cells.ts';
import type { SheetRow } from './rows.ts';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export type TextEncoding = 'utf-8' | 'gbk';

/**
 * The text of a CSV as Excel or WPS saved it: UTF-8 (with or without a BOM), or GBK, which
 * is what "CSV" means in Excel on a Chinese Windows. A file that is valid UTF-8 is read as
 * UTF-8; anything else is read as GBK. Nobody is asked which: the person exporting the list
 * does not know.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(UTF8_BOM.length) : bytes;
  try {
    // ignoreBOM: the BOM was taken off above; a second one would be a character of the header.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    if (bom)
      throw new ValidationError('the file says it is UTF-8 but is not', [
        { path: 'body', code: 'invalid_encoding', message: 'not valid UTF-8 after its byte order mark' },
      ]);
    return { text: new TextDecoder('gbk').decode(body), encoding: 'gbk' };
  }
}

/** The records of a CSV text, numbered as a spreadsheet numbers its rows. */
export function csvRows(text: string): SheetRow[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: false, bom: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError('the file is not a readable CSV', [{ path: 'body', code: 'unreadable_file', message }]);
  }
  return records.map((cells, i) => ({ number: i + 1, cells: cells as Cell[] }));
}
