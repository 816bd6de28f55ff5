import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvRows, decodeCsvBytes, mapHeaders, parseDay, parsePhone, planRows, readSheet, ValidationError, type ImportRow, type SheetRow } from '@guanjia/core';

const sheet = (...rows: (string | number | Date | null)[][]): SheetRow[] => rows.map((cells, i) => ({ number: i + 1, cells }));

describe('reading an import file', () => {
  it('reads UTF-8 with and without a BOM, and GBK, to the same text', () => {
    const text = '姓名,手机\n张三,13800138000\n';
    const utf8 = new TextEncoder().encode(text);
    expect(decodeCsvBytes(utf8)).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsvBytes(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gbk' });
  });

  it('numbers CSV records as the spreadsheet numbers its rows', () => {
    expect(csvRows('a,b\n\n"x\ny",2\n')).toEqual([
      { number: 1, cells: ['a', 'b'] },
      { number: 2, cells: [''] },
      { number: 3, cells: ['x\ny', '2'] },
    ]);
  });

  it('maps Chinese and English headers with their variants, whatever their width, case or required mark', () => {
    expect(mapHeaders('deliveries', ['客户姓名', 'Mobile', '房号', 'Delivered On', '', '短信'])).toEqual([
      'name',
      'phone',
      'assetLabel',
      'deliveredOn',
      null,
      'smsConsent',
    ]);
    expect(mapHeaders('leads', ['*姓名', '联系电话（必填）', '渠道', 'intent_level', '置业顾问', 'ＬＥＡＤ ＴＹＰＥ'])).toEqual([
      'name',
      'phone',
      'channel',
      'intentLevel',
      'ownerId',
      'leadType',
    ]);
  });

  it('refuses an unknown header by its name, listing the accepted ones', () => {
    const error = (() => {
      try {
        mapHeaders('deliveries', ['姓名', '手机', '房号', '交付日期', '微信号']);
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.message).toContain("'微信号'");
    expect(error!.message).toContain('交房日期');
  });

  it('refuses a file without a required column, naming it', () => {
    expect(() => mapHeaders('leads', ['姓名', '手机'])).toThrow(/channel \(来源\)/);
  });

  it('reads dates written with dashes, slashes or Chinese, Excel serials and date cells; refuses impossible ones', () => {
    expect(parseDay('2026-03-05')).toEqual({ value: '2026-03-05' });
    expect(parseDay('2026/3/5')).toEqual({ value: '2026-03-05' });
    expect(parseDay('2026年3月5日')).toEqual({ value: '2026-03-05' });
    expect(parseDay(46086)).toEqual({ value: '2026-03-05' });
    expect(parseDay('46086')).toEqual({ value: '2026-03-05' });
    expect(parseDay(new Date(Date.UTC(2026, 2, 5)))).toEqual({ value: '2026-03-05' });
    expect(parseDay('2026-02-30')).toMatchObject({ problem: { code: 'date_invalid' } });
    expect(parseDay('下周三')).toMatchObject({ problem: { code: 'date_invalid' } });
  });

  it('names the phones Excel mangled and the full-width ones, and normalises the rest', () => {
    expect(parsePhone('138 0013 8000')).toEqual({ value: '+8613800138000' });
    expect(parsePhone(13800138000)).toEqual({ value: '+8613800138000' });
    expect(parsePhone('1.38001E+10')).toMatchObject({ problem: { code: 'phone_mangled_by_excel' } });
    expect(parsePhone(13800.138)).toMatchObject({ problem: { code: 'phone_mangled_by_excel' } });
    expect(parsePhone('１３８００１３８０００')).toMatchObject({ problem: { code: 'phone_full_width' } });
    expect(parsePhone('12345')).toMatchObject({ problem: { code: 'phone_invalid' } });
  });

  it('skips blank lines and a closing total row, and keeps the reasons of each refused row', () => {
    const read = readSheet(
      'deliveries',
      'real_estate',
      sheet(
        ['姓名', '手机', '房号', '交付日期'],
        ['张三', '13800138000', '1-101', '2026/3/5'],
        ['', '', '', ''],
        ['李四', '1.38001E+10', '', '2026-13-01'],
        ['合计', '2', '', ''],
      ),
    );
    expect(read.rows).toBe(2);
    expect(read.valid).toEqual([{ number: 2, name: '张三', phone: '+8613800138000', asset: { kind: 'home', label: '1-101' }, deliveredOn: '2026-03-05' }]);
    expect(read.errors.map((e) => [e.row, e.code])).toEqual([
      [4, 'phone_mangled_by_excel'],
      [4, 'value_missing'],
      [4, 'date_invalid'],
    ]);
  });

  it('passes over a title written above the header in one cell', () => {
    const read = readSheet('leads', 'flooring', sheet(['2026年3月扫楼名单', null, ''], ['姓名', '手机号', '来源'], ['王五', '13900139000', '扫楼']));
    expect(read.headers).toEqual(['姓名', '手机号', '来源']);
    expect(read.valid).toMatchObject([{ number: 3, name: '王五' }]);
  });

  it('reads lead choices written in Chinese', () => {
    const read = readSheet(
      'leads',
      'flooring',
      sheet(['姓名', '手机号', '来源', '意向等级', '客户类型', '短信'], ['王五', '13900139000', '扫楼', 'a', '潜在客户', '否']),
    );
    expect(read.valid[0]).toMatchObject({ channel: 'sweep', intentLevel: 'A', leadType: 'potential', smsConsent: false });
  });
});

describe('planning an import', () => {
  const row = (number: number, phone: string, label?: string, deliveredOn = '2026-03-05'): ImportRow => ({
    number,
    name: 'x',
    phone,
    ...(label ? { asset: { kind: 'home' as const, label }, deliveredOn } : {}),
  });

  it('refuses a lead whose phone an earlier row of the file holds', () => {
    const { outcomes, duplicates } = planRows('leads', [row(2, '+8613800138000'), row(3, '+8613800138000')], new Map());
    expect([...outcomes]).toEqual([[2, 'created']]);
    expect(duplicates).toMatchObject([{ row: 3, code: 'duplicate_in_file' }]);
  });

  it('merges a second unit of one buyer onto the customer the first row creates, and refuses the same unit twice', () => {
    const { outcomes, duplicates } = planRows('deliveries', [row(2, 'p', '1-101'), row(3, 'p', '1-102'), row(4, 'p', '１-101 ')], new Map());
    expect([...outcomes]).toEqual([
      [2, 'created'],
      [3, 'updated'],
    ]);
    expect(duplicates).toMatchObject([{ row: 4, code: 'duplicate_in_file' }]);
  });

  it('skips a delivery the site holds with the same date, and updates one whose date changed', () => {
    const deliveries = new Map([
      ['1-101', '2026-03-05'],
      ['1-102', '2026-03-01'],
    ]);
    const known = new Map([['p', { ownerId: 'rep-a', deliveries }]]);
    const { outcomes } = planRows('deliveries', [row(2, 'p', ' 1-101'), row(3, 'p', '1-102'), row(4, 'q', '2-201')], known);
    expect([...outcomes]).toEqual([
      [2, 'skipped'],
      [3, 'updated'],
      [4, 'created'],
    ]);
  });
});
