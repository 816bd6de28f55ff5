import { describe, expect, it } from 'vitest';
import {
  ALLOWED_PLACEHOLDERS,
  allowedPlaceholders,
  assertValidTemplate,
  defaultTemplate,
  isSmsPurpose,
  kindOf,
  renderTemplate,
  smsParts,
  validateTemplate,
  ValidationError,
  type SmsPurpose,
} from '@guanjia/core';

const PURPOSES: SmsPurpose[] = [
  'callback_P3M',
  'callback_P1Y',
  'callback_P2Y',
  'complaint_ack',
  'sla_warning',
  'sla_escalation',
  'daily_digest',
  'birthday',
  'campaign',
];
const codes = (purpose: SmsPurpose, text: string) => validateTemplate(purpose, text).map((p) => p.code);

describe('kindOf', () => {
  it.each([
    ['callback_P3M', 'notice'],
    ['callback_P1Y', 'notice'],
    ['callback_P2Y', 'notice'],
    ['complaint_ack', 'notice'],
    ['sla_warning', 'notice'],
    ['sla_escalation', 'notice'],
    ['daily_digest', 'notice'],
    ['birthday', 'care'],
    ['campaign', 'care'],
  ] as const)('%s is a %s', (purpose, kind) => {
    expect(kindOf(purpose)).toBe(kind);
  });

  it('recognises purposes from outside', () => {
    expect(['callback_P18M', 'birthday', 'complaint_ack', 'sla_warning', 'sla_escalation'].every(isSmsPurpose)).toBe(true);
    expect(['callback_', 'callback_P 1Y', 'greeting', ''].some(isSmsPurpose)).toBe(false);
  });
});

describe('default templates', () => {
  it.each(PURPOSES)('%s validates and renders', (purpose) => {
    const text = defaultTemplate(purpose);
    expect(validateTemplate(purpose, text)).toEqual([]);
    const values = Object.fromEntries(allowedPlaceholders(purpose).map((p) => [p, `<${p}>`]));
    values.signature = '安居地产';
    const rendered = renderTemplate(text, values);
    expect(rendered.startsWith('【安居地产】')).toBe(true);
    expect(rendered).not.toMatch(/[{}]/);
    expect(rendered.endsWith('回T退订')).toBe(kindOf(purpose) === 'care');
    expect(smsParts(rendered).encoding).toBe('UCS-2');
  });

  it('keeps the wording for the two standard callbacks and the acknowledgement', () => {
    expect(defaultTemplate('callback_P3M')).toContain('已满三个月');
    expect(defaultTemplate('callback_P1Y')).toContain('五金配件、排水、电气和燃气安全');
    expect(defaultTemplate('complaint_ack')).toBe('【{signature}】{name}您好，您的反馈（编号{complaintId}）已收到，我们将在{respondBy}前答复您。');
    expect(defaultTemplate('callback_P2Y')).toBe(defaultTemplate('callback_P5Y'));
  });

  it('allows the signature everywhere and purpose values only where they are supplied', () => {
    for (const allowed of Object.values(ALLOWED_PLACEHOLDERS)) expect(allowed).toContain('signature');
    expect(ALLOWED_PLACEHOLDERS.complaint_ack).toContain('respondBy');
    expect(ALLOWED_PLACEHOLDERS.sla_escalation).toEqual(['signature', 'name', 'site', 'complaintId', 'respondBy']);
    expect(ALLOWED_PLACEHOLDERS.birthday).not.toContain('asset');
  });
});

describe('validateTemplate', () => {
  it('wants the signature placeholder first', () => {
    expect(codes('callback_P3M', '{name}您好【{signature}】')).toEqual(['missing_signature']);
    expect(codes('callback_P3M', '【安居地产】{name}您好')).toEqual(['missing_signature']);
  });

  it('wants care texts, and only care texts, to end with the opt-out line', () => {
    expect(codes('birthday', '【{signature}】{name}，生日快乐！')).toEqual(['missing_opt_out']);
    expect(codes('campaign', '【{signature}】回T退订 周末开放日')).toEqual(['missing_opt_out']);
    expect(codes('birthday', '【{signature}】{name}，生日快乐！回T退订\n')).toEqual([]);
    expect(codes('callback_P3M', '【{signature}】{name}您好')).toEqual([]);
  });

  it.each([
    ['birthday', '【{signature}】{asset}生日快乐回T退订', 'asset'],
    ['birthday', '【{signature}】{phone}回T退订', 'phone'],
    ['callback_P1Y', '【{signature}】编号{complaintId}', 'complaintId'],
    ['campaign', '【{signature}】{Name}回T退订', 'Name'],
  ] as const)('refuses in %s: %s', (purpose, text, placeholder) => {
    expect(validateTemplate(purpose, text)).toEqual([expect.objectContaining({ code: 'unknown_placeholder', placeholder })]);
  });

  it.each(['【{signature}】{name', '【{signature}】name}', '【{signature}】{{name}}', '【{signature}】}{'])('refuses unbalanced braces: %s', (text) => {
    expect(codes('callback_P3M', text)).toContain('unbalanced_braces');
  });

  it.each(['【{signature}】{ name }', '【{signature}】{}', '【{signature}】{客户}', '【{signature}】{1st}'])('refuses malformed placeholders: %s', (text) => {
    expect(codes('callback_P3M', text)).toEqual(['malformed_placeholder']);
  });

  it('reports a repeated bad placeholder once and an empty text plainly', () => {
    expect(codes('callback_P3M', '【{signature}】{x}{x}')).toEqual(['unknown_placeholder']);
    expect(codes('birthday', '  ')).toEqual(['empty']);
  });

  it('throws a ValidationError naming the field for the API', () => {
    expect(() => assertValidTemplate('birthday', '{phone}', 'templates.birthday')).toThrow(ValidationError);
    try {
      assertValidTemplate('birthday', '{phone}', 'templates.birthday');
    } catch (error) {
      expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['templates.birthday', 'templates.birthday', 'templates.birthday']);
    }
    expect(() => assertValidTemplate('birthday', defaultTemplate('birthday'))).not.toThrow();
  });
});

describe('renderTemplate', () => {
  it('fills every placeholder, once', () => {
    expect(renderTemplate('【{signature}】{name}，{name}', { signature: 'S', name: '王先生' })).toBe('【S】王先生，王先生');
    expect(renderTemplate('{name}', { name: '{site}', site: 'x' })).toBe('{site}');
    expect(renderTemplate('{name}!', { name: '', unused: 'y' })).toBe('!');
  });

  it('throws, listing every placeholder without a value', () => {
    expect(() => renderTemplate('【{signature}】{name}{asset}', { signature: 'S' })).toThrow(ValidationError);
    try {
      renderTemplate('【{signature}】{name}{asset}{name}', { signature: 'S', asset: undefined });
    } catch (error) {
      expect((error as ValidationError).errors.map((e) => e.path)).toEqual(['name', 'asset']);
    }
    expect(() => renderTemplate('{toString}', {})).toThrow(ValidationError);
  });
});

describe('smsParts', () => {
  const zh = (n: number) => '中'.repeat(n);
  const a = (n: number) => 'a'.repeat(n);

  it.each([
    [zh(70), 70, 1],
    [zh(71), 71, 2],
    [zh(134), 134, 2],
    [zh(135), 135, 3],
    [zh(201), 201, 3],
    [zh(202), 202, 4],
  ])('UCS-2 %#: %s units → %s parts', (text, characters, parts) => {
    expect(smsParts(text)).toEqual({ encoding: 'UCS-2', characters, parts });
  });

  it.each([
    [a(160), 160, 1],
    [a(161), 161, 2],
    [a(306), 306, 2],
    [a(307), 307, 3],
  ])('GSM-7 %#: %s septets → %s parts', (text, characters, parts) => {
    expect(smsParts(text)).toEqual({ encoding: 'GSM-7', characters, parts });
  });

  it('counts extension characters as two septets', () => {
    for (const c of '^{}\\[~]|€') expect(smsParts(c)).toEqual({ encoding: 'GSM-7', characters: 2, parts: 1 });
    expect(smsParts('€'.repeat(80))).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(smsParts('€'.repeat(81))).toEqual({ encoding: 'GSM-7', characters: 162, parts: 2 });
    expect(smsParts(`${a(159)}^`)).toEqual({ encoding: 'GSM-7', characters: 161, parts: 2 });
  });

  it('never splits an escape pair or a surrogate pair across parts', () => {
    expect(smsParts(`${a(152)}€${a(152)}`)).toEqual({ encoding: 'GSM-7', characters: 306, parts: 3 });
    expect(smsParts(`${zh(66)}😀${zh(66)}`)).toEqual({ encoding: 'UCS-2', characters: 134, parts: 3 });
  });

  it('counts an emoji as two UTF-16 units and one non-GSM character turns the whole text UCS-2', () => {
    expect(smsParts(`${zh(68)}😀`)).toEqual({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(smsParts(`${a(69)}😀`)).toEqual({ encoding: 'UCS-2', characters: 71, parts: 2 });
    expect(smsParts(`${a(69)}ç`)).toEqual({ encoding: 'UCS-2', characters: 70, parts: 1 });
    expect(smsParts('Ça coûte 5€').encoding).toBe('UCS-2');
    expect(smsParts('Ça va? 5€ @home\n')).toEqual({ encoding: 'GSM-7', characters: 17, parts: 1 });
  });

  it('gives an empty text no parts', () => {
    expect(smsParts('')).toEqual({ encoding: 'GSM-7', characters: 0, parts: 0 });
  });
});

describe('callback purposes', () => {
  it('name any plan a site may define, so its callbacks get the generic callback text', async () => {
    const { isSmsPurpose, defaultTemplate } = await import('@guanjia/core');
    expect(isSmsPurpose('callback_warranty-2y')).toBe(true);
    expect(defaultTemplate('callback_warranty-2y')).not.toBe(defaultTemplate('callback_P3M'));
  });
});
