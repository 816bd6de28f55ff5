import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import { tableToCsv } from './csv.ts';
import type { ReportTable } from './report-table.ts';
import { tableToXlsx } from './xlsx.ts';

export const JSON_TYPE = 'application/json';
export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ReportFormat = typeof JSON_TYPE | typeof CSV_TYPE | typeof XLSX_TYPE;

/**
 * The format the `Accept` header prefers, by q-value and then by how exactly it names the
 * type (`text/*` is CSV). JSON when there is no header, when it asks only `*\/*`, or when it
 * names nothing offered: a client that sent a browser's default still gets an answer.
 */
export function reportFormat(c: Context): ReportFormat {
  return accepts(c, { header: 'Accept', supports: [JSON_TYPE, CSV_TYPE, XLSX_TYPE], default: JSON_TYPE }) as ReportFormat;
}

/** RFC 5987's attr-char keeps letters, digits and `!#$&+-.^_`|~`; encodeURIComponent leaves `'()*` too. */
const rfc5987 = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * An attachment named `name`: a plain ASCII `filename` for old clients (anything else becomes
 * `_`) and the exact name, Chinese and all, as RFC 5987 `filename*`, which browsers prefer.
 */
export function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(name)}`;
}

export interface ReportAnswer<T> {
  /** The JSON answer, as the route's schema declares it. */
  json: T;
  /** The same report's rows as the paper form's table. */
  table: ReportTable;
  /** The file name without extension, e.g. `daily-activity-001-2026-11-23`. */
  filename: string;
  /** The workbook's sheet name (at most 31 characters are kept), e.g. `营业活动访问日报表`. */
  sheetName?: string;
}

/**
 * Answers a report route in the format the caller asked for: JSON, a CSV (UTF-8 with BOM)
 * or an .xlsx workbook of the same table, the files as attachments. `Vary: Accept` keeps a
 * cache from handing one format to a client that asked for another.
 *
 * ```ts
 * app.openapi(
 *   createRoute({ ..., responses: { 200: reportResponses('the daily activity of the site', DailyActivitySchema), ...errorResponses } }),
 *   async (c) => {
 *     const report = await dailyActivity(...);
 *     return answerReport(c, { json: report, table: { columns: DAILY_ACTIVITY_COLUMNS, rows: report.rows }, filename: `daily-activity-${report.siteId}-${report.date}` });
 *   },
 * );
 * ```
 */
export async function answerReport<T>(c: Context, answer: ReportAnswer<T>): Promise<Response> {
  c.header('Vary', 'Accept', { append: true });
  const format = reportFormat(c);
  if (format === JSON_TYPE) return c.json(answer.json as object, 200);
  if (format === CSV_TYPE) {
    return c.body(tableToCsv(answer.table), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(`${answer.filename}.csv`) });
  }
  const workbook = await tableToXlsx(answer.table, answer.sheetName);
  return c.body(workbook as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': XLSX_TYPE, 'Content-Disposition': attachment(`${answer.filename}.xlsx`) });
}

/**
 * The 200 of a report route in the OpenAPI document: the JSON schema, and the CSV and the
 * workbook as what `Accept` can ask for instead. Spread beside `errorResponses`.
 */
export function reportResponses<T extends z.ZodType>(description: string, schema: T) {
  return {
    description: `${description}. \`Accept: text/csv\` gives the rows as CSV (UTF-8 with BOM, titles in Chinese); \`Accept: ${XLSX_TYPE}\` as an .xlsx workbook.`,
    content: {
      [JSON_TYPE]: { schema },
      [CSV_TYPE]: { schema: z.string().openapi({ description: 'UTF-8 with a byte order mark; a header row of Chinese titles, then one line per row' }) },
      [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary', description: 'a workbook of one sheet: the same cells, numbers as numbers' }) },
    },
  };
}
