import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { dailyActivity, intentLevels, registrationsReport, serviceReport } from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import { errorResponses } from '../schemas/common.ts';
import {
  DailyActivityQuery,
  DailyActivitySchema,
  IntentLevelsQuery,
  IntentLevelsSchema,
  RegistrationsQuery,
  RegistrationsSchema,
  ServiceQuery,
  ServiceSchema,
} from '../schemas/reports.ts';
import { dailyActivityTable, intentLevelsTable, registrationsTable, serviceTable } from '../tables/report-forms.ts';
import { answerReport, reportResponses } from '../tables/negotiate.ts';
import { access, REACH } from '../route-conventions.ts';

const tags = ['Reports'];

/** The reports of the manuals: JSON, or by `Accept` the paper form's table as CSV or a workbook. */
export function reportRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/daily-activity',
      ...access('report.daily_activity', REACH.ownRow),
      tags,
      summary: '营业活动访问日报表: a site day per staff member (a sales rep reads their own row)',
      request: { query: DailyActivityQuery },
      responses: {
        200: reportResponses('the day, one row per sales rep and per other staff member with something to count', DailyActivitySchema),
        ...errorResponses,
      },
    }),
    async (c) => {
      const report = await dailyActivity(c.get('ctx'), c.get('principal'), c.req.valid('query'));
      return answerReport(c, {
        json: report,
        table: dailyActivityTable(report),
        filename: `daily-activity-${report.siteId}-${report.date}`,
        sheetName: '营业活动访问日报表',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/intent-levels',
      ...access('report.intent_levels', REACH.ownRow),
      tags,
      summary: "月份意向客户级别状况表: the leads each rep owned at the month's end, by level and type (a sales rep reads their own row)",
      request: { query: IntentLevelsQuery },
      responses: { 200: reportResponses('the month, one row per sales rep and per other staff member with leads', IntentLevelsSchema), ...errorResponses },
    }),
    async (c) => {
      const report = await intentLevels(c.get('ctx'), c.get('principal'), c.req.valid('query'));
      return answerReport(c, {
        json: report,
        table: intentLevelsTable(report),
        filename: `intent-levels-${report.siteId}-${report.month}`,
        sheetName: '月份意向客户级别状况表',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/service',
      ...access('report.service'),
      tags,
      summary: "回访与投诉: callbacks, complaints and satisfaction per site and per staff member, held against the group's",
      request: { query: ServiceQuery },
      responses: { 200: reportResponses('the span, per site in reach, per staff member, and the group', ServiceSchema), ...errorResponses },
    }),
    async (c) => {
      const report = await serviceReport(c.get('ctx'), c.get('principal'), c.req.valid('query'));
      const scope = c.req.valid('query').siteId ?? 'all';
      return answerReport(c, {
        json: report,
        table: serviceTable(report),
        filename: `service-${scope}-${report.from}-${report.to}`,
        sheetName: '回访投诉满意度报表',
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/registrations',
      ...access('report.registrations', REACH.ownRow),
      tags,
      summary: '来访登记: who registered how many, through which source, per day (a sales rep reads their own rows)',
      request: { query: RegistrationsQuery },
      responses: { 200: reportResponses('one row per day, staff member and source with anything registered', RegistrationsSchema), ...errorResponses },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const report = await registrationsReport(c.get('ctx'), c.get('principal'), query);
      return answerReport(c, {
        json: report,
        table: registrationsTable(report),
        filename: `registrations-${query.siteId}-${query.from}-${query.to}`,
        sheetName: '来访登记统计表',
      });
    },
  );
}
