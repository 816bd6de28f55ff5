import type { DailyActivityReport } from '@guanjia/core';

/**
 * A report as a table a renderer (CSV, a workbook) can lay out without knowing the report:
 * the column titles are the paper form's, in Chinese, and each row holds a value per column.
 */
export interface ReportTable {
  title: string;
  columns: { key: string; title: string }[];
  rows: Record<string, string | number>[];
}

/** 《营业活动访问日报表》: one line per staff member, as in the form. */
export function dailyActivityTable(report: DailyActivityReport): ReportTable {
  return {
    title: '营业活动访问日报表',
    columns: [
      { key: 'date', title: '日期' },
      { key: 'name', title: '员工' },
      { key: 'receptions', title: '接待' },
      { key: 'newCustomers', title: '新客户' },
      { key: 'interactions', title: '回访' },
      { key: 'followUpsDone', title: '跟进完成' },
      { key: 'followUpsOverdue', title: '跟进逾期' },
    ],
    rows: report.rows.map((row) => ({ date: report.date, ...row })),
  };
}
