/** Values a message is written with: what a catalogue fills into its sentence. */
export type MessageParams = Record<string, string | number>;

/**
 * Errors are values with names; `packages/api` alone turns them into HTTP statuses and
 * words. The message is plain English for logs; a reader's language is rendered from
 * `reason` (which case of `code` this is) and `details`, so core holds no language table.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
    readonly reason?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
}

export class ConflictError extends DomainError {
  readonly code: string = 'conflict';
}

/** Someone else changed the record first; the caller may read again and retry. */
export class VersionConflictError extends ConflictError {
  override readonly code = 'version_conflict';
}

/** The agent has been given as many callbacks on the day as the site's capacity allows. */
export class CapacityReachedError extends ConflictError {
  override readonly code = 'capacity_reached';
}

/** Who holds a phone at a site, as its claim says; a claim from before claims carried the owner names none. */
export interface PhoneHolder {
  customerId: string;
  ownerId?: string;
}

/** The phone is already claimed by a customer of the site; `holder` when the refused write told who holds it. */
export class PhoneTakenError extends ConflictError {
  override readonly code = 'phone_taken';
  constructor(
    readonly siteId: string,
    readonly phone: string,
    readonly holder?: PhoneHolder,
  ) {
    super('phone already registered at this site', { siteId });
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'invalid_transition';
}

/**
 * Every code a field error may carry, published in the OpenAPI document: a console
 * translates by code, so a code once given out keeps its meaning. The first group comes
 * from request validation, the rest from the rules.
 */
export const FIELD_CODES = [
  'required',
  'wrong_type',
  'too_short',
  'too_long',
  'too_small',
  'too_big',
  'too_few',
  'too_many',
  'not_integer',
  'invalid_format',
  'not_allowed',
  'unknown_field',
  'invalid',
  'nothing_visible',
  'control_character',
  'broken_character',
  'fraction_too_small',
  'nothing_to_change',
  'invalid_phone',
  'invalid_date',
  'invalid_time',
  'invalid_duration',
  'invalid_timezone',
  'out_of_range',
  'in_the_past',
  'in_the_future',
  'duplicate',
  'not_staff',
  'not_designer',
  'staff_deactivated',
  'is_leaver',
  'wrong_role',
  'cannot_read_complaints',
  'unknown_record',
  'unknown_referrer',
  'choose_record',
  'staff_only',
  'needs_reached',
  'callbacks_only',
  'close_loop_only',
  'not_on_checklist',
  'unknown_sms_purpose',
  'template_empty',
  'missing_signature',
  'missing_opt_out',
  'unbalanced_braces',
  'malformed_placeholder',
  'unknown_placeholder',
  'missing_value',
  'unknown_column',
  'duplicate_column',
  'missing_column',
  'invalid_encoding',
  'unreadable_file',
  'empty_file',
  'invalid_cursor',
] as const;

export type FieldCode = (typeof FIELD_CODES)[number];

export const isFieldCode = (code: unknown): code is FieldCode => (FIELD_CODES as readonly unknown[]).includes(code);

/** One field's fault: `message` is English; `params` fill the catalogue's sentence in any language. */
export interface FieldError {
  path: string;
  code: FieldCode;
  message: string;
  params?: MessageParams;
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}
