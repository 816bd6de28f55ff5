import { z } from 'zod';

const Env = z.object({
  TABLE_NAME: z.string().min(1),
  STAFF_USER_POOL_ID: z.string().min(1),
  STAFF_CLIENT_ID: z.string().min(1),
  OWNER_USER_POOL_ID: z.string().min(1),
  OWNER_CLIENT_ID: z.string().min(1),
  CURSOR_SECRET: z.string().min(32),
});

export type LambdaConfig = z.infer<typeof Env>;

/** Read once at cold start; a missing or bad variable stops the function, naming itself. */
export function loadLambdaConfig(env: NodeJS.ProcessEnv = process.env): LambdaConfig {
  const result = Env.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return result.data;
}
