import { z } from 'zod';

/** Every problem of the environment at once, each naming its variable and never its value. */
export function configError(issues: readonly z.core.$ZodIssue[], path?: string): Error {
  return new Error(`invalid configuration: ${issues.map((i) => `${path ?? i.path.join('.')}: ${i.message}`).join('; ')}`);
}

/** Read once at cold start; a missing or bad variable stops the function, naming itself. */
export function loadEnv<T extends z.ZodRawShape>(shape: T, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) throw configError(result.error.issues);
  return result.data;
}
