/**
 * A report as a table, the way the paper forms print it (《营业活动访问日报表》…): columns
 * keyed by a field of the report's rows, titled in Chinese, and one line per row.
 */
export interface ReportColumn<K extends string = string> {
  key: K;
  /** The column's title on the paper form, e.g. `接待数`. */
  title: string;
}

/** A number stays a number in both formats; null or a missing field is an empty cell. */
export type Cell = string | number | null | undefined;

export interface ReportTable<K extends string = string> {
  columns: readonly ReportColumn<K>[];
  rows: readonly Readonly<Record<K, Cell>>[];
}

/** A number that is not finite (a rate of nothing) has no value to show. */
export const isShownNumber = (value: Cell): value is number => typeof value === 'number' && Number.isFinite(value);
