import { describe, expect, it } from 'vitest';
import { callbackClosedFigures, type Principal, type Task } from '@guanjia/core';

const now = new Date('2027-03-01T02:00:00Z');
const agent: Principal = { sub: 'svc-1', role: 'service', sites: ['s1'] };
const manager: Principal = { sub: 'mgr-1', role: 'manager', sites: ['s1'] };
const callback = (extra: Partial<Task> = {}): Task => ({ id: 'cb1', kind: 'callback', status: 'open', siteId: 's1', assigneeId: 'svc-1', ...extra }) as Task;
const closed = (before: Task, outcome: Task['outcome']): Task => ({ ...before, status: 'done', outcome }) as Task;

describe('the service figures of a callback closing', () => {
  it('count a given callback as done for whoever closed it, and nothing more as due', () => {
    const given = callback();
    expect(callbackClosedFigures(given, closed(given, 'declined'), agent, now, 'Asia/Shanghai')).toEqual([
      { siteId: 's1', day: '2027-03-01', staffId: 'svc-1', add: { callbacksDone: 1 } },
    ]);
  });

  it('count a callback closed before anyone was given it as due for whoever closed it, so done never outruns due', () => {
    const ungiven = callback({ assigneeId: null });
    expect(callbackClosedFigures(ungiven, closed(ungiven, 'reached'), manager, now, 'Asia/Shanghai')).toEqual([
      { siteId: 's1', day: '2027-03-01', staffId: 'mgr-1', add: { callbacksDue: 1, callbacksDone: 1, callbacksReached: 1 } },
    ]);
  });

  it('count nothing for an attempt that leaves the callback open', () => {
    const ungiven = callback({ assigneeId: null });
    expect(callbackClosedFigures(ungiven, { ...ungiven, attempts: 1 } as Task, agent, now, 'Asia/Shanghai')).toEqual([]);
  });
});
