import type { AssetKind, IntakeChannel, IntentLevel, LeadType, SiteKind } from '../model.ts';
import { cellText, parseBirthday, parseChoice, parseDay, parsePhone, type Cell, type CellProblem, type Parsed } from './cells.ts';
import { mapHeaders, type ImportField, type ImportKind } from './headers.ts';

/** A row of the sheet with its number as the spreadsheet shows it (the header is usually 1). */
export interface SheetRow {
  number: number;
  cells: Cell[];
}

export interface ImportRow {
  number: number;
  name: string;
  phone: string;
  birthday?: string;
  smsConsent?: boolean;
  // deliveries
  asset?: { kind: AssetKind; label: string };
  deliveredOn?: string;
  // leads
  channel?: IntakeChannel;
  leadType?: LeadType;
  intentLevel?: IntentLevel;
  ownerId?: string;
  needs?: string;
  installDate?: string;
  handoverDate?: string;
}

export interface RowError extends CellProblem {
  row: number;
  column: ImportField | null;
}

export interface ReadSheet {
  /** Every data row: blank lines and a closing total row are not rows. */
  rows: number;
  valid: ImportRow[];
  errors: RowError[];
  /** The cells of each data row as given, by row number: the errors file repeats refused rows so. */
  lines: Map<number, Cell[]>;
  headers: string[];
}

const ASSET_KINDS: Record<string, AssetKind> = {
  home: 'home',
  car: 'car',
  installation: 'installation',
  product: 'product',
  房屋: 'home',
  住宅: 'home',
  房: 'home',
  车: 'car',
  车辆: 'car',
  汽车: 'car',
  安装: 'installation',
  装修: 'installation',
  产品: 'product',
  商品: 'product',
};
/**
 * Each source's name as the 来店(电)登记表 writes it: what a report shows for a channel. An
 * import reads these names back, beside the other names in use for the same source.
 */
export const CHANNEL_LABELS: Readonly<Record<IntakeChannel, string>> = {
  walk_in: '来店',
  phone: '来电',
  referral: '转介绍',
  event: '活动',
  partner: '渠道',
  sweep: '扫楼',
  online: '网络',
};
const CHANNELS: Record<string, IntakeChannel> = {
  walk_in: 'walk_in',
  phone: 'phone',
  referral: 'referral',
  event: 'event',
  partner: 'partner',
  sweep: 'sweep',
  online: 'online',
  ...(Object.fromEntries(Object.entries(CHANNEL_LABELS).map(([channel, label]) => [label, channel])) as Record<string, IntakeChannel>),
  到店: 'walk_in',
  到访: 'walk_in',
  自然到访: 'walk_in',
  电话: 'phone',
  老带新: 'referral',
  推荐: 'referral',
  合作: 'partner',
  中介: 'partner',
  分销: 'partner',
  陌拜: 'sweep',
  扫街: 'sweep',
  线上: 'online',
  网上: 'online',
};
const LEAD_TYPES: Record<string, LeadType> = {
  direct: 'direct',
  key_person: 'key_person',
  potential: 'potential',
  直接: 'direct',
  直接客户: 'direct',
  关键人: 'key_person',
  潜在: 'potential',
  潜在客户: 'potential',
};
const INTENT_LEVELS: Record<string, IntentLevel> = { h: 'H', a: 'A', b: 'B', c: 'C', H: 'H', A: 'A', B: 'B', C: 'C' };
const CONSENT: Record<string, boolean> = {
  是: true,
  同意: true,
  y: true,
  yes: true,
  true: true,
  '1': true,
  '√': true,
  否: false,
  不同意: false,
  n: false,
  no: false,
  false: false,
  '0': false,
  '×': false,
};

/** The asset a handover list holds when it does not say: what the site sells. */
const DEFAULT_ASSET: Record<SiteKind, AssetKind> = {
  real_estate: 'home',
  auto: 'car',
  decoration: 'installation',
  flooring: 'installation',
  retail: 'product',
};

const TOTAL = /^(合计|总计|小计|total)/iu;
const isBlank = (row: SheetRow) => row.cells.every((cell) => cellText(cell) === '');

/**
 * The sheet read into rows of the kind, each checked on its own: the first non-blank row
 * is the header, blank lines are dropped, and so is a last row that sums the list up
 * (合计/总计), which Excel users add without thinking of it as data.
 */
export function readSheet(kind: ImportKind, siteKind: SiteKind, sheet: SheetRow[]): ReadSheet {
  const lines = sheet.filter((row) => !isBlank(row));
  // A list often opens with its title in one merged cell (「3月交付名单」) above the header;
  // a header has at least the three required columns, so a row of one cell is not it.
  while (lines.length > 1 && lines[0]!.cells.filter((cell) => cellText(cell) !== '').length === 1) lines.shift();
  const [header, ...data] = lines;
  const headers = (header?.cells ?? []).map(cellText);
  const fields = mapHeaders(kind, headers);
  const last = data.at(-1);
  if (last && TOTAL.test(cellText(last.cells.find((cell) => cellText(cell) !== '') ?? null))) data.pop();

  const result: ReadSheet = { rows: data.length, valid: [], errors: [], lines: new Map(), headers };
  for (const line of data) {
    result.lines.set(line.number, line.cells);
    const cells = new Map<ImportField, Cell>();
    for (const [i, field] of fields.entries()) if (field) cells.set(field, line.cells[i] ?? null);
    const errors: RowError[] = [];
    const take = <T>(field: ImportField, parsed: Parsed<T>): T | undefined => {
      if ('value' in parsed) return parsed.value;
      errors.push({ row: line.number, column: field, ...parsed.problem });
      return undefined;
    };
    const present = (field: ImportField) => cellText(cells.get(field) ?? null) !== '';
    const required = (field: ImportField, label: string): boolean => {
      if (present(field)) return true;
      errors.push({ row: line.number, column: field, code: 'value_missing', reason: `${label}为空` });
      return false;
    };
    const cell = (field: ImportField) => cells.get(field) ?? null;

    const name = required('name', '姓名') ? cellText(cell('name')) : '';
    const phone = required('phone', '手机号') ? take('phone', parsePhone(cell('phone'))) : undefined;
    const row: ImportRow = { number: line.number, name, phone: phone ?? '' };
    if (present('birthday')) row.birthday = take('birthday', parseBirthday(cell('birthday')));
    if (present('smsConsent')) row.smsConsent = take('smsConsent', parseChoice(cell('smsConsent'), CONSENT, 'consent_unknown', '短信同意'));
    if (kind === 'deliveries') {
      const label = required('assetLabel', '房号/车架号/地址') ? cellText(cell('assetLabel')) : '';
      const assetKind = present('assetKind')
        ? take('assetKind', parseChoice(cell('assetKind'), ASSET_KINDS, 'asset_kind_unknown', '资产类型'))
        : DEFAULT_ASSET[siteKind];
      if (assetKind) row.asset = { kind: assetKind, label };
      if (required('deliveredOn', '交付日期')) row.deliveredOn = take('deliveredOn', parseDay(cell('deliveredOn')));
    } else {
      if (required('channel', '来源')) row.channel = take('channel', parseChoice(cell('channel'), CHANNELS, 'channel_unknown', '来源'));
      if (present('leadType')) row.leadType = take('leadType', parseChoice(cell('leadType'), LEAD_TYPES, 'lead_type_unknown', '客户类型'));
      if (present('intentLevel')) row.intentLevel = take('intentLevel', parseChoice(cell('intentLevel'), INTENT_LEVELS, 'intent_level_unknown', '意向等级'));
      if (present('ownerId')) row.ownerId = cellText(cell('ownerId'));
      if (present('needs')) row.needs = cellText(cell('needs'));
      if (present('installDate')) row.installDate = take('installDate', parseDay(cell('installDate')));
      if (present('handoverDate')) row.handoverDate = take('handoverDate', parseDay(cell('handoverDate')));
    }
    if (errors.length > 0) result.errors.push(...errors);
    else result.valid.push(row);
  }
  return result;
}
