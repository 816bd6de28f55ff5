import { resolve } from 'node:path';
import { z } from 'zod';
// The policy alone: the API's main module would load the whole app into the token CLI.
import { OriginList } from '@guanjia/api/cors-policy';

/** The local runtime's settings, read from the environment once at start. */
export interface LocalConfig {
  port: number;
  host: string;
  /** Absolute. */
  dataDir: string;
  tableName: string;
  /** Left out: DynamoDB Local takes a free port. */
  dynamoPort?: number;
  /** Web origins whose pages may call the API; none by default, as a stage with no `allowedOrigins`. */
  corsOrigins?: string[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

// Port 0 asks the system for a free one, which is how tests run several runtimes at once.
const port = z.coerce
  .number({ error: 'expected a port number' })
  .int('expected a whole number')
  .min(0, 'expected a port from 0 to 65535')
  .max(65535, 'expected a port from 0 to 65535');
const text = z.string().trim().min(1, 'must not be empty');

const dataDirField = text.default('.data').transform((dir) => resolve(dir));

const schema = z.object({
  PORT: port.default(3000),
  HOST: text.default('127.0.0.1'),
  DATA_DIR: dataDirField,
  TABLE_NAME: text.regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)').default('guanjia'),
  DYNAMO_PORT: port.optional(),
  CORS_ORIGINS: OriginList,
});

function fail(error: z.ZodError, env: Env): never {
  const lines = error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
}

/** An empty variable counts as unset, as it does for most shells' `VAR= cmd`. */
function present(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
}

export function loadConfig(env: Env = process.env): LocalConfig {
  const parsed = schema.safeParse(present(pick(env, Object.keys(schema.shape))));
  if (!parsed.success) fail(parsed.error, env);
  const { PORT, HOST, DATA_DIR, TABLE_NAME, DYNAMO_PORT, CORS_ORIGINS } = parsed.data;
  return {
    port: PORT,
    host: HOST,
    dataDir: DATA_DIR,
    tableName: TABLE_NAME,
    ...(DYNAMO_PORT ? { dynamoPort: DYNAMO_PORT } : {}),
    corsOrigins: CORS_ORIGINS,
  };
}

/** Only what the token CLI needs, so that a stray PORT does not stop anyone minting a token. */
export function loadDataDir(env: Env = process.env): string {
  const parsed = z.object({ DATA_DIR: dataDirField }).safeParse(present(pick(env, ['DATA_DIR'])));
  if (!parsed.success) fail(parsed.error, env);
  return parsed.data.DATA_DIR;
}

function pick(env: Env, names: string[]): Env {
  return Object.fromEntries(names.map((name) => [name, env[name]]));
}
