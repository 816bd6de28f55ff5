import { describe, expect, it } from 'vitest';
import { throttledLog, unavailableKind } from '@guanjia/api/problem';

describe('the log of an unreachable database', () => {
  it('lets one line of each kind through per interval and counts the rest on the next line', () => {
    const lines: Record<string, unknown>[] = [];
    let now = 0;
    const log = throttledLog(
      (entry) => lines.push(entry),
      10_000,
      () => now,
    );
    for (let i = 0; i < 5; i++) log('ECONNREFUSED', { message: 'database unavailable' });
    log('TimeoutError', { message: 'database unavailable' });
    expect(lines).toEqual([
      { message: 'database unavailable', kind: 'ECONNREFUSED' },
      { message: 'database unavailable', kind: 'TimeoutError' },
    ]);
    now = 9_999;
    log('ECONNREFUSED', { message: 'database unavailable' });
    expect(lines).toHaveLength(2);
    now = 10_000;
    log('ECONNREFUSED', { message: 'database unavailable' });
    expect(lines[2]).toEqual({ message: 'database unavailable', kind: 'ECONNREFUSED', suppressed: 5 });
  });

  it('knows a refused or reset connection, a timeout and throttling, and nothing else, as unavailable', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    const named = (name: string) => Object.assign(new Error(name), { name });
    expect(unavailableKind(withCode('ECONNREFUSED'))).toBe('ECONNREFUSED');
    expect(unavailableKind(withCode('ECONNRESET'))).toBe('ECONNRESET');
    expect(unavailableKind(named('TimeoutError'))).toBe('TimeoutError');
    expect(unavailableKind(named('ProvisionedThroughputExceededException'))).toBe('ProvisionedThroughputExceededException');
    expect(unavailableKind(new Error('wrapped', { cause: withCode('EPIPE') }))).toBe('EPIPE');
    expect(unavailableKind(named('ValidationException'))).toBeNull();
    expect(unavailableKind(new TypeError('x is undefined'))).toBeNull();
    expect(unavailableKind('ECONNREFUSED')).toBeNull();
  });
});
