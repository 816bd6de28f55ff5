import { CHANNEL_LABELS, type DailyActivityReport, type IntentLevelReport, type RegistrationReport, type ServiceReport } from '@guanjia/core';
import type { ReportTable } from './report-table.ts';

/** 《营业活动访问日报表》 (003): one line per staff member, the day on each, as on the form. */
export function dailyActivityTable(report: DailyActivityReport): ReportTable {
  return {
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

/** 《月份意向客户级别状况表》 (003): each rep's leads at the month's end, by level and by type, and the month's moves. */
export function intentLevelsTable(report: IntentLevelReport): ReportTable {
  return {
    columns: [
      { key: 'month', title: '月份' },
      { key: 'name', title: '员工' },
      { key: 'H', title: 'H级' },
      { key: 'A', title: 'A级' },
      { key: 'B', title: 'B级' },
      { key: 'C', title: 'C级' },
      { key: 'unrated', title: '未定级' },
      { key: 'direct', title: '直接客户' },
      { key: 'keyPerson', title: '关键人' },
      { key: 'potential', title: '潜在客户' },
      { key: 'total', title: '合计' },
      { key: 'upgraded', title: '升级' },
      { key: 'downgraded', title: '降级' },
      { key: 'signed', title: '签约' },
      { key: 'lost', title: '流失' },
    ],
    rows: report.rows.map((row) => ({ month: report.month, ...row })),
  };
}

/** 回访投诉满意度: one line per staff member of each site, over the span. */
export function serviceTable(report: ServiceReport): ReportTable {
  return {
    columns: [
      { key: 'from', title: '起始日期' },
      { key: 'to', title: '截止日期' },
      { key: 'siteId', title: '项目' },
      { key: 'name', title: '员工' },
      { key: 'callbacksDone', title: '回访完成' },
      { key: 'complaintsAnswered', title: '投诉答复' },
      { key: 'answeredInWindowRate', title: '及时答复率' },
      { key: 'satisfactionAverage', title: '满意度均分' },
      { key: 'satisfactionCount', title: '评分数' },
    ],
    rows: report.rows.map((row) => ({ from: report.from, to: report.to, ...row })),
  };
}

/**
 * 来访登记 (002): who registered how many, through which source, one line per day, staff member
 * and source. The referrals by key person stay in the JSON: a CSV holds one table.
 */
export function registrationsTable(report: RegistrationReport): ReportTable {
  return {
    columns: [
      { key: 'date', title: '日期' },
      { key: 'name', title: '员工' },
      { key: 'channel', title: '来源' },
      { key: 'receptions', title: '接待' },
      { key: 'newCustomers', title: '新客户' },
    ],
    rows: report.rows.map((row) => ({ ...row, channel: CHANNEL_LABELS[row.channel] })),
  };
}
