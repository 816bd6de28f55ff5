/** Errors are values with names; `packages/api` alone turns them into HTTP statuses. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
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

/** The phone is already claimed by a customer of the site. */
export class PhoneTakenError extends ConflictError {
  override readonly code = 'phone_taken';
  constructor(
    readonly siteId: string,
    readonly phone: string,
  ) {
    super('phone already registered at this site');
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'invalid_transition';
}

export interface FieldError {
  path: string;
  message: string;
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
