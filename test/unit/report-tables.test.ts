import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { tableToCsv } from '@guanjia/api/tables/csv';
import type { ReportTable } from '@guanjia/api/tables/report-table';
import { tableToXlsx } from '@guanjia/api/tables/xlsx';

const columns = [
  { key: 'name', title: '姓名' },
  { key: 'receptions', title: '接待数' },
  { key: 'note', title: '备注' },
] as const;

const table: ReportTable<'name' | 'receptions' | 'note'> = {
  columns,
  rows: [
    { name: '王芳', receptions: 3, note: '看了, 三栋' },
    { name: '李"强"', receptions: 0, note: '第一行\n第二行' },
    { name: '=HYPERLINK("http://x","点我")', receptions: -2, note: '+86 138' },
    { name: '@SUM(A1)', receptions: 0.75, note: '-5' },
    { name: '\tTab', receptions: null, note: '\rCR' },
    { name: '赵敏', receptions: Number.NaN, note: undefined },
  ],
};

const BOM = '\uFEFF';

describe('a report table as CSV', () => {
  const csv = tableToCsv(table);
  const lines = csv.slice(BOM.length).split('\r\n');

  it('starts with a UTF-8 byte order mark, so that Excel and WPS read the Chinese', () => {
    expect(csv.startsWith(BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('has a header row of the Chinese column titles, then one CRLF-ended line per row', () => {
    expect(lines[0]).toBe('姓名,接待数,备注');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('quotes a field holding a comma, a quote or a line break, doubling its quotes', () => {
    expect(lines[1]).toBe('王芳,3,"看了, 三栋"');
    expect(csv).toContain('"李""强""",0,"第一行\n第二行"\r\n');
  });

  it('prefixes an apostrophe to text a spreadsheet would run as a formula', () => {
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""点我"")",-2,'+86 138\r\n`);
    expect(csv).toContain("'@SUM(A1),0.75,'-5\r\n");
    expect(csv).toContain('\'\tTab,,"\'\rCR"\r\n');
  });

  it('writes numbers bare, negative ones too, and nothing for a missing or non-finite value', () => {
    expect(csv).toContain(',-2,');
    expect(csv).toContain(',0.75,');
    expect(csv.endsWith('赵敏,,\r\n')).toBe(true);
  });
});

describe('a report table as an .xlsx workbook', () => {
  async function readBack() {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await tableToXlsx(table, '营业活动访问日报表')) as unknown as ArrayBuffer);
    return workbook;
  }

  it('holds one sheet, named as asked, with the titles and then the rows', async () => {
    const workbook = await readBack();
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['营业活动访问日报表']);
    const sheet = workbook.worksheets[0]!;
    const values = (r: number) => [1, 2, 3].map((c) => sheet.getRow(r).getCell(c).value);
    expect(values(1)).toEqual(['姓名', '接待数', '备注']);
    expect(values(2)).toEqual(['王芳', 3, '看了, 三栋']);
    expect(values(3)).toEqual(['李"强"', 0, '第一行\n第二行']);
    expect(values(4)).toEqual(['=HYPERLINK("http://x","点我")', -2, '+86 138']);
    expect(values(7)).toEqual(['赵敏', null, null]);
    expect(sheet.rowCount).toBe(7);
  });

  it('keeps numbers as numeric cells and every text as a string cell, never a formula', async () => {
    const sheet = (await readBack()).worksheets[0]!;
    const types: Record<string, number> = {};
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.formula, `${cell.address} is a formula`).toBeFalsy();
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        types[cell.address] = cell.type;
      }),
    );
    expect(types.A4).toBe(ExcelJS.ValueType.String);
    expect(types.A5).toBe(ExcelJS.ValueType.String);
    expect(types.B4).toBe(ExcelJS.ValueType.Number);
    expect(types.B5).toBe(ExcelJS.ValueType.Number);
  });

  it('cuts a sheet name to what Excel accepts', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await tableToXlsx(table, 'a/b:c'.padEnd(40, 'x'))) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.name).toBe('a_b_c'.padEnd(31, 'x'));
  });
});
