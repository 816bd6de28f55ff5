import { ValidationError } from '../errors.ts';
import { normalizePhone } from '../phone.ts';

/** What one cell of a sheet holds: text from a CSV, or what an .xlsx cell typed. */
export type Cell = string | number | boolean | Date | null;

/** Why a cell was refused: a stable code, and the reason in Chinese for the person who made the sheet. */
export interface CellProblem {
  code: string;
  reason: string;
}

export type Parsed<T> = { value: T } | { problem: CellProblem };

const problem = (code: string, reason: string): { problem: CellProblem } => ({ problem: { code, reason } });

/** A cell's text, folded to half-width and trimmed; empty for nothing. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).normalize('NFKC').trim();
}

const EXPONENT = /^[\d０-９][.．]?[\d０-９]*[eEｅＥ][+＋]?[\d０-９]+$/u;
const FULL_WIDTH = /[０-９＋]/u;

/**
 * A phone as the sheet holds it. Two ways Excel and input methods spoil a number are named,
 * so that the person fixing the sheet knows what to look for: Excel shows a long number as
 * `1.38001E+10` and saves it so, its last digits gone; a Chinese input method types
 * full-width digits (１３８…), which look right and are other characters.
 */
export function parsePhone(cell: Cell): Parsed<string> {
  if (typeof cell === 'number') {
    return Number.isInteger(cell)
      ? parsePhone(String(cell))
      : problem('phone_mangled_by_excel', '手机号被 Excel 改成了科学计数法，末几位已丢失，请把该列设为文本后重新填写');
  }
  const raw = typeof cell === 'string' ? cell.trim() : '';
  if (EXPONENT.test(raw)) return problem('phone_mangled_by_excel', `手机号被 Excel 改成了科学计数法（${raw}），末几位已丢失，请把该列设为文本后重新填写`);
  if (FULL_WIDTH.test(raw)) return problem('phone_full_width', '手机号含全角数字，请改为半角数字');
  try {
    return { value: normalizePhone(raw) };
  } catch (error) {
    if (error instanceof ValidationError) return problem('phone_invalid', '手机号无效');
    throw error;
  }
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
// Serials from 1950 to 2100: a bare number outside them is not a date anyone meant.
const SERIAL_MIN = 18_264;
const SERIAL_MAX = 73_051;
const WRITTEN = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/u;

function isoDay(year: number, month: number, day: number): string | null {
  const at = new Date(Date.UTC(year, month - 1, day));
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  return at.toISOString().slice(0, 10);
}

/**
 * A calendar day from `2026-03-05`, `2026/3/5`, `2026年3月5日`, an Excel serial (46086) or an
 * .xlsx date cell. An .xlsx date is a day without a zone, read back as UTC midnight, so its
 * UTC fields are the day written in the sheet.
 */
export function parseDay(cell: Cell): Parsed<string> {
  if (cell instanceof Date) {
    const day = Number.isNaN(cell.getTime()) ? null : isoDay(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
    return day ? { value: day } : problem('date_invalid', '日期无效');
  }
  const text = cellText(cell);
  const serial = typeof cell === 'number' ? cell : /^\d{5}(\.\d+)?$/.test(text) ? Number(text) : null;
  if (serial !== null) {
    if (serial < SERIAL_MIN || serial > SERIAL_MAX) return problem('date_invalid', `日期无效（${text}）`);
    return { value: new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS).toISOString().slice(0, 10) };
  }
  const match = WRITTEN.exec(text);
  const day = match ? isoDay(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  return day ? { value: day } : problem('date_invalid', `日期无效（${text}），请写成 2026-03-05 或 2026/3/5`);
}

/** `MM-DD` from a birthday written with or without its year. */
export function parseBirthday(cell: Cell): Parsed<string> {
  const text = cellText(cell);
  const short = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/u.exec(text);
  if (short) {
    const day = isoDay(2000, Number(short[1]), Number(short[2]));
    return day ? { value: day.slice(5) } : problem('birthday_invalid', `生日无效（${text}）`);
  }
  const full = parseDay(cell);
  return 'value' in full ? { value: full.value.slice(5) } : problem('birthday_invalid', `生日无效（${text}）`);
}

/** One of a closed set of values, written as the API's code or as people say it. */
export function parseChoice<T extends string | boolean>(cell: Cell, aliases: Record<string, T>, code: string, what: string): Parsed<T> {
  const text = cellText(cell);
  const value = aliases[text.toLowerCase().replace(/[\s-]/g, '_')] ?? aliases[text];
  return value !== undefined ? { value } : problem(code, `${what}无法识别（${text}），可填：${[...new Set(Object.keys(aliases))].join('、')}`);
}
