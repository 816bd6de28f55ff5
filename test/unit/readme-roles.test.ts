import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@guanjia/client/generate';

const README = new URL('../../README.md', import.meta.url);

/** The README's "Who may do what" table, route to roles, in the order written. */
async function readmeTable(): Promise<Map<string, string[]>> {
  const text = await readFile(README, 'utf8');
  const start = text.indexOf('\n## Who may do what\n');
  if (start === -1) throw new Error('README.md has no "## Who may do what" section');
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end === -1 ? undefined : end);
  const table = new Map<string, string[]>();
  for (const [, route, roles] of section.matchAll(/^\| `([A-Z]+ \/[^`]*)` \| ([^|]*) \|$/gm)) {
    if (table.has(route!)) throw new Error(`${route} is in the table twice`);
    table.set(
      route!,
      roles!.split(',').map((role) => role.trim()),
    );
  }
  return table;
}

/** Each /v1 operation's `x-roles`, as /openapi.json serves them. */
async function documentRoles(): Promise<Map<string, string[]>> {
  const document = await openApiDocument();
  const roles = new Map<string, string[]>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith('/v1/')) continue;
    for (const [method, operation] of Object.entries(item as Record<string, { 'x-roles'?: string[] }>))
      roles.set(`${method.toUpperCase()} ${path}`, operation['x-roles'] ?? []);
  }
  return roles;
}

describe("the README's table of who may do what", () => {
  it('names every route of the document, and no other', async () => {
    const table = await readmeTable();
    const document = await documentRoles();
    expect([...table.keys()].sort()).toEqual([...document.keys()].sort());
  });

  it("gives each route the roles the document's x-roles give it, in the same order", async () => {
    const table = await readmeTable();
    for (const [route, roles] of await documentRoles()) expect(table.get(route), route).toEqual(roles);
  });
});
