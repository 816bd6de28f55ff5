import { z } from '@hono/zod-openapi';
import { isCalendarDay, PHONE_INPUT } from '@guanjia/core';
import { FIELD_CODES, type FieldCode } from '@guanjia/core/errors';

/** A refinement's message with its stable field code, which the 400 answer carries. */
const says = (code: FieldCode, message: string) => ({ message, params: { code } });

/** Ids chosen by people (sites, staff, plans): no separators, no spaces, no surprises. */
export const Id = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

// The examples are the local demo's (`npm start`), so that "Try it out" in /docs works on it
// unchanged; without them Swagger UI fills in strings drawn from the pattern, which no site has.
/** A site's id; the example is the demo site. */
export const SiteId = Id.openapi({ example: 'demo' });
/** A staff member's id; the example is the demo's sales rep 李娜. */
export const StaffId = Id.openapi({ example: 'rep-li' });

/** Ids of records, some made from others (`callback:<deliveryId>:P3M`). */
export const RecordId = z
  .string()
  .trim()
  .min(1)
  .max(160)
  .regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits, -, _ and : only')
  // The shape `createIds` gives: base-36 milliseconds (2026-11-23 09:30 in Shanghai), then 12 random characters.
  .openapi({
    example: '0mwsl9800a7x4c9d2b8e5',
    description: "a record's id as an earlier answer gave it; the example has the shape of one but names no record, so put in a real one",
  });

// Control characters other than line breaks and tabs have no place in what a person typed,
// and a text of only invisible characters (zero-width spaces, joiners, marks) reads as empty.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's purpose
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}\p{Mn}\p{Me}]/u;

/** Text a person typed: trimmed, capped, well-formed UTF-16, with something to read in it. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !LONE_SURROGATE.test(v), says('broken_character', 'holds a broken character (a lone surrogate)'))
    .refine((v) => !CONTROL.test(v), says('control_character', 'holds a control character'))
    .refine((v) => VISIBLE.test(v), says('nothing_visible', 'holds nothing visible'));

export const Phone = z
  .string()
  .trim()
  .min(3)
  .max(32)
  .regex(PHONE_INPUT, 'digits, spaces, + - ( ) and . only')
  .openapi({ example: '13800138000', description: 'normalised to E.164; a bare 11-digit number is mainland China' });

// DynamoDB keeps numbers from 1e-130 to under 1e126 in magnitude, and 0; any other fails the
// write after the rules ran, so it is refused with the rest of the input.
const storable = (n: number) => n === 0 || (Math.abs(n) >= 1e-130 && Math.abs(n) < 1e126);

/** A quantity (area, budget, count) that the database can keep. */
export const Amount = z
  .number()
  .nonnegative()
  .max(1e12)
  .refine(storable, says('fraction_too_small', 'too small a fraction to keep; round it'))
  .openapi({ example: 120 });

export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine(isCalendarDay, says('invalid_date', 'not a calendar day'))
  .openapi({ example: '2026-11-23' });

export const Instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-23T09:30:00+08:00' });

/**
 * A Shanghai day `days` from when the document is built, for the examples of fields that
 * must lie ahead: a fixed date would make "Try it out" a 400 once the calendar passed it.
 * Documentation only; no rule reads it, so it needs no injected clock.
 */
export function dayAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** MM-DD; 02-29 is a real birthday, so it is checked as a day of a leap year. */
export const Birthday = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'MM-DD')
  .refine((v) => isCalendarDay(`2024-${v}`), says('invalid_date', 'not a day of the year'))
  .openapi({ example: '02-29' });

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: '1 to 100', example: 20 }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const FieldErrorSchema = z
  .object({
    path: z.string(),
    code: z.enum(FIELD_CODES).openapi({ description: 'stable; a console translates by it' }),
    message: z.string().openapi({ description: 'in the language of the answer' }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .openapi({ description: 'the values the message names' }),
  })
  .openapi('FieldError');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .openapi('Problem');

/** Problems are worded in the language `Accept-Language` prefers; this header says which. */
const CONTENT_LANGUAGE_HEADER = {
  'Content-Language': { description: 'the language of title, detail and messages', schema: { type: 'string' as const, enum: ['en', 'zh-CN'] } },
};

export const problemResponse = (description: string) => ({
  description,
  headers: CONTENT_LANGUAGE_HEADER,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The answers every authenticated route may give besides its own. */
export const errorResponses = {
  400: problemResponse('invalid request'),
  401: problemResponse('no token, or a bad one'),
  403: problemResponse('the role may not do this'),
  404: problemResponse("not found, or outside the caller's reach"),
  409: problemResponse('conflicts with the current state'),
  413: problemResponse('body over 64 KiB'),
  422: problemResponse('Idempotency-Key reused with another body'),
};

/** A PATCH that names nothing to change is a client's mistake, not a change to stamp. */
export const someField = <T extends z.ZodObject>(schema: T) =>
  schema.refine((value) => Object.keys(value).length > 0, says('nothing_to_change', 'name at least one field to change')).openapi({ minProperties: 1 });

export const IdempotencyHeader = z.object({
  'idempotency-key': z.string().optional().openapi({ description: 'retrying with the same key and body returns the first response' }),
});
