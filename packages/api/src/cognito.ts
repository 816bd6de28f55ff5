import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { z } from 'zod';
import type { Principal, Role } from '@guanjia/core';
import type { VerifyToken } from './auth.ts';

export interface CognitoPools {
  staffPoolId: string;
  staffClientId: string;
  ownerPoolId: string;
  ownerClientId: string;
}

/** When someone is in several groups, the widest role is theirs. */
const STAFF_ROLES_BY_REACH: Role[] = ['admin', 'manager', 'service', 'sales', 'designer'];

const StaffClaims = z.object({
  iss: z.string().min(1).optional(),
  sub: z.string().min(1),
  'cognito:groups': z.array(z.string()).default([]),
  'custom:sites': z.string().default(''),
  // Blank counts as absent: an account without a staff id is still known by its sub.
  'custom:staffId': z
    .string()
    .optional()
    .transform((id) => id?.trim() || undefined),
});

const OwnerClaims = z.object({
  iss: z.string().min(1).optional(),
  sub: z.string().min(1),
  phone_number: z.string().regex(/^\+[1-9]\d{6,14}$/),
  phone_number_verified: z.literal(true),
});

const issuerOf = (claims: { iss?: string | undefined }) => (claims.iss ? { issuer: claims.iss } : {});

/**
 * Staff: role from the user pool's groups, sites from a custom attribute (`a,b`), and who
 * they are from `custom:staffId`, the id of their staff records, which ops choose when they
 * create the account (it cannot be changed after). Cognito's own `sub` is a UUID nobody
 * types, so it stands in only for accounts made before the attribute existed.
 */
export function staffPrincipal(claims: unknown): Principal {
  const parsed = StaffClaims.parse(claims);
  const role = STAFF_ROLES_BY_REACH.find((r) => parsed['cognito:groups'].includes(r));
  if (!role) throw new Error('the user is in no role group');
  const sites =
    role === 'admin'
      ? []
      : parsed['custom:sites']
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  return { sub: parsed['custom:staffId'] ?? parsed.sub, role, sites, ...issuerOf(parsed) };
}

/** Owners sign in with a code sent to their phone; the verified number is who they are. */
export function ownerPrincipal(claims: unknown): Principal {
  const parsed = OwnerClaims.parse(claims);
  return { sub: parsed.sub, role: 'owner', sites: [], phone: parsed.phone_number, ...issuerOf(parsed) };
}

/**
 * ID tokens only: they carry the groups, sites and phone a principal is made of; an access
 * token carries none of them and is refused (401). Apart from the principal, so that a test
 * can give it keys (`cacheJwks`) instead of having it fetch the pools' JWKS.
 */
export function cognitoIdTokenVerifier(pools: CognitoPools) {
  return CognitoJwtVerifier.create([
    { userPoolId: pools.staffPoolId, tokenUse: 'id', clientId: pools.staffClientId },
    { userPoolId: pools.ownerPoolId, tokenUse: 'id', clientId: pools.ownerClientId },
  ]);
}

/** ID tokens of either pool, verified against that pool's keys, as the same principal the local runtime uses. */
export function createCognitoVerifier(pools: CognitoPools, verifier = cognitoIdTokenVerifier(pools)): VerifyToken {
  return async (token) => {
    const payload = await verifier.verify(token);
    return payload.iss.endsWith(`/${pools.ownerPoolId}`) ? ownerPrincipal(payload) : staffPrincipal(payload);
  };
}
