import { describe, expect, it } from 'vitest';
import { authorize, canSeeCustomer, canSeeTask, ForbiddenError, requireSite, type Customer, type Principal, type Task } from '@guanjia/core';

const customer = { siteId: 's1', ownerId: 'rep-a' } as Customer;
const task = { siteId: 's1', assigneeId: 'rep-a' } as Task;
const who = (role: Principal['role'], sub: string, sites: string[] = ['s1']): Principal => ({ role, sub, sites });

describe('reach', () => {
  it.each([
    [who('admin', 'root', []), true],
    [who('manager', 'm1'), true],
    [who('manager', 'm2', ['s2']), false],
    [who('service', 'sv'), true],
    [who('sales', 'rep-a'), true],
    [who('sales', 'rep-b'), false],
    [who('sales', 'rep-a', ['s2']), false],
    [{ role: 'owner', sub: 'o', sites: ['s1'], phone: '+8613800138000' } as Principal, false],
  ])('customer of rep-a at s1 seen by %o: %s', (principal, seen) => {
    expect(canSeeCustomer(principal, customer)).toBe(seen);
    expect(canSeeTask(principal, task)).toBe(seen);
  });

  it('forbids a role an action it never takes', () => {
    expect(() => authorize(who('sales', 'rep-a'), 'site.create')).toThrow(ForbiddenError);
    expect(() => authorize(who('owner', 'o', []), 'customer.read')).toThrow(ForbiddenError);
    expect(() => authorize(who('manager', 'm'), 'conflict.resolve')).not.toThrow();
  });

  it('forbids working at a site one is not staff of', () => {
    expect(() => requireSite(who('manager', 'm', ['s2']), 's1')).toThrow(ForbiddenError);
    expect(() => requireSite(who('admin', 'root', []), 's1')).not.toThrow();
  });
});
