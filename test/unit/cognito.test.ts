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
