import { ValidationError, type FieldCode, type FieldError } from './errors.ts';

/**
 * What an SMS is for. A callback's purpose carries its plan offset (`callback_P3M`), so a
 * site that adds `P2Y` gets its own template slot without a code change.
 */
export type SmsPurpose =
  | 'callback_P3M'
  | 'callback_P1Y'
  | `callback_${string}`
  | 'complaint_ack'
  | 'sla_warning'
  | 'sla_escalation'
  | 'daily_digest'
  | 'birthday'
  | 'campaign';

/** `notice` is transactional (goes despite opt-out); `care` is promotional (consent, caps, 回T退订). */
export type SmsKind = 'notice' | 'care';

export function kindOf(purpose: SmsPurpose): SmsKind {
  return purpose === 'complaint_ack' || purpose === 'daily_digest' || purpose.startsWith('sla_') || purpose.startsWith('callback_') ? 'notice' : 'care';
}

const PURPOSE = /^(?:callback_[A-Za-z0-9_-]+|complaint_ack|sla_warning|sla_escalation|daily_digest|birthday|campaign)$/;

/** For strings from outside (API bodies, stored items): is it a purpose we know how to send? */
export function isSmsPurpose(value: string): value is SmsPurpose {
  return PURPOSE.test(value);
}

/** Chinese carriers require the registered signature in 【】; it comes from the site, never typed into a text. */
export const SIGNATURE_PREFIX = '【{signature}】';
/** Promotional texts must tell the reader how to stop them. */
export const OPT_OUT_LINE = '回T退订';

const GENERIC_CALLBACK = `${SIGNATURE_PREFIX}{name}您好，我们的客服将在近日就{asset}致电回访，了解您的使用情况。如有问题请随时联系我们。`;

const DEFAULTS: Record<
  'callback_P3M' | 'callback_P1Y' | 'complaint_ack' | 'sla_warning' | 'sla_escalation' | 'daily_digest' | 'birthday' | 'campaign',
  string
> = {
  callback_P3M: `${SIGNATURE_PREFIX}{name}您好，您入住{asset}已满三个月，我们的客服将在近日致电回访，了解您的居住体验。如有问题请随时联系我们。`,
  callback_P1Y: `${SIGNATURE_PREFIX}{name}您好，您入住{asset}已满一年，我们将在近日与您预约上门质量检查（五金配件、排水、电气和燃气安全）。如有问题请随时联系我们。`,
  complaint_ack: `${SIGNATURE_PREFIX}{name}您好，您的反馈（编号{complaintId}）已收到，我们将在{respondBy}前答复您。`,
  // The SLA texts go to staff: {name} is the staff member's.
  sla_warning: `${SIGNATURE_PREFIX}{name}您好，投诉{complaintId}尚未答复，须在{respondBy}前答复客户，请尽快处理。`,
  sla_escalation: `${SIGNATURE_PREFIX}{name}您好，投诉{complaintId}已超过答复时限（{respondBy}）仍未答复，已升级给您，请尽快处理。`,
  // The evening digest goes to each manager: {name} is theirs, the figures the site's day.
  daily_digest: `${SIGNATURE_PREFIX}{name}您好，{site}{day}日报：接待{receptions}组，新增客户{newCustomers}个，逾期未跟进{followUpsOverdue}个，回访完成{callbacksDone}/{callbacksDue}，投诉超时未答复{complaintsOverdue}件。`,
  birthday: `${SIGNATURE_PREFIX}{name}，祝您生日快乐！感谢您一直以来的信任与支持。${OPT_OUT_LINE}`,
  // A campaign normally brings its own text; this holiday greeting is what a blank one falls back to.
  campaign: `${SIGNATURE_PREFIX}{name}您好，感谢您一直以来对{site}的关注与支持，祝您和家人生活愉快！${OPT_OUT_LINE}`,
};

/** The text a site gets until it saves its own. */
export function defaultTemplate(purpose: SmsPurpose): string {
  return purpose in DEFAULTS ? DEFAULTS[purpose as keyof typeof DEFAULTS] : GENERIC_CALLBACK;
}

const COMMON = ['signature', 'name', 'site'] as const;
/** What the evening digest tells a manager of the site's day. */
export const DIGEST_FIGURES = ['day', 'receptions', 'newCustomers', 'followUpsOverdue', 'callbacksDone', 'callbacksDue', 'complaintsOverdue'] as const;

/** The values the sender supplies for each purpose; a template may use no others. */
export function allowedPlaceholders(purpose: SmsPurpose): readonly string[] {
  if (purpose.startsWith('callback_')) return [...COMMON, 'asset'];
  if (purpose === 'complaint_ack' || purpose === 'sla_warning' || purpose === 'sla_escalation') return [...COMMON, 'complaintId', 'respondBy'];
  if (purpose === 'daily_digest') return [...COMMON, ...DIGEST_FIGURES];
  return COMMON;
}

/** The fixed purposes' allowances, for documentation and forms; callbacks of any plan share `callback_P3M`'s. */
export const ALLOWED_PLACEHOLDERS: Readonly<Record<keyof typeof DEFAULTS, readonly string[]>> = {
  callback_P3M: allowedPlaceholders('callback_P3M'),
  callback_P1Y: allowedPlaceholders('callback_P1Y'),
  complaint_ack: allowedPlaceholders('complaint_ack'),
  sla_warning: allowedPlaceholders('sla_warning'),
  sla_escalation: allowedPlaceholders('sla_escalation'),
  daily_digest: allowedPlaceholders('daily_digest'),
  birthday: allowedPlaceholders('birthday'),
  campaign: allowedPlaceholders('campaign'),
};

export type TemplateProblemCode = 'empty' | 'missing_signature' | 'missing_opt_out' | 'unbalanced_braces' | 'malformed_placeholder' | 'unknown_placeholder';

// A template's problems as field codes; `empty` alone is renamed, `empty` being too vague a field code.
const TEMPLATE_FIELD_CODES = {
  empty: 'template_empty',
  missing_signature: 'missing_signature',
  missing_opt_out: 'missing_opt_out',
  unbalanced_braces: 'unbalanced_braces',
  malformed_placeholder: 'malformed_placeholder',
  unknown_placeholder: 'unknown_placeholder',
} as const satisfies Record<TemplateProblemCode, FieldCode>;

export interface TemplateProblem {
  code: TemplateProblemCode;
  message: string;
  placeholder?: string;
}

const BRACED = /\{([^{}]*)\}/g;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Every reason a site's template cannot be saved. Braces are reserved for placeholders (there
 * is no escape), so a stray one is a typo, not text. The signature must be the placeholder,
 * first, so that a site's carrier-registered signature is the only one ever sent.
 */
export function validateTemplate(purpose: SmsPurpose, text: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (text.trim() === '') return [{ code: 'empty', message: 'the text is empty' }];
  if (!text.startsWith(SIGNATURE_PREFIX)) {
    problems.push({ code: 'missing_signature', message: `the text must start with ${SIGNATURE_PREFIX}` });
  }
  if (kindOf(purpose) === 'care' && !text.trimEnd().endsWith(OPT_OUT_LINE)) {
    problems.push({ code: 'missing_opt_out', message: `a care text must end with ${OPT_OUT_LINE}` });
  }
  if (/[{}]/.test(text.replace(BRACED, ''))) {
    problems.push({ code: 'unbalanced_braces', message: 'a { or } has no partner' });
  }
  const allowed = allowedPlaceholders(purpose);
  const seen = new Set<string>();
  for (const [, inner = ''] of text.matchAll(BRACED)) {
    if (seen.has(inner)) continue;
    seen.add(inner);
    if (!NAME.test(inner)) {
      problems.push({ code: 'malformed_placeholder', placeholder: inner, message: `{${inner}} is not a placeholder name` });
    } else if (!allowed.includes(inner)) {
      problems.push({
        code: 'unknown_placeholder',
        placeholder: inner,
        message: `{${inner}} is not available for ${purpose}; use ${allowed.map((p) => `{${p}}`).join(' ')}`,
      });
    }
  }
  return problems;
}

/** `validateTemplate` as the API wants it: a `ValidationError` naming the field. */
export function assertValidTemplate(purpose: SmsPurpose, text: string, path = 'template'): void {
  const problems = validateTemplate(purpose, text);
  if (problems.length > 0) {
    const errors: FieldError[] = problems.map((p) => ({
      path,
      code: TEMPLATE_FIELD_CODES[p.code],
      message: p.message,
      ...(p.placeholder !== undefined ? { params: { value: p.placeholder } } : {}),
    }));
    throw new ValidationError('invalid SMS template', errors);
  }
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/**
 * Fills every `{placeholder}` in one pass (a value that itself contains `{x}` stays literal).
 * A missing value throws rather than sending a customer the raw `{name}`.
 */
export function renderTemplate(text: string, values: Readonly<Record<string, string | undefined>>): string {
  const missing = new Set<string>();
  const rendered = text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    return value;
  });
  if (missing.size > 0) {
    throw new ValidationError(
      'SMS template has placeholders without values',
      [...missing].map((name) => ({ path: name, code: 'missing_value' as const, message: `no value for {${name}}`, params: { value: name } })),
    );
  }
  return rendered;
}

// GSM 03.38: the basic table less ESC (which only introduces the extension table), and the
// extension characters, each sent as ESC + one septet.
const GSM_BASIC = new Set('@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà');
const GSM_EXTENSION = new Set('\f^{}\\[~]|€');

export interface SmsParts {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets for GSM-7, UTF-16 code units for UCS-2: what carriers bill by. */
  characters: number;
  /** SMS a carrier sends (and charges) for this text; 0 for an empty text. */
  parts: number;
}

/**
 * How many SMS a text costs. A concatenated part loses room to its header (153 septets or
 * 67 UCS-2 units instead of 160/70), and a character is never split across two parts, so an
 * extension character or an emoji at a boundary can push the count one higher than plain
 * division would.
 */
export function smsParts(text: string): SmsParts {
  const chars = [...text];
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENSION.has(c));
  const widths = gsm ? chars.map((c) => (GSM_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const characters = widths.reduce((sum, w) => sum + w, 0);
  const [single, perPart] = gsm ? [160, 153] : [70, 67];
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', characters, parts: countParts(widths, characters, single, perPart) };
}

function countParts(widths: number[], total: number, single: number, perPart: number): number {
  if (total === 0) return 0;
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > perPart) {
      parts += 1;
      used = 0;
    }
    used += width;
  }
  return parts;
}
