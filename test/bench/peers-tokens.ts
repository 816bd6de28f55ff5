import { createSign, generateKeyPairSync } from 'node:crypto';

/**
 * Cognito as the `peers` bench needs it, offline: user pools by name, a key pair whose
 * public half is the pools' JWKS (served by peers-preload.ts), and staff ID tokens signed
 * with the private half, shaped as Cognito issues them.
 */

export const POOLS = {
  STAFF_USER_POOL_ID: 'ap-east-1_BenchStaff',
  STAFF_CLIENT_ID: 'bench-staff-client',
  OWNER_USER_POOL_ID: 'ap-east-1_BenchOwner',
  OWNER_CLIENT_ID: 'bench-owner-client',
};

const KID = 'peers-bench-key';

export function createIssuer() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { keys: [{ ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid: KID, alg: 'RS256', use: 'sig' }] };

  function sign(payload: Record<string, unknown>): string {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = `${part({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${part(payload)}`;
    return `${signed}.${createSign('RSA-SHA256').update(signed).sign(privateKey).toString('base64url')}`;
  }

  /** A staff member's ID token, valid for `hours`: groups give the role, the attributes the sites and staff id. */
  function staffIdToken(staffId: string, role: string, sites: string[], hours = 2): string {
    const now = Math.floor(Date.now() / 1000);
    return sign({
      sub: '6c1d5a3e-8f2b-4e7a-9c0d-1b2a3c4d5e6f',
      'cognito:groups': [role],
      'custom:sites': sites.join(','),
      'custom:staffId': staffId,
      iss: `https://cognito-idp.ap-east-1.amazonaws.com/${POOLS.STAFF_USER_POOL_ID}`,
      aud: POOLS.STAFF_CLIENT_ID,
      token_use: 'id',
      auth_time: now,
      iat: now,
      exp: now + hours * 3600,
    });
  }

  return { jwks, staffIdToken };
}
