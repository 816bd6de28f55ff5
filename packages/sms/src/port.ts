import type { SmsKind } from '@guanjia/core';

export interface SmsMessage {
  /** E.164, e.g. `+8613800138000`. */
  to: string;
  body: string;
  /** Decides the carrier route: notices are transactional, care texts promotional. */
  kind: SmsKind;
}

/** Sends one rendered text. Throws one of the `SmsError`s below, nothing else expected. */
export interface Sms {
  send(message: SmsMessage): Promise<{ providerId: string }>;
}

/** Base of the adapter's failures; `retryable` is what the dispatcher branches on. */
export abstract class SmsError extends Error {
  abstract readonly retryable: boolean;
  /** Set by `sendWithRetry` when it gives up, so the outbox can record how hard it tried. */
  attempts?: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The provider was busy or briefly failing: the same message may succeed later. */
export class SmsThrottledError extends SmsError {
  readonly retryable = true;
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
 * The request got no answer (timeout, reset): SNS may or may not have taken the message.
 * SNS Publish has no idempotency key, so trying again could send it twice; the outbox
 * records the message as failed with this reason for a person to look at instead.
 */
export class SmsOutcomeUnknownError extends SmsError {
  readonly retryable = false;
  readonly reason = 'outcome_unknown';
}
