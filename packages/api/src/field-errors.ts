import { isFieldCode, type FieldCode, type FieldError, type MessageParams } from '@guanjia/core/errors';
import { PHONE_INPUT, phoneFieldError } from '@guanjia/core/phone';
import { en } from './messages/en.ts';

/** The parts of a zod 4 issue the mapping reads. */
export interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
  format?: string;
  pattern?: string;
  values?: unknown[];
  params?: Record<string, unknown>;
}

const PHONE_PATTERN = String(PHONE_INPUT);
const LENGTHS = new Set(['string']);
const COUNTS = new Set(['array', 'set', 'file']);

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let at = data;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function sizeCode(issue: Issue, big: boolean): FieldCode {
  if (LENGTHS.has(issue.origin ?? '')) return big ? 'too_long' : 'too_short';
  if (COUNTS.has(issue.origin ?? '')) return big ? 'too_many' : 'too_few';
  return big ? 'too_big' : 'too_small';
}

/** The stable code of one issue, and what its sentence needs. `input` is what was sent, to tell missing from wrong. */
function coded(issue: Issue, input: unknown): { code: FieldCode; params?: MessageParams } {
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return { code: 'required' };
      return issue.expected === 'int' ? { code: 'not_integer' } : { code: 'wrong_type', params: { expected: issue.expected ?? 'another type' } };
    case 'too_big':
      return { code: sizeCode(issue, true), params: { max: Number(issue.maximum) } };
    case 'too_small':
      return { code: sizeCode(issue, false), params: { min: Number(issue.minimum) } };
    case 'invalid_format':
      return { code: issue.pattern === PHONE_PATTERN ? 'invalid_phone' : 'invalid_format' };
    case 'not_multiple_of':
      return { code: 'not_allowed' };
    case 'invalid_value':
      return { code: 'not_allowed', params: issue.values ? { values: issue.values.map(String).join(', ') } : undefined };
    case 'custom': {
      const code = issue.params?.code;
      return { code: isFieldCode(code) ? code : 'invalid' };
    }
    default:
      return { code: 'invalid' };
  }
}

/**
 * Zod's issues as the API's field errors: each with a stable code a console translates, and
 * an English message from the catalogue rather than zod's ("Invalid input: expected string,
 * received undefined"), which no reader should see.
 */
export function fieldErrors(issues: Issue[], input: unknown): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, code: 'unknown_field', message: en.fields.unknown_field({}, '') }));
    }
    const { code, params } = coded(issue, input);
    // A phone that breaks the pattern is said as one the rules refuse.
    if (code === 'invalid_phone') return [phoneFieldError(path, String(valueAt(input, issue.path)))];
    // Zod's own wording is not for readers; only a refinement's or a pattern's message is ours.
    const ours = issue.code === 'custom' || (issue.code === 'invalid_format' && issue.format === 'regex') ? issue.message : '';
    return [{ path, code, message: en.fields[code](params ?? {}, ours), ...(params ? { params } : {}) }];
  });
}
