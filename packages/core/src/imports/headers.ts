import { ValidationError } from '../errors.ts';

export const IMPORT_KINDS = ['deliveries', 'leads'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export type DeliveryField = 'name' | 'phone' | 'assetLabel' | 'deliveredOn' | 'assetKind' | 'birthday' | 'smsConsent';
export type LeadField =
  | 'name'
  | 'phone'
  | 'channel'
  | 'leadType'
  | 'intentLevel'
  | 'ownerId'
  | 'needs'
  | 'installDate'
  | 'handoverDate'
  | 'birthday'
  | 'smsConsent';
export type ImportField = DeliveryField | LeadField;

interface Column {
  field: ImportField;
  required: boolean;
  /** The headers people write for it, Chinese first: the first is the one shown in messages. */
  names: string[];
}

const NAME: Column = { field: 'name', required: true, names: ['姓名', '客户姓名', '业主姓名', '客户名称', '名字', 'name', 'customer name', 'customer'] };
const PHONE: Column = {
  field: 'phone',
  required: true,
  names: ['手机', '手机号', '手机号码', '联系电话', '电话', '电话号码', '联系方式', 'phone', 'mobile', 'phone number', 'mobile phone', 'tel'],
};
const BIRTHDAY: Column = { field: 'birthday', required: false, names: ['生日', '出生日期', 'birthday', 'date of birth'] };
const SMS: Column = { field: 'smsConsent', required: false, names: ['短信', '接收短信', '同意短信', '短信同意', 'sms', 'sms consent'] };

const COLUMNS: Record<ImportKind, Column[]> = {
  deliveries: [
    NAME,
    PHONE,
    {
      field: 'assetLabel',
      required: true,
      names: ['房号', '房间号', '车架号', '地址', '安装地址', '资产', 'asset', 'asset label', 'unit', 'unit no', 'vin', 'address'],
    },
    { field: 'deliveredOn', required: true, names: ['交付日期', '交房日期', '交车日期', '安装日期', '日期', 'delivered on', 'delivery date', 'date'] },
    { field: 'assetKind', required: false, names: ['资产类型', '交付类型', 'asset kind', 'kind'] },
    BIRTHDAY,
    SMS,
  ],
  leads: [
    NAME,
    PHONE,
    { field: 'channel', required: true, names: ['来源', '渠道', '客户来源', 'channel', 'source'] },
    { field: 'leadType', required: false, names: ['客户类型', '线索类型', 'lead type'] },
    { field: 'intentLevel', required: false, names: ['意向等级', '意向级别', '意向', 'intent level', 'intent'] },
    { field: 'ownerId', required: false, names: ['置业顾问', '负责人', '销售顾问', '顾问', 'owner', 'owner id'] },
    { field: 'needs', required: false, names: ['需求', '备注', 'needs', 'notes', 'note'] },
    // The customer's own dates: a lead list that has them opens the site's milestone calls, as intake does.
    { field: 'installDate', required: false, names: ['安装日期', '计划安装日期', '预计安装日期', 'install date', 'installation date'] },
    { field: 'handoverDate', required: false, names: ['交房日期', '预计交房日期', 'handover date'] },
    BIRTHDAY,
    SMS,
  ],
};

/**
 * How a header compares: full-width forms folded (NFKC), case, spaces, `_`, `-` and the
 * `*` of a required column dropped, and a trailing note in brackets (`手机号（必填）`) too.
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[([].*[)\]]\s*$/u, '')
    .replace(/[\s_*-]/gu, '');
}

/** Which field each column of the sheet holds (`null` for an untitled, ignored column). */
export type HeaderMap = (ImportField | null)[];

function accepted(kind: ImportKind): string {
  return COLUMNS[kind].map((c) => `${c.names.join(' / ')}${c.required ? ' (required)' : ''}`).join('; ');
}

/**
 * The header row read against the kind's columns. A header it cannot place is refused with
 * the names it would take: a column silently dropped would import rows without it.
 */
export function mapHeaders(kind: ImportKind, headers: string[]): HeaderMap {
  const byKey = new Map<string, Column>();
  for (const column of COLUMNS[kind]) for (const name of column.names) byKey.set(headerKey(name), column);
  const seen = new Set<ImportField>();
  const map = headers.map((header, index): ImportField | null => {
    const key = headerKey(header);
    if (key === '') return null;
    const column = byKey.get(key);
    if (!column) {
      throw new ValidationError(`unknown column '${header.trim()}'; the ${kind} columns are: ${accepted(kind)}`, [
        {
          path: `columns.${index + 1}`,
          code: 'unknown_column',
          message: `'${header.trim()}' is not a column of ${kind}; accepted: ${accepted(kind)}`,
          params: { value: header.trim(), values: accepted(kind) },
        },
      ]);
    }
    if (seen.has(column.field)) {
      throw new ValidationError(`two columns hold ${column.field} ('${header.trim()}')`, [
        { path: `columns.${index + 1}`, code: 'duplicate_column', message: `a second column for ${column.field}`, params: { value: header.trim() } },
      ]);
    }
    seen.add(column.field);
    return column.field;
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !seen.has(c.field));
  if (missing.length > 0) {
    const names = missing.map((c) => `${c.field} (${c.names[0]})`).join(', ');
    throw new ValidationError(
      `required column missing: ${names}`,
      missing.map((c) => ({
        path: `columns.${c.field}`,
        code: 'missing_column' as const,
        message: `required column missing; write it as one of: ${c.names.join(' / ')}`,
        params: { values: c.names.join(' / ') },
      })),
    );
  }
  return map;
}
