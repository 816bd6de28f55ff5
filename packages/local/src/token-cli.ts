import { parseArgs } from 'node:util';
import { ROLES } from '@guanjia/core';
import { loadDataDir } from './config.ts';
import { DEFAULT_TTL, loadOrCreateSecret, mintToken, tokenPhone } from './tokens.ts';

// Stdout carries the token and nothing else, so that `TOKEN=$(npm run -s token -- ...)` works
// (-s keeps npm's `> script` header out of it); everything meant for a person goes to stderr.
const USAGE = `Mints a token for the local runtime (signed with $DATA_DIR/token-secret).

usage: npm run -s token -- --role <role> --sub <id> [--sites a,b] [--phone <number>] [--ttl ${DEFAULT_TTL}]

  --role   ${ROLES.join(' | ')}
  --sub    the staff id (e.g. rep-li) or any id for an admin or owner
  --sites  comma-separated site ids (manager, sales, service)
  --phone  the owner's phone (owner, required): 13800138000, 138 0013 8000 or +8613800138000
  --ttl    lifetime: 90s, 30m, 12h, 7d (default ${DEFAULT_TTL})

examples:
  TOKEN=$(npm run -s token -- --role sales --sub rep-li --sites demo)
  TOKEN=$(npm run -s token -- --role owner --sub o1 --phone 13800138000)`;

function usageError(message: string): never {
  process.stderr.write(`error: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  // biome-ignore lint/suspicious/noImplicitAnyLet: parseArgs infers the type from the options passed below
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        role: { type: 'string' },
        sub: { type: 'string' },
        sites: { type: 'string' },
        phone: { type: 'string' },
        ttl: { type: 'string', default: DEFAULT_TTL },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (!values.role) usageError('--role is required');
  if (!values.sub) usageError('--sub is required');
  if (!(ROLES as readonly string[]).includes(values.role)) usageError(`--role must be one of ${ROLES.join(', ')}`);

  const sites = values.sites
    ? values.sites
        .split(',')
        .map((site) => site.trim())
        .filter(Boolean)
    : [];
  let phone: string | undefined;
  try {
    phone = values.phone === undefined ? undefined : tokenPhone(values.phone);
  } catch (error) {
    // One line, not the usage: the options were right, the number was not.
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  let secret: string;
  try {
    secret = loadOrCreateSecret(loadDataDir());
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  let token: string;
  try {
    token = await mintToken({ role: values.role as (typeof ROLES)[number], sub: values.sub, sites, ...(phone ? { phone } : {}) }, secret, values.ttl);
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (['manager', 'sales', 'service', 'designer'].includes(values.role) && sites.length === 0) {
    process.stderr.write(`note: a ${values.role} token without --sites reaches no site\n`);
  }
  process.stdout.write(`${token}\n`);
}

await main(process.argv.slice(2));
