import type { Context } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import type { Principal } from '../model.ts';
import type { Page, PageRequest } from '../paging.ts';
import { authorize, requireSite, worksAt } from '../reach.ts';
import type { ImportRecord } from './import-record.ts';
import { rejectionTable } from './preview.ts';

/** An import of a site outside the caller's reach is not found, as any record there is. */
export async function getImport(ctx: Context, principal: Principal, id: string): Promise<ImportRecord> {
  authorize(principal, 'import.read');
  const record = await ctx.store.getImport(id);
  if (!record || !worksAt(principal, record.siteId)) throw new NotFoundError('import not found', { what: 'import' }, 'record');
  return record;
}

export async function listImports(ctx: Context, principal: Principal, siteId: string, page: PageRequest): Promise<Page<ImportRecord>> {
  authorize(principal, 'import.read');
  requireSite(principal, siteId);
  return ctx.store.listImports(siteId, page);
}

/** The refused rows as the person gave them, with a `reason` column: the file they fix and send again. */
export async function importRejections(ctx: Context, principal: Principal, id: string): Promise<string[][]> {
  await getImport(ctx, principal, id);
  const { headers, rows } = await ctx.store.listImportRejections(id);
  return rejectionTable(headers, rows);
}
