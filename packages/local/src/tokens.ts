import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign, verify } from 'hono/jwt';
import { z } from 'zod';
import { normalizePhone, ROLES, type Principal } from '@guanjia/core';

/**
 * Every local token carries this issuer, and only this one is accepted locally. The AWS
 * deployment trusts Cognito's issuer alone, so a token minted here is refused there.
 */
export const LOCAL_ISSUER = 'guanjia-local';
export const SECRET_FILE = 'token-secret';
export const DEFAULT_TTL = '12h';

export class InvalidTokenError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Invalid token: ${reason}`, options);
    this.name = 'InvalidTokenError';
  }
}

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number such as +8613800138000');

/** The claims, and the same rules for minting and for verifying: what cannot be minted is refused. */
const claims = z
  .object({
    sub: z.string().trim().min(1, 'sub must not be empty').max(128),
    role: z.enum(ROLES),
    sites: z.array(z.string().trim().min(1).max(64)).default([]),
    phone: e164.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.role === 'owner' && !value.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'an owner needs a phone' });
    if (value.role !== 'owner' && value.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'only an owner carries a phone' });
    const staff = value.role !== 'admin' && value.role !== 'owner';
    if (!staff && value.sites.length > 0) ctx.addIssue({ code: 'custom', path: ['sites'], message: `an ${value.role} has no sites` });
  });

export type TokenClaims = z.input<typeof claims>;

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/**
 * An owner's --phone as the API takes a phone (`13800138000`, `138 0013 8000`, `+8613800138000`;
 * a number without a country code is mainland China), in the E.164 form the API stores, so
 * that the token names the number the owner's customer records carry.
 */
export function tokenPhone(input: string): string {
  try {
    return normalizePhone(input);
  } catch {
    throw new RangeError(`--phone ${JSON.stringify(input)} is not a valid phone number; write it as 13800138000 or +8613800138000`);
  }
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `30m`, `12h`, `7d`, or a number of seconds. */
export function parseTtl(ttl: string | number): number {
  if (typeof ttl === 'number') {
    if (Number.isInteger(ttl) && ttl > 0) return ttl;
  } else {
    const match = /^(\d+)([smhd]?)$/.exec(ttl.trim());
    if (match) {
      const seconds = Number(match[1]) * (TTL_UNITS[match[2] || 's'] ?? 1);
      if (seconds > 0) return seconds;
    }
  }
  throw new RangeError(`Invalid ttl ${JSON.stringify(ttl)}: expected a positive duration such as 90s, 30m, 12h or 7d`);
}

export async function mintToken(input: TokenClaims, secret: string, ttl: string | number = DEFAULT_TTL): Promise<string> {
  const parsed = claims.safeParse(input);
  if (!parsed.success) throw new RangeError(`Invalid claims: ${describe(parsed.error)}`);
  const now = Math.floor(Date.now() / 1000);
  const { phone, ...rest } = parsed.data;
  return sign({ ...rest, ...(phone ? { phone } : {}), iss: LOCAL_ISSUER, iat: now, exp: now + parseTtl(ttl) }, secret, 'HS256');
}

const verified = z.object({ exp: z.number({ error: 'exp is required' }) });

export function createLocalVerifier(secret: string): (token: string) => Promise<Principal> {
  return async (token) => {
    let payload: unknown;
    try {
      payload = await verify(token, secret, { alg: 'HS256', iss: LOCAL_ISSUER });
    } catch (error) {
      // hono's messages quote the whole token; its error names say enough (JwtTokenExpired, ...).
      throw new InvalidTokenError(error instanceof Error ? error.name : 'unreadable', { cause: error });
    }
    // hono checks `exp` only when present; a token that never expires is not one we mint.
    const expiry = verified.safeParse(payload);
    if (!expiry.success) throw new InvalidTokenError(describe(expiry.error));
    const parsed = claims.safeParse(payload);
    if (!parsed.success) throw new InvalidTokenError(describe(parsed.error));
    const { sub, role, sites, phone } = parsed.data;
    return { sub, role, sites, ...(phone ? { phone } : {}), issuer: LOCAL_ISSUER };
  };
}

/**
 * The signing secret of this data folder: made on first use, then read, so that tokens
 * outlive a restart and the runtime and the token CLI agree without talking to each other.
 */
export function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    // Written aside and linked into place: when the runtime and the CLI race on a fresh
    // folder, one link wins and neither reads a half-written file.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64,}$/i.test(secret)) {
    throw new Error(`${file} does not hold a token secret (64 or more hex characters); delete it to make a new one`);
  }
  return secret;
}
