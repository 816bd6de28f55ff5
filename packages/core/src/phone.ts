import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationError } from './errors.ts';

/**
 * What a phone number may be written with. libphonenumber reads past trailing letters
 * (`+8613800138000x`), which would store a number the person never typed.
 */
export const PHONE_INPUT = /^\+?[\d\s().-]+$/;

/**
 * E.164 from what a rep typed: `13800138000`, `138 0013 8000`, `+86 138-0013-8000` all give
 * `+8613800138000`. A number without a country code is read as mainland China.
 */
export function normalizePhone(input: string, path = 'phone'): string {
  const parsed = PHONE_INPUT.test(input.trim()) ? parsePhoneNumberFromString(input.trim(), 'CN') : undefined;
  if (!parsed?.isValid()) {
    // The caller's own input, echoed as typed: a masked form would show digits nobody typed.
    const typed = input.trim();
    throw new ValidationError('not a valid phone number', [
      { path, code: 'invalid_phone', message: `${typed} is not a valid phone number`, params: { input: typed } },
    ]);
  }
  return parsed.number;
}

/** 尾号: the last 4 digits of a normalised number, by which a caller is found at the desk. */
export function phoneTail(phone: string): string {
  return phone.slice(-4);
}

/** `+8613800138000` → `138****8000`: what logs and foreign eyes may see of a number. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const national = digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits;
  if (national.length < 7) return '****';
  return `${national.slice(0, 3)}****${national.slice(-4)}`;
}

const PHONE_LIKE = /\+?\d[\d -]{9,16}\d/g;

/** Masks every phone-like run of digits in free text, for log lines. */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_LIKE, (match) => maskPhone(match));
}
