import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '@guanjia/core';

/** The staff roles, each a group of the staff pool; the API reads the widest group a user is in. */
export const STAFF_GROUPS: readonly Exclude<Role, 'owner'>[] = ['admin', 'manager', 'sales', 'service', 'designer'];

const PASSWORD_POLICY = { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true };
/**
 * Both apps sign in through the SDK on their own pages: no hosted UI, so no OAuth flows or
 * redirect URLs; no client secret, as neither app could keep one.
 */
const CLIENT = {
  disableOAuth: true,
  // Users may change their name and nothing else: custom:sites is what an admin grants, and
  // a staff member able to write it could give themselves any site.
  writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
  preventUserExistenceErrors: true,
  enableTokenRevocation: true,
  idTokenValidity: Duration.hours(1),
  accessTokenValidity: Duration.hours(1),
  refreshTokenValidity: Duration.days(30),
};

/**
 * Two user pools, because the two kinds of user sign in differently: staff with a password
 * and a second factor, owners with nothing but a code sent to the phone they bought with.
 */
export class Auth extends Construct {
  readonly staffPool: UserPool;
  readonly staffClient: UserPoolClient;
  readonly ownerPool: UserPool;
  readonly ownerClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: { stage: string; retainOnDelete: boolean }) {
    super(scope, id);
    const removalPolicy = props.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.staffPool = new UserPool(this, 'StaffPool', {
      userPoolName: `guanjia-${props.stage}-staff`,
      // Staff see customers' phone numbers: an admin creates each account, and it needs a second factor.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      customAttributes: {
        sites: new StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
        // The id of the user's staff records, which the API takes as who they are. Immutable:
        // Cognito lets it be set only when the account is created, so no one can later turn
        // an account into someone else's records.
        staffId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      passwordPolicy: { ...PASSWORD_POLICY, tempPasswordValidity: Duration.days(3) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retainOnDelete,
      removalPolicy,
    });
    this.staffClient = this.staffPool.addClient('Console', {
      userPoolClientName: 'console',
      authFlows: { userSrp: true },
      ...CLIENT,
    });
    for (const group of STAFF_GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: this.staffPool.userPoolId, groupName: group, description: `Guanjia role ${group}` });
    }

    this.ownerPool = new UserPool(this, 'OwnerPool', {
      userPoolName: `guanjia-${props.stage}-owners`,
      // An owner signs themselves up with the number they gave at the sales office; the
      // code sent to it is the proof, and the API finds their records by that number.
      selfSignUpEnabled: true,
      signInAliases: { phone: true },
      autoVerify: { phone: true },
      keepOriginal: { phone: true },
      featurePlan: FeaturePlan.ESSENTIALS,
      signInPolicy: { allowedFirstAuthFactors: { password: true, smsOtp: true } },
      // Never used to sign in (codes only), but Cognito wants a policy, and a strong one costs nothing.
      passwordPolicy: PASSWORD_POLICY,
      mfa: Mfa.OFF,
      accountRecovery: AccountRecovery.PHONE_ONLY_WITHOUT_MFA,
      deletionProtection: props.retainOnDelete,
      removalPolicy,
    });
    this.ownerClient = this.ownerPool.addClient('MiniProgram', {
      userPoolClientName: 'mini-program',
      // USER_AUTH is the choice-based flow that offers the SMS code as the first factor.
      authFlows: { user: true },
      ...CLIENT,
    });

    Validations.of(this.ownerPool.node.findChild('smsRole')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: "Cognito sends owners' sign-in codes through SNS to their phone numbers, and SNS authorises Publish to a number only on Resource '*'.",
    });
    Validations.of(this.ownerPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'Owners sign in with a one-time code sent to their verified phone and no password; Cognito allows no MFA on top of a passwordless first factor.',
    });
    Validations.of(this.ownerPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Owners are many and hold only their own records; passwordless sign-in needs the Essentials plan, and Plus threat protection per owner is not worth its price for code-based sign-in.',
    });
  }
}
