import type { SmsKind } from './sms-text.ts';

export interface SmsMessage {
  /** E.164, e.g. `+8613800138000`. */
  to: string;
  body: string;
  /** Decides the carrier route: notices are transactional, care texts promotional. */
  kind: SmsKind;
}

/**
 * The one SMS port: what the outbox needs of a provider. `@guanjia/sms` implements it (SNS
 * in AWS, the console locally) and wraps it in the send cap. A send fails with one of the
 * `SmsError`s below; anything else is a fault of the code.
 */
export interface SmsSender {
  send(message: SmsMessage): Promise<{ providerId: string }>;
}

/** Base of a provider's failures: `retryable` is what the sender retries on, `reason` what the outbox records. */
export abstract class SmsError extends Error {
  abstract readonly retryable: boolean;
  abstract readonly reason: string;
  /** Set when retries gave up, so the outbox can tell how hard it tried. */
  attempts?: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The provider was busy or briefly failing: the same message may succeed later. */
export class SmsThrottledError extends SmsError {
  readonly retryable = true;
  readonly reason = 'throttled';
}

/** The provider refused this message for good (bad number, opted out, not authorised). */
export class SmsRejectedError extends SmsError {
  readonly retryable = false;
  /** Short provider code without the `Exception` suffix, e.g. `OptedOut`, `InvalidParameter`. */
  readonly reason: string;
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * The request got no answer (timeout, reset): the provider may or may not have taken the
 * message. SNS Publish has no idempotency key, so trying again could send it twice; the
 * outbox records the message as failed with this reason for a person to look at instead.
 */
export class SmsOutcomeUnknownError extends SmsError {
  readonly retryable = false;
  readonly reason = 'outcome_unknown';
}
