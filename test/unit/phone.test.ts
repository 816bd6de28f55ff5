import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesIn, normalizePhone, ValidationError } from '@guanjia/core';

describe('normalizePhone', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['138 0013 8000', '+8613800138000'],
    ['+86 138-0013-8000', '+8613800138000'],
    ['  +8613800138000 ', '+8613800138000'],
    ['010-12345678', '+861012345678'],
    ['+852 5123 4567', '+85251234567'],
  ])('reads %s as %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each(['12345', '1380013800', 'not a phone', '+86 000 0000 0000'])('refuses %s', (input) => {
    expect(() => normalizePhone(input)).toThrow(ValidationError);
  });

  it('echoes a short refused input as typed, never a masked form with digits nobody typed', () => {
    try {
      normalizePhone(' 1380013 ');
      expect.unreachable();
    } catch (error) {
      const [field] = (error as ValidationError).errors;
      expect(field).toEqual({ path: 'phone', code: 'invalid_phone', message: '1380013 is not a valid phone number', params: { input: '1380013' } });
      expect(JSON.stringify(field)).not.toContain('*');
    }
  });

  it('never echoes the whole number it refused', () => {
    try {
      normalizePhone('19999999999999');
      expect.unreachable();
    } catch (error) {
      const errors = (error as ValidationError).errors;
      expect(JSON.stringify(errors)).not.toMatch(/\d{7}|\*/);
      expect(errors[0]).toMatchObject({ path: 'phone', code: 'invalid_phone' });
    }
  });
});

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mainland mobile', () => {
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskPhone('13800138000')).toBe('138****8000');
  });

  it('masks every number in a log line', () => {
    expect(maskPhonesIn('{"phone":"+8613800138000","other":"138 0013 8000"}')).toBe('{"phone":"138****8000","other":"138****8000"}');
  });
});
