import { OptedOutException, PublishCommand, SNSClient, ThrottledException, type PublishCommandInput } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { sendWithRetry, SmsOutcomeUnknownError, SmsRejectedError, SmsThrottledError, snsClientForSms, SnsSms, toSmsError, type SmsMessage } from '@guanjia/sms';

const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'ap-southeast-1' });
const notice: SmsMessage = { to: '+8613800138000', body: '【安居】王先生您好，您入住已满三个月。', kind: 'notice' };
const care: SmsMessage = { to: '+8613900139000', body: '【安居】王先生，生日快乐！回T退订', kind: 'care' };
const noWait = { limiter: { acquire: async () => undefined }, sleep: async () => undefined };

/** An SDK-shaped service error, as the client raises it. */
function awsError(name: string, status: number | undefined, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });
}

const publishes = (): PublishCommandInput[] => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

beforeEach(() => sns.reset());
afterAll(() => sns.restore());

describe('SnsSms', () => {
  it('publishes a notice as Transactional to the E.164 number', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await expect(new SnsSms(client).send(notice)).resolves.toEqual({ providerId: 'm-1' });
    expect(publishes()).toEqual([
      {
        PhoneNumber: '+8613800138000',
        Message: notice.body,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      },
    ]);
  });

  it('publishes care as Promotional, with the sender id when one is configured', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await new SnsSms(client, { senderId: 'ANJU' }).send(care);
    const [input] = publishes();
    expect(input?.PhoneNumber).toBe('+8613900139000');
    expect(input?.MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Promotional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'ANJU' },
    });
  });

  it('refuses a number that is not E.164 without asking SNS', async () => {
    await expect(new SnsSms(client).send({ ...notice, to: '13800138000' })).rejects.toMatchObject({ reason: 'InvalidPhoneNumber' });
    expect(publishes()).toHaveLength(0);
  });

  it('retries throttling and sends exactly once', async () => {
    sns
      .on(PublishCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }))
      .rejectsOnce(awsError('Throttling', 400))
      .resolves({ MessageId: 'm-3' });
    let acquired = 0;
    const result = await sendWithRetry(new SnsSms(client), notice, { ...noWait, limiter: { acquire: async () => void (acquired += 1) } });
    expect(result).toEqual({ providerId: 'm-3', attempts: 3 });
    expect(acquired).toBe(3);
    // Three requests, all the same message, one accepted: nothing lost, nothing doubled.
    const calls = sns.commandCalls(PublishCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([calls[0]!.args[0].input, calls[0]!.args[0].input, calls[0]!.args[0].input]);
    expect((await Promise.allSettled(calls.map((c) => c.returnValue))).map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
  });

  it('delivers every message of a throttled batch exactly once', async () => {
    let requests = 0;
    const accepted: string[] = [];
    sns.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      requests += 1;
      if (requests % 3 !== 0) throw awsError('ThrottlingException', 400);
      accepted.push(input.Message!);
      return { MessageId: `m-${requests}` };
    });
    const bodies = Array.from({ length: 30 }, (_, i) => `【安居】第${i}条`);
    const adapter = new SnsSms(client);
    const results = await Promise.all(bodies.map((body) => sendWithRetry(adapter, { ...notice, body }, { ...noWait, maxAttempts: 10 })));
    expect(accepted.toSorted()).toEqual(bodies.toSorted());
    expect(new Set(results.map((r) => r.providerId)).size).toBe(30);
  });

  it('does not retry a permanent refusal, and keeps the number out of the error', async () => {
    sns
      .on(PublishCommand)
      .rejects(new OptedOutException({ message: 'Phone number +8613800138000 is opted out', $metadata: { httpStatusCode: 400, requestId: 'r-9' } }));
    const failure = await sendWithRetry(new SnsSms(client), notice, noWait).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SmsRejectedError);
    expect(failure).toMatchObject({ reason: 'OptedOut', retryable: false, message: 'SNS OptedOut (400): Phone number 138****8000 is opted out [request r-9]' });
    expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).not.toContain('13800138000');
    expect((failure as Error).cause).toBeUndefined();
    expect(publishes()).toHaveLength(1);
  });

  it('leaves retrying to sendWithRetry, so every request passes the rate limiter', async () => {
    expect(await snsClientForSms({ region: 'ap-southeast-1' }).config.maxAttempts()).toBe(1);
  });
});

describe('toSmsError', () => {
  it.each([
    ['ThrottlingException', 400],
    ['Throttled', 400],
    ['ThrottledException', 400],
    ['TooManyRequestsException', 400],
    ['KMSThrottlingException', 400],
    ['Whatever', 429],
    ['InternalErrorException', 500],
    ['ServiceUnavailable', 503],
  ])('%s (%s) is worth retrying', (name, status) => {
    expect(toSmsError(awsError(name, status))).toBeInstanceOf(SmsThrottledError);
  });

  it.each(['TimeoutError', 'ECONNRESET'])('%s with no answer is not retried: SNS may have sent it', (name) => {
    const error = toSmsError(awsError(name, undefined));
    expect(error).toBeInstanceOf(SmsOutcomeUnknownError);
    expect(error.retryable).toBe(false);
  });

  it.each([
    ['InvalidParameterException', 'InvalidParameter'],
    ['InvalidParameterValue', 'InvalidParameterValue'],
    ['OptedOutException', 'OptedOut'],
    ['AuthorizationErrorException', 'AuthorizationError'],
    ['EndpointDisabledException', 'EndpointDisabled'],
    ['SomethingNewException', 'SomethingNew'],
  ])('%s is final, reason %s', (name, reason) => {
    const error = toSmsError(awsError(name, 400));
    expect(error).toBeInstanceOf(SmsRejectedError);
    expect(error).toMatchObject({ reason });
  });

  it('passes its own errors through and survives non-errors', () => {
    const own = new SmsRejectedError('OptedOut', 'x');
    expect(toSmsError(own)).toBe(own);
    expect(toSmsError('boom')).toBeInstanceOf(SmsOutcomeUnknownError);
  });
});
