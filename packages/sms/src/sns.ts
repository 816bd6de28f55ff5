import { PublishCommand, SNSClient, type MessageAttributeValue, type SNSClientConfig } from '@aws-sdk/client-sns';
import { maskPhonesIn } from '@guanjia/core';
import { SmsOutcomeUnknownError, SmsRejectedError, SmsThrottledError, type SmsSender, type SmsMessage } from '@guanjia/core';
import type { Departure } from './rate-limit.ts';

export interface SnsSmsOptions {
  /** Alphanumeric sender shown where the destination country supports it. */
  senderId?: string;
}

/**
 * An SNS client for `SnsSms`. The SDK's own retries would start sends the rate limiter never
 * sees, so they are off: `sendWithRetry` retries, through the limiter.
 */
export function snsClientForSms(config: SNSClientConfig = {}): SNSClient {
  return new SNSClient({ ...config, maxAttempts: 1 });
}

const E164 = /^\+[1-9]\d{6,14}$/;

export class SnsSms implements SmsSender {
  constructor(
    private readonly client: SNSClient,
    private readonly options: SnsSmsOptions = {},
  ) {}

  /** `departing` is called as the signed request is handed to the HTTP handler: the rate cap counts from there. */
  async send(message: SmsMessage, departing?: Departure): Promise<{ providerId: string }> {
    // SNS would refuse it too, but only after a request and a slot of the rate cap.
    if (!E164.test(message.to)) throw new SmsRejectedError('InvalidPhoneNumber', 'the number is not E.164');
    const attributes: Record<string, MessageAttributeValue> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: message.kind === 'notice' ? 'Transactional' : 'Promotional' },
    };
    if (this.options.senderId) {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.options.senderId };
    }
    try {
      const command = new PublishCommand({ PhoneNumber: message.to, Message: message.body, MessageAttributes: attributes });
      // The innermost step before the handler: building and signing the request (a first
      // credential lookup among them) may take any time, and all of it comes before the stamp.
      if (departing)
        command.middlewareStack.add(
          (next) => (args) => {
            departing();
            return next(args);
          },
          { step: 'deserialize', priority: 'low', name: 'smsDepartureStamp' },
        );
      const out = await this.client.send(command);
      // The type allows a missing id; SNS took the message all the same, so retrying would double it.
      return { providerId: out.MessageId ?? 'sns-unknown' };
    } catch (error) {
      throw toSmsError(error);
    }
  }
}

// Codes as SNS and the SDK spell them, without the `Exception` suffix the SDK sometimes adds.
const TRANSIENT = new Set([
  'Throttling',
  'Throttled',
  'TooManyRequests',
  'KMSThrottling',
  'RequestLimitExceeded',
  'InternalError',
  'InternalFailure',
  'ServiceUnavailable',
]);
const PERMANENT = new Set([
  'InvalidParameter',
  'InvalidParameterValue',
  'OptedOut',
  'AuthorizationError',
  'EndpointDisabled',
  'NotFound',
  'InvalidSecurity',
  'PlatformApplicationDisabled',
  'Validation',
  'KMSAccessDenied',
  'KMSDisabled',
  'KMSInvalidState',
  'KMSNotFound',
  'KMSOptInRequired',
  'UserError',
  'AccessDenied',
]);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Sorts an SNS or SDK failure into "try again later" and "never". */
export function toSmsError(error: unknown): SmsThrottledError | SmsRejectedError | SmsOutcomeUnknownError {
  if (error instanceof SmsThrottledError || error instanceof SmsRejectedError || error instanceof SmsOutcomeUnknownError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = (typeof shape.name === 'string' ? shape.name : 'Unknown').replace(/Exception$/, '');
  const status = shape.$metadata?.httpStatusCode;
  // Provider messages may quote the number and our errors end up in logs and records, so the
  // original is not kept as `cause`; its request id is enough to find it at AWS.
  const detail = maskPhonesIn(typeof shape.message === 'string' ? shape.message : String(error));
  const requestId = shape.$metadata?.requestId;
  const text = `SNS ${code}${status ? ` (${status})` : ''}: ${detail}${requestId ? ` [request ${requestId}]` : ''}`;
  if (TRANSIENT.has(code) || status === 429 || (status !== undefined && status >= 500)) return new SmsThrottledError(text);
  if (PERMANENT.has(code) || status !== undefined) return new SmsRejectedError(code, text);
  // No HTTP status: the request never got an answer, and SNS may have taken it. No SMS is ever
  // sent twice, so this one is not retried.
  return new SmsOutcomeUnknownError(text);
}
