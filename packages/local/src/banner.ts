import { resolve } from 'node:path';
import type { Runtime } from './runtime.ts';
import { DEMO_SITE, DEMO_STAFF } from './seed.ts';

/** Single-quotes a value for a POSIX shell, so that a printed command can be pasted as is. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** What `npm start` prints once the runtime answers: where things are and how to get in. */
export function banner(runtime: Runtime): string {
  // The token CLI reads DATA_DIR itself; only a folder other than the default needs naming.
  const dataDirPrefix = runtime.dataDir === resolve('.data') ? '' : `DATA_DIR=${shellQuote(runtime.dataDir)} `;
  // -s keeps npm's `> script` header off stdout, so that `$(...)` holds the token alone.
  const token = `${dataDirPrefix}npm run -s token --`;
  const width = Math.max(...DEMO_STAFF.map((staff) => staff.id.length));
  // One line per demo role besides sales, so that a role added to the seed is offered too.
  const otherRoles = DEMO_STAFF.filter((staff, i) => staff.role !== 'sales' && DEMO_STAFF.findIndex((s) => s.role === staff.role) === i);
  const intake = JSON.stringify({ siteId: DEMO_SITE.id, name: '张伟', phone: '13800138000', channel: 'walk_in' });
  return [
    '',
    'Guanjia local runtime is up.',
    '',
    `  API      ${runtime.apiUrl}`,
    `  Docs     ${runtime.docsUrl}`,
    `  OpenAPI  ${runtime.openApiUrl}`,
    `  Data     ${runtime.dataDir}  (delete it to start afresh)`,
    '',
    `Demo site "${DEMO_SITE.id}" (${DEMO_SITE.name}), staff:`,
    ...DEMO_STAFF.map((staff) => `  ${staff.id.padEnd(width)}  ${staff.role.padEnd(8)} ${staff.name}`),
    '',
    'Get a token (in another terminal, in this folder) and try it:',
    `  TOKEN=$(${token} --role sales --sub rep-li --sites ${DEMO_SITE.id})`,
    `  curl -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `       -d ${shellQuote(intake)} ${runtime.apiUrl}/v1/customers`,
    `  curl -H "Authorization: Bearer $TOKEN" '${runtime.apiUrl}/v1/tasks?assigneeId=rep-li'`,
    '',
    'The other roles:',
    ...otherRoles.map((staff) => `  ${token} --role ${staff.role} --sub ${staff.id} --sites ${DEMO_SITE.id}`),
    `  ${token} --role admin --sub you`,
    `  ${token} --role owner --sub o1 --phone 13800138000`,
    '',
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
