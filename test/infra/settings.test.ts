import { describe, expect, it } from 'vitest';
import { parseStageSettings } from '../../infra/settings.ts';
import { synthStack } from '../support/stack.ts';

describe('stage settings', () => {
  it('runs a stage with no entry on checked defaults', () => {
    expect(parseStageSettings('dev', undefined)).toEqual({
      allowedOrigins: [],
      logRetentionDays: 30,
      sms: { maxPerSecond: 20, dispatcherConcurrency: 1 },
      api: { rateLimit: 200, burstLimit: 400 },
      retainOnDelete: true,
    });
  });

  it.each([
    [{ allowedOrigins: ['https://console.example.com/app'] }, 'guanjia:prod.allowedOrigins.0'],
    [{ allowedOrigins: ['http://console.example.com'] }, 'guanjia:prod.allowedOrigins.0'],
    [{ alarmEmail: 'ops-at-example.com' }, 'guanjia:prod.alarmEmail'],
    [{ logRetentionDays: 31 }, 'guanjia:prod.logRetentionDays'],
    [{ sms: { maxPerSecond: 0 } }, 'guanjia:prod.sms.maxPerSecond'],
    [{ sms: { maxPerSecond: 2, dispatcherConcurrency: 3 } }, 'guanjia:prod.sms'],
    [{ sms: { senderId: 'Guanjia Home Care' } }, 'guanjia:prod.sms.senderId'],
    [{ alarmEmai: 'ops@example.com' }, 'guanjia:prod'],
  ])('refuses %j, naming %s', (raw, path) => {
    expect(() => parseStageSettings('prod', raw)).toThrow(path);
  });

  it('accepts a production entry', () => {
    const s = parseStageSettings('prod', {
      allowedOrigins: ['https://console.example.com', 'http://localhost:5173'],
      alarmEmail: 'ops@example.com',
      logRetentionDays: 365,
      sms: { maxPerSecond: 50, dispatcherConcurrency: 2 },
    });
    expect(s.sms).toEqual({ maxPerSecond: 50, dispatcherConcurrency: 2 });
    expect(s.logRetentionDays).toBe(365);
  });

  it('reads an entry given on the command line as a JSON string', () => {
    expect(parseStageSettings('prod', '{"alarmEmail":"ops@example.com"}').alarmEmail).toBe('ops@example.com');
    expect(() => parseStageSettings('prod', '{alarmEmail:')).toThrow('guanjia:prod is not JSON');
  });

  it('stops synthesis on a bad entry in the context', () => {
    expect(() => synthStack('prod', { logRetentionDays: 31 })).toThrow('guanjia:prod.logRetentionDays');
  });
});
