import { describe, expect, it } from 'vitest';
import { STAFF_GROUPS } from '../../infra/auth.ts';
import { idOf, refersTo, resourcesOf, synthStack } from '../support/stack.ts';

const { template } = synthStack('test');
const pool = (name: string) =>
  resourcesOf(template, 'AWS::Cognito::UserPool')[idOf(template, 'AWS::Cognito::UserPool', (p) => p.UserPoolName === `guanjia-test-${name}`)]!;
const client = (name: string) =>
  resourcesOf(template, 'AWS::Cognito::UserPoolClient')[idOf(template, 'AWS::Cognito::UserPoolClient', (p) => p.ClientName === name)]!.Properties;

describe('the staff user pool', () => {
  it('has a group per role, which the API reads as the role', () => {
    const staffId = idOf(template, 'AWS::Cognito::UserPool', (p) => p.UserPoolName === 'guanjia-test-staff');
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup')).map((g) => g.Properties);
    expect(groups.map((g) => g.GroupName).sort()).toEqual([...STAFF_GROUPS].sort());
    expect(groups.every((g) => refersTo(g.UserPoolId, staffId))).toBe(true);
    expect(STAFF_GROUPS).toEqual(expect.arrayContaining(['admin', 'manager', 'sales', 'service']));
  });

  it('keeps each user’s staff id in a custom attribute that can be set only when the account is created', () => {
    expect(pool('staff').Properties.Schema).toContainEqual(expect.objectContaining({ Name: 'staffId', AttributeDataType: 'String', Mutable: false }));
  });

  it('keeps each user’s sites in a custom attribute, and admits only accounts an admin created, with a second factor', () => {
    const staff = pool('staff');
    expect(staff.Properties.Schema).toContainEqual(expect.objectContaining({ Name: 'sites', AttributeDataType: 'String', Mutable: true }));
    expect(staff.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    expect(staff.Properties.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(staff.DeletionPolicy).toBe('Retain');
  });

  it('has a console client with no secret and no hosted-UI redirects', () => {
    const console_ = client('console');
    expect(console_.GenerateSecret).toBeUndefined();
    expect(console_.AllowedOAuthFlows).toBeUndefined();
    expect(console_.CallbackURLs).toBeUndefined();
    expect(console_.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('lets no one write their own sites, staff id or phone number through the apps: only an admin sets them', () => {
    for (const name of ['console', 'mini-program']) expect(client(name).WriteAttributes).toEqual(['name']);
  });
});

describe('the owners’ user pool', () => {
  it('signs owners in by a code sent to their phone, on the Essentials plan', () => {
    const owners = pool('owners').Properties;
    expect(owners.UserPoolTier).toBe('ESSENTIALS');
    expect(owners.Policies.SignInPolicy.AllowedFirstAuthFactors).toEqual(expect.arrayContaining(['SMS_OTP']));
    expect(owners.UsernameAttributes).toEqual(['phone_number']);
    expect(owners.AutoVerifiedAttributes).toEqual(['phone_number']);
    expect(owners.SmsConfiguration.SnsCallerArn).toBeDefined();
  });

  it('has a mini-program client on the choice-based USER_AUTH flow', () => {
    const mini = client('mini-program');
    expect(mini.ExplicitAuthFlows).toEqual(['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(mini.AllowedOAuthFlows).toBeUndefined();
  });
});
