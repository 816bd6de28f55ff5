import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, freshPhone, seedSite, staff, type TestApi } from '../support/api.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const WRITES = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand', 'BatchWriteCommand']);

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
let writes = 0;

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'imp');
  await seedSite(api, 'imp2');
  const send = api.table.doc.send.bind(api.table.doc) as (command: object) => Promise<unknown>;
  (api.table.doc as unknown as { send: typeof send }).send = async (command) => {
    if (WRITES.has(command.constructor.name)) writes++;
    return send(command);
  };
});
afterAll(() => api.close());

const csv = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const utf8 = (text: string) => new TextEncoder().encode(text);

async function dryRun(body: Uint8Array | string, type: string, kind = 'deliveries', who = s.service, siteId = 'imp') {
  writes = 0;
  return api.call(who, 'POST', `/v1/imports?siteId=${siteId}&kind=${kind}&dryRun=true`, { raw: body, headers: { 'Content-Type': type } });
}

async function known(phone: string, label?: string, deliveredOn?: string) {
  const intake = await api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'imp', name: '孙丽', phone, channel: 'walk_in' } });
  expect(intake.status).toBe(201);
  if (label) {
    const delivery = await api.call(s.service, 'POST', `/v1/customers/${intake.body.customer.id}/deliveries`, {
      body: { asset: { kind: 'home', label }, deliveredOn },
    });
    expect(delivery.status).toBe(201);
  }
}

describe('a dry run of a handover list', () => {
  it('reads a UTF-8 CSV with Chinese headers and counts new owners as created, writing nothing', async () => {
    const file = csv('姓名,手机号,房号,交付日期', `张伟,${freshPhone()},1栋101,2026-03-05`, `王芳,${freshPhone()},1栋102,2026/3/6`);
    const res = await dryRun(file, 'text/csv');
    expect(res.status).toBe(202);
    expect(res.body.import).toMatchObject({
      siteId: 'imp',
      kind: 'deliveries',
      dryRun: true,
      counts: { rows: 2, valid: 2, invalid: 0, created: 2, updated: 0, skipped: 0 },
    });
    expect(res.body.errors).toEqual([]);
    expect(writes).toBe(0);
  });

  it('reads the same list saved as UTF-8 with a BOM, with English headers', async () => {
    const file = utf8(`\uFEFF${csv('Name,Mobile,Unit,Delivered On', `Zhang Wei,${freshPhone()},1-101,2026-03-05`)}`);
    const res = await dryRun(file, 'application/octet-stream');
    expect(res.status).toBe(202);
    expect(res.body.import.counts).toMatchObject({ rows: 1, valid: 1, created: 1 });
  });

  it('detects a GBK file as Excel in China saves it, and refuses it as text/csv', async () => {
    const file = iconv.encode(csv('客户姓名,联系电话,房号,交房日期', `张伟,${freshPhone()},3栋2单元1801,2026/3/5`), 'gbk');
    const res = await dryRun(file, 'application/octet-stream');
    expect(res.status).toBe(202);
    expect(res.body.import.counts).toMatchObject({ rows: 1, valid: 1, created: 1 });
    expect((await dryRun(file, 'text/csv')).status).toBe(400);
  });

  it('reads a GBK file sent with an Idempotency-Key as sent, and answers a retry the same', async () => {
    const file = iconv.encode(csv('姓名,手机,房号,交付日期', `张伟,${freshPhone()},3栋2单元1801,2026/3/5`), 'gbk');
    const send = () =>
      api.call(s.service, 'POST', '/v1/imports?siteId=imp&kind=deliveries&dryRun=true', {
        raw: file,
        headers: { 'Content-Type': 'application/octet-stream', 'Idempotency-Key': `gbk-${freshPhone()}` },
      });
    const first = await send();
    expect(first.status).toBe(202);
    expect(first.body.import.counts).toMatchObject({ valid: 1, created: 1 });
  });

  it('reads an .xlsx workbook with Excel date cells and serial numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('交付名单');
    sheet.addRow(['姓名', '手机', '房号', '交付日期']);
    sheet.addRow(['张伟', Number(freshPhone()), '5栋501', new Date(Date.UTC(2026, 2, 5))]);
    sheet.addRow(['王芳', freshPhone(), '5栋502', 46086]);
    sheet.addRow(['李娜', freshPhone(), '5栋503', '2026-02-30']);
    const file = new Uint8Array(await workbook.xlsx.writeBuffer());
    const res = await dryRun(file, XLSX);
    expect(res.status).toBe(202);
    expect(res.body.import.counts).toMatchObject({ rows: 3, valid: 2, invalid: 1, created: 2 });
    expect(res.body.errors).toMatchObject([{ row: 4, column: 'deliveredOn', code: 'date_invalid' }]);
    expect(writes).toBe(0);
  });

  it('skips blank lines and a trailing total row', async () => {
    const file = csv('姓名,手机,房号,交付日期', `张伟,${freshPhone()},1栋101,2026-03-05`, ',,,', '', `王芳,${freshPhone()},1栋102,2026-03-05`, '合计,2,,');
    const res = await dryRun(file, 'text/csv');
    expect(res.body.import.counts).toMatchObject({ rows: 2, valid: 2, invalid: 0 });
  });

  it('names the phones Excel mangled, full-width digits, bad numbers and bad dates per row', async () => {
    const file = csv(
      '姓名,手机,房号,交付日期',
      '张伟,1.38001E+10,1栋101,2026-03-05',
      '王芳,１３８００１３８０００,1栋102,2026-03-05',
      '李娜,12345,1栋103,2026-03-05',
      `刘洋,${freshPhone()},1栋104,三月五日`,
      `陈静,${freshPhone()},,2026-03-05`,
    );
    const res = await dryRun(file, 'text/csv');
    expect(res.body.import.counts).toMatchObject({ rows: 5, valid: 0, invalid: 5 });
    expect(res.body.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'phone_mangled_by_excel'],
      [3, 'phone_full_width'],
      [4, 'phone_invalid'],
      [5, 'date_invalid'],
      [6, 'value_missing'],
    ]);
    expect(res.body.errors[0].reason).toContain('科学计数法');
  });

  it('skips a delivery the site holds already, updates one whose date changed, and counts a repeated unit once', async () => {
    const same = freshPhone();
    const moved = freshPhone();
    await known(same, '8栋801', '2026-03-05');
    await known(moved, '8栋802', '2026-03-05');
    const fresh = freshPhone();
    const file = csv(
      '姓名,手机,房号,交付日期',
      `孙丽,${same},８栋801 ,2026-03-05`,
      `孙丽,${moved},8栋802,2026-03-09`,
      `周杰,${fresh},8栋803,2026-03-05`,
      `周杰,${fresh},8栋804,2026-03-05`,
      `周杰,${fresh},8栋803,2026-03-05`,
    );
    const res = await dryRun(file, 'text/csv');
    expect(res.body.import.counts).toEqual({ rows: 5, valid: 4, invalid: 1, created: 1, updated: 2, skipped: 1 });
    expect(res.body.errors).toMatchObject([{ row: 6, code: 'duplicate_in_file' }]);
    expect(writes).toBe(0);
  });

  it('answers the refused rows as given with a reason column, as CSV with a BOM, when asked for text/csv', async () => {
    const good = freshPhone();
    const file = iconv.encode(
      csv('姓名,手机,房号,交付日期', `张伟,${good},1栋101,2026/3/5`, '王芳,1.38001E+10,"1栋,102",2026/3/5', '李娜,１３８００１３８０００,1栋103,下周'),
      'gbk',
    );
    const res = await api.app.request('/v1/imports?siteId=imp&kind=deliveries&dryRun=true', {
      method: 'POST',
      headers: { Authorization: `Bearer ${await api.tokenFor(s.service)}`, 'Content-Type': 'application/octet-stream', Accept: 'text/csv' },
      body: file,
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe('姓名,手机,房号,交付日期,reason');
    expect(lines[1]).toMatch(/^王芳,1\.38001E\+10,"1栋,102",2026\/3\/5,手机号被 Excel 改成了科学计数法/);
    expect(lines[2]).toMatch(/^李娜,１３８００１３８０００,1栋103,下周,手机号含全角数字.*；日期无效/);
    expect(lines.join('\n')).not.toContain(good);
  });

  it('refuses an unknown header by its name, listing the accepted ones', async () => {
    const res = await dryRun(csv('姓名,手机,房号,交付日期,微信号', `张伟,${freshPhone()},1栋101,2026-03-05,zw`), 'text/csv');
    expect(res.status).toBe(400);
    // The detail is the catalogue's sentence; the field error names the column and the accepted ones.
    expect(res.body.errors[0].message).toContain("'微信号'");
    expect(res.body.errors[0].message).toContain('交房日期');
  });

  it('refuses a file without a required column, naming it', async () => {
    const res = await dryRun(csv('姓名,手机,房号', `张伟,${freshPhone()},1栋101`), 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'columns.deliveredOn', code: 'missing_column', message: expect.stringContaining('交付日期') }),
    ]);
  });

  it('takes a file of 4 MiB and refuses one byte more with 413', async () => {
    const header = utf8(csv('姓名,手机,房号,交付日期'));
    const padded = (size: number) => {
      const file = new Uint8Array(size).fill(0x0a);
      file.set(header);
      return file;
    };
    expect((await dryRun(padded(4 * 1024 * 1024), 'text/csv')).status).toBe(202);
    const over = await dryRun(padded(4 * 1024 * 1024 + 1), 'text/csv');
    expect(over.status).toBe(413);
    expect(over.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('refuses a body of another media type with 415', async () => {
    const res = await api.call(s.service, 'POST', '/v1/imports?siteId=imp&kind=deliveries&dryRun=true', { body: { rows: [] } });
    expect(res.status).toBe(415);
  });
});

describe('a dry run of a lead list', () => {
  it('leaves a known phone its owner keeps as skipped, and refuses a phone repeated in the file', async () => {
    const old = freshPhone();
    await known(old);
    const fresh = freshPhone();
    const file = csv(
      '姓名,手机,来源,意向等级,客户类型,负责人',
      `王五,${fresh},扫楼,A,潜在客户,${s.repA.sub}`,
      `孙丽,${old},sweep,,,`,
      `王五,${fresh},扫楼,B,,`,
      `赵六,${freshPhone()},扫楼,,,nobody`,
    );
    const res = await dryRun(file, 'text/csv', 'leads');
    expect(res.status).toBe(202);
    expect(res.body.import.counts).toEqual({ rows: 4, valid: 2, invalid: 2, created: 1, updated: 0, skipped: 1 });
    expect(res.body.errors).toMatchObject([
      { row: 4, code: 'duplicate_in_file' },
      { row: 5, code: 'owner_unknown' },
    ]);
  });
});

describe('who may import', () => {
  const file = () => csv('姓名,手机,来源', `王五,${freshPhone()},扫楼`);

  it('lets admins, and managers and service agents of the site, check a list', async () => {
    for (const who of [admin, s.manager, s.service]) expect((await dryRun(file(), 'text/csv', 'leads', who)).status).toBe(202);
  });

  it('refuses sales reps, and staff of another site', async () => {
    expect((await dryRun(file(), 'text/csv', 'leads', s.repA)).status).toBe(403);
    expect((await dryRun(file(), 'text/csv', 'leads', staff('manager', 'mgr-imp2', ['imp2']))).status).toBe(403);
    expect((await dryRun(file(), 'text/csv', 'leads', staff('service', 'svc-imp2', ['imp2']))).status).toBe(403);
  });
});
