import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationError, type FieldError } from './errors.ts';

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
    throw new ValidationError('not a valid phone number', [phoneFieldError(path, input)]);
  }
  return parsed.number;
}

/**
 * The field error of a phone that is not one. What was typed is echoed as typed, never
 * masked (a mask shows digits nobody typed), so the caller sees their slip; but input long
 * enough to be someone's whole number is left out, as logs leave it out: answers are kept
 * (idempotency records) and logged by gateways.
 */
export function phoneFieldError(path: string, input: string): FieldError {
  const typed = input.trim();
  if (maskPhonesIn(typed) !== typed) return { path, code: 'invalid_phone', message: 'is not a valid phone number' };
  return { path, code: 'invalid_phone', message: `${typed} is not a valid phone number`, params: { input: typed } };
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
