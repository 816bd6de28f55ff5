type Excel = typeof import('exceljs');

/**
 * ExcelJS (with its zip, stream and promise libraries) loaded on the first workbook read or
 * written, not at cold start: evaluating it took a large share of the API function's import,
 * and most invocations never touch a workbook.
 */
let excel: Promise<Excel> | undefined;

export function loadExcel(): Promise<Excel> {
  // A CommonJS package: its exports are the namespace's default, under Node and in a bundle alike.
  excel ??= import('exceljs').then((module) => (module as Excel & { default?: Excel }).default ?? module);
  return excel;
}
