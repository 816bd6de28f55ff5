import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { errorResponses } from '@guanjia/api/schemas/common';
import { answerReport, attachment, reportResponses, XLSX_TYPE } from '@guanjia/api/tables/negotiate';
import { Contract, type OpenApiDocument } from '../support/contract.ts';

/** A report route as the report routes are meant to be written, on an app of its own. */
const Report = z.object({ siteId: z.string(), rows: z.array(z.object({ name: z.string(), receptions: z.number() })) });
const report = { siteId: '001', rows: [{ name: '王芳', receptions: 3 }] };

const app = new OpenAPIHono();
app.openapi(
  createRoute({ method: 'get', path: '/v1/reports/sample', responses: { 200: reportResponses('a sample report', Report), ...errorResponses } }),
  (c) =>
    answerReport(c, {
      json: report,
      table: {
        columns: [
          { key: 'name', title: '姓名' },
          { key: 'receptions', title: '接待数' },
        ],
        rows: report.rows,
      },
      filename: `营业活动访问日报表-${report.siteId}-2026-11-23`,
      sheetName: '营业活动访问日报表',
    }),
);
const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'sample', version: '1' } });
const contract = new Contract(document as unknown as OpenApiDocument);

async function get(accept?: string) {
  const res = await app.request('/v1/reports/sample', accept === undefined ? {} : { headers: { Accept: accept } });
  const type = res.headers.get('Content-Type');
  const bytes = new Uint8Array(await res.arrayBuffer());
  const body = type?.includes('json') ? JSON.parse(new TextDecoder().decode(bytes)) : null;
  contract.check('GET', '/v1/reports/sample', res.status, type, body);
  return { res, type: type?.split(';')[0], bytes, body };
}

describe('answering a report by the Accept header', () => {
  it.each([
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/csv;q=0.9, application/json', 'application/json'],
    ['text/csv', 'text/csv'],
    ['text/*', 'text/csv'],
    ['application/json;q=0.5, text/csv', 'text/csv'],
    ['application/json;q=0, text/csv;q=0.1', 'text/csv'],
    [`${XLSX_TYPE}, text/csv;q=0.8`, XLSX_TYPE],
    ['text/html, image/png', 'application/json'],
  ])('Accept %s gets %s', async (accept, expected) => {
    const { res, type } = await get(accept);
    expect(res.status).toBe(200);
    expect(type).toBe(expected);
    expect(res.headers.get('Vary')).toContain('Accept');
  });

  it('answers JSON with the report itself and no attachment', async () => {
    const { res, body } = await get('application/json');
    expect(body).toEqual(report);
    expect(res.headers.get('Content-Disposition')).toBeNull();
  });

  it('answers CSV as UTF-8 with BOM, as an attachment named in ASCII and, exactly, in RFC 5987 form', async () => {
    const { res, bytes } = await get('text/csv');
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFF姓名,接待数\r\n王芳,3\r\n');
    const disposition = res.headers.get('Content-Disposition')!;
    expect(disposition).toContain('filename="_________-001-2026-11-23.csv"');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('营业活动访问日报表-001-2026-11-23.csv')}`);
  });

  it('answers the .xlsx type with a workbook of the same cells', async () => {
    const { res, bytes } = await get(XLSX_TYPE);
    expect(res.headers.get('Content-Disposition')).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('营业活动访问日报表')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '姓名', '接待数']);
    expect(sheet.getRow(2).values).toEqual([undefined, '王芳', 3]);
  });

  it('declares all three media types in the OpenAPI document of the route', async () => {
    const content = document.paths!['/v1/reports/sample']!.get!.responses!['200']!.content!;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/csv', XLSX_TYPE].sort());
  });
});

describe('an attachment header', () => {
  it('encodes the characters RFC 5987 keeps out of a value, and keeps quotes out of the plain name', () => {
    expect(attachment(`a"b'(1)*.csv`)).toBe(`attachment; filename="a_b'(1)*.csv"; filename*=UTF-8''a%22b%27%281%29%2A.csv`);
  });
});
