import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { sendWithRetry, SmsOutcomeUnknownError, SnsSms, type SmsMessage } from '@guanjia/sms';

const notice: SmsMessage = { to: '+8613800138000', body: '【安居】王先生您好，您入住已满三个月。', kind: 'notice' };

describe('the departure the rate cap counts', () => {
  it('is stamped by SNS once the request is built and signed, just before it is handed to HTTP', async () => {
    const events: string[] = [];
    // A real client (no mock: the stamp is a middleware) whose HTTP handler records the hand-over.
    const client = new SNSClient({
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: {
        handle: async () => {
          events.push('handed to HTTP');
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        },
      },
    });
    const failure = await new SnsSms(client).send(notice, () => events.push('departed')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SmsOutcomeUnknownError);
    expect(events).toEqual(['departed', 'handed to HTTP']);
  });

  it('is stamped as the send answers when the sender does not stamp it, never before', async () => {
    const events: string[] = [];
    const limiter = { acquire: async () => () => void events.push('departed') };
    const sms = { send: async () => (events.push('sent'), { providerId: 'p-1' }) };
    await expect(sendWithRetry(sms, notice, { limiter })).resolves.toEqual({ providerId: 'p-1', attempts: 1 });
    expect(events).toEqual(['sent', 'departed']);
  });
});
