import type { MiddlewareHandler } from 'hono';
import type { Principal } from '@guanjia/core';
import type { AppEnv } from './env.ts';
import type { Leavers } from './leavers.ts';
import { problem } from './problem.ts';

export type VerifyToken = (token: string) => Promise<Principal>;

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/**
 * What `TOKEN=$(npm run token ...)` holds when npm is not silenced: its `> script` header
 * lines, then the token. A token never has whitespace or a leading `>`, so such a value is
 * told apart and the fix named, rather than a bare "token required".
 */
const NPM_HEADER = /^Bearer\s+(?:>|\S+\s+\S)/i;

/** Who is calling, from the bearer token; what they may do is decided by core's reach rules. */
export function authenticate(verifyToken: VerifyToken, leavers?: Leavers): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('Authorization') ?? '';
    if (NPM_HEADER.test(header)) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return problem(c, 401, 'token_npm_header', 'invalid_token');
    }
    const match = BEARER.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer');
      return problem(c, 401, 'token_required', 'unauthorized');
    }
    let principal: Principal;
    try {
      principal = await verifyToken(match[1]!);
    } catch {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return problem(c, 401, 'token_invalid', 'invalid_token');
    }
    // A leaver's token is still well signed until it expires: the staff record says they left (leavers.ts).
    if (await leavers?.refused(principal)) {
      c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
      return problem(c, 401, 'token_staff_deactivated', 'staff_deactivated');
    }
    c.set('principal', principal);
    await next();
  };
}
