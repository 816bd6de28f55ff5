import { describe, expect, it } from 'vitest';
import { dailyActivityTable } from '@guanjia/api/tables/report-forms';

describe('the daily activity table', () => {
  it("lays a report out under the form's Chinese titles, one line per row with the day on each", () => {
    const figures = { receptions: 2, newCustomers: 1, interactions: 3, followUpsDone: 2, followUpsOverdue: 1 };
    const table = dailyActivityTable({ siteId: 's1', date: '2026-11-23', rows: [{ staffId: 'rep-li', name: '李娜', ...figures }], totals: figures });
    expect(table.columns.map((c) => c.title)).toEqual(['日期', '员工', '接待', '新客户', '回访', '跟进完成', '跟进逾期']);
    expect(table.rows).toHaveLength(1);
    expect(table.columns.map((c) => table.rows[0]![c.key])).toEqual(['2026-11-23', '李娜', 2, 1, 3, 2, 1]);
  });
});
