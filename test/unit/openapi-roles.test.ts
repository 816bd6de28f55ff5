import { describe, expect, it } from 'vitest';
import { openApiDocument } from '@guanjia/client/generate';
import { ROLES } from '@guanjia/core';

type Operation = { description?: string; 'x-roles'?: unknown };

const operations = async () => {
  const document = await openApiDocument();
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, path, operation })),
  );
};

describe('who may call each route, as the document says', () => {
  it('every operation under /v1 names its roles as x-roles, each a role that exists', async () => {
    const v1 = (await operations()).filter((o) => o.path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(40);
    for (const { route, operation } of v1) {
      const roles = operation['x-roles'];
      expect(Array.isArray(roles) && roles.length > 0, `${route} has x-roles`).toBe(true);
      for (const role of roles as string[]) expect(ROLES, route).toContain(role);
    }
  });

  it('every operation under /v1 ends its description with the same roles in a sentence', async () => {
    for (const { route, path, operation } of await operations()) {
      if (!path.startsWith('/v1/')) continue;
      const roles = (operation['x-roles'] as string[]).join(', ');
      expect(operation.description, route).toMatch(new RegExp(`Roles: (every signed-in role \\()?${roles}\\)?\\.$`));
    }
  });

  it('only an operation that every role may call says it is open to every signed-in role', async () => {
    for (const { route, operation } of await operations()) {
      const all = ROLES.every((role) => (operation['x-roles'] as string[] | undefined)?.includes(role));
      expect(operation.description?.includes('every signed-in role') ?? false, route).toBe(all);
    }
  });

  it('/health needs no token and names no roles', async () => {
    const health = (await operations()).find((o) => o.route === 'GET /health')!;
    expect(health.operation['x-roles']).toBeUndefined();
  });
});
