import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds, type Context } from '@guanjia/core';
import { staffPrincipal } from '@guanjia/api';
import { bootstrap, parseStaffSpec, type DirectoryUser, type StaffDirectory } from '@guanjia/local/bootstrap';
import { createTestTable, type TestTable } from '../support/dynamo.ts';

/** A user pool in memory that records every call that would write, as Cognito's admin API would answer them. */
class FakeDirectory implements StaffDirectory {
  readonly users = new Map<string, DirectoryUser>();
  readonly writes: string[] = [];

  async getUser(username: string) {
    const user = this.users.get(username);
    return user ? structuredClone(user) : null;
  }
  async createUser(username: string, attributes: Record<string, string>) {
    if (this.users.has(username)) throw Object.assign(new Error('User account already exists'), { name: 'UsernameExistsException' });
    this.writes.push(`create ${username}`);
    this.users.set(username, { attributes: { sub: crypto.randomUUID(), ...attributes }, groups: [] });
  }
  async addToGroup(username: string, group: string) {
    this.writes.push(`group ${username} ${group}`);
    const user = this.users.get(username)!;
    if (!user.groups.includes(group)) user.groups.push(group);
  }
  async updateAttributes(username: string, attributes: Record<string, string>) {
    this.writes.push(`attributes ${username} ${JSON.stringify(attributes)}`);
    Object.assign(this.users.get(username)!.attributes, attributes);
  }
  /** The ID token's claims Cognito would issue this user. */
  claims(username: string) {
    const user = this.users.get(username)!;
    return { ...user.attributes, 'cognito:username': username, 'cognito:groups': user.groups };
  }
}

let table: TestTable;
let ctx: Context;

beforeAll(async () => {
  table = await createTestTable();
  ctx = { store: table.store, clock: { now: () => new Date('2026-11-28T02:00:00Z') }, ids: createIds() };
});
afterAll(() => table.close());

let serial = 0;
function planFor(siteId = `boot-${++serial}`) {
  return {
    admin: { id: `admin-${siteId}`, email: `admin-${siteId}@example.com` },
    site: { id: siteId, name: '示范售楼处', kind: 'real_estate', smsSignature: '管家示范' },
    staff: [parseStaffSpec(`mgr-${siteId}:王经理:manager:mgr@example.com:13800138000`), parseStaffSpec(`rep-${siteId}:李娜:sales:rep@example.com`)],
  };
}

describe('bootstrapping a deployed stage', () => {
  it('creates the admin, the site, and each staff member as a Cognito user and a staff record with one id', async () => {
    const directory = new FakeDirectory();
    const plan = planFor();
    const steps = await bootstrap({ ctx, directory }, plan);
    expect(steps.map((s) => s.outcome)).toEqual(['created', 'created', 'created', 'created', 'created', 'created']);

    const site = await ctx.store.getSite(plan.site.id);
    expect(site).toMatchObject({ name: '示范售楼处', kind: 'real_estate', timezone: 'Asia/Shanghai' });
    const staff = await ctx.store.listStaff(plan.site.id);
    expect(staff.map((s) => [s.id, s.role, s.phone])).toEqual([
      [`mgr-${plan.site.id}`, 'manager', '+8613800138000'],
      [`rep-${plan.site.id}`, 'sales', null],
    ]);
    expect(directory.users.get(`rep-${plan.site.id}`)).toMatchObject({
      attributes: { email: 'rep@example.com', email_verified: 'true', name: '李娜', 'custom:staffId': `rep-${plan.site.id}`, 'custom:sites': plan.site.id },
      groups: ['sales'],
    });
    expect(directory.users.get(plan.admin.id)).toMatchObject({ attributes: { 'custom:staffId': plan.admin.id }, groups: ['admin'] });
    expect(directory.users.get(plan.admin.id)!.attributes['custom:sites']).toBeUndefined();
  });

  it('gives each staff member a token whose principal is their staff record at their site', async () => {
    const directory = new FakeDirectory();
    const plan = planFor();
    await bootstrap({ ctx, directory }, plan);
    for (const { id } of plan.staff) {
      const principal = staffPrincipal(directory.claims(id));
      expect(principal.sub).toBe(id);
      expect(principal.sites).toEqual([plan.site.id]);
      expect(await ctx.store.getStaff(plan.site.id, principal.sub)).toMatchObject({ id });
    }
    expect(staffPrincipal(directory.claims(plan.admin.id))).toMatchObject({ sub: plan.admin.id, role: 'admin' });
  });

  it('changes nothing when run again, and says each part exists', async () => {
    const directory = new FakeDirectory();
    const plan = planFor();
    await bootstrap({ ctx, directory }, plan);
    const writes = directory.writes.length;
    const staffBefore = await ctx.store.listStaff(plan.site.id);

    const again = await bootstrap({ ctx, directory }, plan);
    expect(again.every((s) => s.outcome === 'exists')).toBe(true);
    expect(again.map((s) => s.what)).toContain(`Cognito user rep-${plan.site.id} (sales)`);
    expect(directory.writes).toHaveLength(writes);
    expect(await ctx.store.listStaff(plan.site.id)).toEqual(staffBefore);
  });

  it('adds a second site to an account that has the first, keeping the first', async () => {
    const directory = new FakeDirectory();
    const first = planFor();
    await bootstrap({ ctx, directory }, first);
    const second = { ...planFor(), admin: first.admin, staff: [first.staff[0]!] };
    const steps = await bootstrap({ ctx, directory }, second);
    expect(steps).toContainEqual({ what: `Cognito user ${first.staff[0]!.id} (manager)`, outcome: 'updated' });
    expect(directory.users.get(first.staff[0]!.id)!.attributes['custom:sites']).toBe(`${first.site.id},${second.site.id}`);
    expect(await ctx.store.getStaff(second.site.id, first.staff[0]!.id)).toMatchObject({ role: 'manager' });
  });

  it('refuses an existing account whose staff id is not the one asked for, since its tokens would map elsewhere', async () => {
    const directory = new FakeDirectory();
    const plan = planFor();
    // An admin made by hand before staff ids existed: no custom:staffId.
    directory.users.set(plan.admin.id, { attributes: { sub: crypto.randomUUID(), email: plan.admin.email }, groups: ['admin'] });
    await expect(bootstrap({ ctx, directory }, plan)).rejects.toThrow(`the Cognito user '${plan.admin.id}' exists with no staff id`);
    expect(directory.writes).toEqual([]);
  });

  it('checks the whole plan before writing anything, naming each field at fault', async () => {
    const directory = new FakeDirectory();
    const plan = planFor();
    const bad = {
      ...plan,
      site: { ...plan.site, kind: 'castle' },
      staff: [
        { ...plan.staff[0], role: 'admin' },
        { ...plan.staff[1], email: 'not-mail' },
        { ...plan.staff[1], id: plan.admin.id },
      ],
    };
    const refusal = bootstrap({ ctx, directory }, bad);
    await expect(refusal).rejects.toThrow('site.kind');
    await expect(bootstrap({ ctx, directory }, bad)).rejects.toThrow(/staff\.0\.role[\s\S]*staff\.1\.email/);
    await expect(bootstrap({ ctx, directory }, { ...plan, staff: [plan.staff[0], plan.staff[0]] })).rejects.toThrow('each person once');
    await expect(bootstrap({ ctx, directory }, { admin: plan.admin, staff: plan.staff })).rejects.toThrow('site: staff are added to a site');
    expect(directory.writes).toEqual([]);
    expect(await ctx.store.getSite(plan.site.id)).toBeNull();
  });

  it('creates an admin alone when no site is named', async () => {
    const directory = new FakeDirectory();
    const steps = await bootstrap({ ctx, directory }, { admin: { email: 'admin@example.com' } });
    expect(steps).toEqual([{ what: 'Cognito user admin (admin)', outcome: 'created' }]);
    expect(directory.writes).toEqual(['create admin', 'group admin admin']);
  });
});

describe('a staff member on the command line', () => {
  it('reads as id:name:role:email with an optional phone', () => {
    expect(parseStaffSpec('svc-chen:陈静:service:svc@example.com')).toEqual({ id: 'svc-chen', name: '陈静', role: 'service', email: 'svc@example.com' });
    expect(parseStaffSpec('mgr-demo:王经理:manager:mgr@example.com:+86 138 0013 8000').phone).toBe('+86 138 0013 8000');
    expect(() => parseStaffSpec('rep-li:李娜:sales')).toThrow('id:name:role:email[:phone]');
  });
});
