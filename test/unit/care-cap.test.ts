import { describe, expect, it } from 'vitest';
import { careCapReached, type Context, type OutboxMessage } from '@guanjia/core';
import { aSite } from '../support/fixtures.ts';

const now = new Date('2027-03-31T04:00:00.000Z');
const site = aSite({ smsCareCap: { count: 2, days: 30 } });

const message = (overrides: Partial<OutboxMessage>): OutboxMessage =>
  ({ kind: 'care', state: 'sent', sentAt: '2027-03-10T02:00:00.000Z', createdAt: '2027-03-10T01:00:00.000Z', ...overrides }) as OutboxMessage;

function withMessages(messages: OutboxMessage[]) {
  const asked: string[] = [];
  const ctx = {
    store: {
      listMessagesCreatedSince: async (_customerId: string, createdFrom: string) => {
        asked.push(createdFrom);
        return messages.filter((m) => m.createdAt >= createdFrom);
      },
    },
  } as unknown as Pick<Context, 'store'>;
  return { ctx, asked };
}

describe('the care SMS cap', () => {
  it('is reached by care texts sent within the window, one queued the night before the window included', async () => {
    const { ctx, asked } = withMessages([message({}), message({ createdAt: '2027-02-28T14:00:00.000Z', sentAt: '2027-03-01T09:00:00.000Z' })]);
    expect(await careCapReached(ctx, site, 'customer-1', now)).toBe(true);
    expect(asked).toEqual(['2027-02-28T04:00:00.000Z']);
  });

  it('counts no notice, no suppressed or queued care text, and nothing sent before the window', async () => {
    const { ctx } = withMessages([
      message({}),
      message({ kind: 'notice' }),
      message({ state: 'suppressed', sentAt: null }),
      message({ state: 'queued', sentAt: null }),
      message({ createdAt: '2027-02-28T20:00:00.000Z', sentAt: '2027-02-28T23:00:00.000Z' }),
    ]);
    expect(await careCapReached(ctx, site, 'customer-1', now)).toBe(false);
  });
});
