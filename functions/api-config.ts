import { z } from 'zod';
import { OriginList } from '@guanjia/api/cors-policy';
import { configError } from './config.ts';

// Cursors are HMAC-signed with it; a short secret would make them guessable.
const CursorSecret = z.string().min(32);

const Env = z
  .object({
    TABLE_NAME: z.string().min(1),
    STAFF_USER_POOL_ID: z.string().min(1),
    STAFF_CLIENT_ID: z.string().min(1),
    OWNER_USER_POOL_ID: z.string().min(1),
    OWNER_CLIENT_ID: z.string().min(1),
    CURSOR_SECRET: CursorSecret.optional(),
    CURSOR_SECRET_ARN: z.string().startsWith('arn:').optional(),
    /** Web origins allowed to call, comma-separated; the stack sets them from the stage's `allowedOrigins`. */
    CORS_ORIGINS: OriginList,
  })
  .refine((env) => (env.CURSOR_SECRET === undefined) !== (env.CURSOR_SECRET_ARN === undefined), {
    path: ['CURSOR_SECRET_ARN'],
    message: 'set exactly one of CURSOR_SECRET and CURSOR_SECRET_ARN',
    // Reported with the other variables' problems, not only once they are fixed.
    when: () => true,
  });

/** In AWS the secret lives in Secrets Manager (`CURSOR_SECRET_ARN`); tests and local runs pass it as is. */
export type LambdaConfig = Omit<z.infer<typeof Env>, 'CURSOR_SECRET' | 'CURSOR_SECRET_ARN'> &
  ({ CURSOR_SECRET: string; CURSOR_SECRET_ARN?: undefined } | { CURSOR_SECRET?: undefined; CURSOR_SECRET_ARN: string });

/** Reads a secret's value by its ARN: Secrets Manager in AWS, a stand-in in tests. */
export type ReadSecret = (arn: string) => Promise<string>;

/** Read once at cold start; a missing or bad variable stops the function, naming itself. */
export function loadLambdaConfig(env: NodeJS.ProcessEnv = process.env): LambdaConfig {
  const result = Env.safeParse(env);
  if (!result.success) throw configError(result.error.issues);
  // The refinement above guarantees exactly one of the two.
  return result.data as LambdaConfig;
}

/** The cursor-signing secret: the variable's value, or the secret its ARN names (read once, at cold start). */
export async function cursorSecretOf(config: LambdaConfig, readSecret: ReadSecret): Promise<string> {
  if (config.CURSOR_SECRET !== undefined) return config.CURSOR_SECRET;
  const result = CursorSecret.safeParse(await readSecret(config.CURSOR_SECRET_ARN));
  // Zod's message states the rule, never the value: the secret stays out of the logs.
  if (!result.success) throw configError(result.error.issues, 'CURSOR_SECRET_ARN');
  return result.data;
}
