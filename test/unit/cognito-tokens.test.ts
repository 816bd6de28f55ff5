import { createSign, generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CognitoJwtInvalidTokenUseError } from 'aws-jwt-verify/error';
import { cognitoIdTokenVerifier, createApp, createCognitoVerifier, type AppDeps, type CognitoPools } from '@guanjia/api';
import { createIds } from '@guanjia/core';

/**
 * The API behind Cognito, end to end but offline: tokens signed with a key made here, whose
 * public half is handed to the verifier (`cacheJwks`) so that it never fetches the pools' JWKS.
 */
const pools: CognitoPools = {
  staffPoolId: 'cn-north-1_StaffPool',
  staffClientId: 'staff-client',
  ownerPoolId: 'cn-north-1_OwnerPool',
  ownerClientId: 'owner-client',
};
const issuer = (poolId: string) => `https://cognito-idp.cn-north-1.amazonaws.com/${poolId}`;
const KID = 'test-key-1';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

function sign(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${part(payload)}`;
  return `${signed}.${createSign('RSA-SHA256').update(signed).sign(privateKey).toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
const times = () => ({ iat: now(), auth_time: now(), exp: now() + 3600 });
const ownerClaims = { sub: 'o-1', phone_number: '+8613800138000', phone_number_verified: true };

/** What Cognito puts in an owner's ID token: the audience is the app client, the phone is verified. */
const ownerIdToken = () => sign({ ...ownerClaims, ...times(), iss: issuer(pools.ownerPoolId), aud: pools.ownerClientId, token_use: 'id' });
/** An access token of the same sign-in: no audience but `client_id`, and none of the claims a principal is made of. */
const ownerAccessToken = () =>
  sign({ sub: ownerClaims.sub, ...times(), iss: issuer(pools.ownerPoolId), client_id: pools.ownerClientId, token_use: 'access', scope: 'openid' });
const staffIdToken = () =>
  sign({
    sub: 's-1',
    'cognito:groups': ['service'],
    'custom:sites': 'demo',
    ...times(),
    iss: issuer(pools.staffPoolId),
    aud: pools.staffClientId,
    token_use: 'id',
  });

const verifier = cognitoIdTokenVerifier(pools);
let app: ReturnType<typeof createApp>;

beforeAll(() => {
  const jwks = { keys: [{ ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid: KID, alg: 'RS256', use: 'sig' }] };
  verifier.cacheJwks(jwks as never, pools.staffPoolId);
  verifier.cacheJwks(jwks as never, pools.ownerPoolId);
  // The reads these requests make: the owner's consent (none), and whether a staff member has left (no one).
  const store = { latestConsent: async () => null, isDeactivated: async () => false } as unknown as AppDeps['store'];
  app = createApp({ store, clock: { now: () => new Date() }, ids: createIds(), verifyToken: createCognitoVerifier(pools, verifier), cursorSecret: 'x' });
});

const get = (token: string) => app.request('/v1/me/preferences', { headers: { Authorization: `Bearer ${token}` } });

describe('the API behind Cognito', () => {
  it('accepts an owner’s ID token, knowing the owner by its verified phone', async () => {
    const res = await get(ownerIdToken());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ smsCare: false });
  });

  it('accepts a staff ID token as staff, who may not read an owner’s preferences (403, not 401)', async () => {
    expect((await get(staffIdToken())).status).toBe(403);
  });

  it('answers 401 to an access token, though Cognito signed it for the same client', async () => {
    const res = await get(ownerAccessToken());
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_token');
  });

  it('answers 401 to an ID token for another app client, or signed by a key the pools do not hold', async () => {
    const otherClient = sign({ ...ownerClaims, ...times(), iss: issuer(pools.ownerPoolId), aud: 'someone-else', token_use: 'id' });
    expect((await get(otherClient)).status).toBe(401);
    const forged = `${ownerIdToken().split('.').slice(0, 2).join('.')}.${Buffer.from('not the signature').toString('base64url')}`;
    expect((await get(forged)).status).toBe(401);
  });

  it('refuses the access token for its use, not for its signature or its pool', async () => {
    await expect(verifier.verify(ownerAccessToken())).rejects.toBeInstanceOf(CognitoJwtInvalidTokenUseError);
    await expect(verifier.verify(ownerIdToken())).resolves.toMatchObject({ token_use: 'id', phone_number: ownerClaims.phone_number });
  });
});
