import { describe, expect, it } from 'vitest';
import { ownerPrincipal, staffPrincipal } from '@guanjia/api';
import { loadLambdaConfig } from '../../functions/api-config.ts';

describe('Cognito claims', () => {
  it('give staff their widest role and their sites', () => {
    expect(staffPrincipal({ sub: 'u1', 'cognito:groups': ['sales', 'manager'], 'custom:sites': 'demo, east' })).toEqual({
      sub: 'u1',
      role: 'manager',
      sites: ['demo', 'east'],
    });
    expect(staffPrincipal({ sub: 'u2', 'cognito:groups': ['admin'], 'custom:sites': 'demo' })).toEqual({ sub: 'u2', role: 'admin', sites: [] });
  });

  it('know staff by the staff id ops gave their account, which is the id of their staff records', () => {
    const claims = { sub: '7c1e4f0a-2b3d-4e5f-8a9b-0c1d2e3f4a5b', 'cognito:groups': ['sales'], 'custom:sites': 'demo', 'custom:staffId': 'rep-li' };
    expect(staffPrincipal(claims)).toEqual({ sub: 'rep-li', role: 'sales', sites: ['demo'] });
    expect(staffPrincipal({ ...claims, 'cognito:groups': ['admin'], 'custom:staffId': 'admin-ops' }).sub).toBe('admin-ops');
  });

  it('fall back to the Cognito sub for accounts made before staff ids, or with a blank one', () => {
    const claims = { sub: '7c1e4f0a-2b3d-4e5f-8a9b-0c1d2e3f4a5b', 'cognito:groups': ['service'], 'custom:sites': 'demo' };
    expect(staffPrincipal(claims).sub).toBe(claims.sub);
    expect(staffPrincipal({ ...claims, 'custom:staffId': '  ' }).sub).toBe(claims.sub);
  });

  it('refuse staff in no role group, and never make an owner of them', () => {
    expect(() => staffPrincipal({ sub: 'u3', 'cognito:groups': ['owner'] })).toThrow();
    expect(() => staffPrincipal({ sub: 'u3' })).toThrow();
  });

  it('carry the issuer of the token, since a sub is unique within one pool only', () => {
    const iss = 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_staff';
    expect(staffPrincipal({ iss, sub: 'u1', 'cognito:groups': ['service'], 'custom:sites': 'demo' }).issuer).toBe(iss);
    expect(ownerPrincipal({ iss: `${iss}-owners`, sub: 'o1', phone_number: '+8613800138000', phone_number_verified: true }).issuer).toBe(`${iss}-owners`);
  });

  it('know an owner by their verified phone only', () => {
    expect(ownerPrincipal({ sub: 'o1', phone_number: '+8613800138000', phone_number_verified: true })).toEqual({
      sub: 'o1',
      role: 'owner',
      sites: [],
      phone: '+8613800138000',
    });
    expect(() => ownerPrincipal({ sub: 'o1', phone_number: '+8613800138000', phone_number_verified: false })).toThrow();
  });
});

describe('Lambda configuration', () => {
  it('names what is missing', () => {
    expect(() => loadLambdaConfig({ TABLE_NAME: 't' })).toThrow(/STAFF_USER_POOL_ID/);
  });
});
