import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_TYPE } from '@guanjia/api/tables/negotiate';
import { createTestApi, freshPhone, seedSite, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const day = '2026-11-23';

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'fmt');
  await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'fmt', name: '钱多多', phone: freshPhone(), channel: 'walk_in' } });
});
afterAll(() => api.close());

describe('the report routes as files', () => {
  it('answer the daily activity as a CSV that opens in Chinese: BOM, the form titles, a line per row', async () => {
    const res = await api.app.request(`/v1/reports/daily-activity?siteId=fmt&date=${day}`, {
      headers: { Authorization: `Bearer ${await api.tokenFor(s.manager)}`, Accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toContain(`daily-activity-fmt-${day}.csv`);
    const bytes = Buffer.from(await res.arrayBuffer());
    // Read as bytes: a text() decoder would drop the very BOM that Excel needs.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('日期,员工,接待,新客户,回访,跟进完成,跟进逾期');
    expect(lines).toContain(`${day},${s.repA.sub},1,1,0,0,0`);
  });

  it('answer the intent levels as a workbook with the same cells', async () => {
    const res = await api.app.request('/v1/reports/intent-levels?siteId=fmt&month=2026-11', {
      headers: { Authorization: `Bearer ${await api.tokenFor(s.manager)}`, Accept: XLSX_TYPE },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(XLSX_TYPE);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('月份');
    expect(sheet.getRow(1).getCell(2).value).toBe('员工');
    const repRow = sheet.getRows(2, sheet.rowCount - 1)!.find((row) => row.getCell(2).value === s.repA.sub)!;
    expect(repRow.getCell(1).value).toBe('2026-11');
    expect(repRow.getCell(11).value).toBe(1);
  });
});
