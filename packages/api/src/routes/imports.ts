import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { UnsupportedMediaError } from '../problem.ts';
import { getImport, importRejections, listImports, previewImport, startImport, type ImportRecord } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, problemResponse, RecordId, SiteId } from '../schemas/common.ts';
import { ImportPreviewSchema, ImportQuerySchema, ImportSchema } from '../schemas/imports.ts';
import { ok } from './media.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { linesToCsv } from '../tables/csv.ts';
import { sheetOf, UnsupportedUploadError, UPLOAD_TYPES } from '../upload-sheet.ts';
import { access } from '../route-conventions.ts';

export const IMPORTS_PATH = '/v1/imports';
/** What fits a Lambda request once API Gateway has base64-encoded the file. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
const ERRORS_SHOWN = 100;

const tags = ['Imports'];
const FileBody = z.string().openapi({ format: 'binary', description: 'the file as saved' });

/** What a client sees of an import: where it stands and its counts, not the worker's bookkeeping. */
const importView = (r: ImportRecord) => ({
  id: r.id,
  siteId: r.siteId,
  kind: r.kind,
  status: r.status,
  dryRun: r.dryRun,
  counts: {
    rows: r.counts.rows,
    valid: r.counts.valid,
    invalid: r.counts.invalid,
    created: r.counts.created,
    updated: r.counts.updated,
    skipped: r.counts.skipped,
  },
  chunks: r.chunks,
  chunksDone: r.chunksDone,
  createdBy: r.by.sub,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const wantsCsv = (accept: string | undefined) => /\btext\/csv\b/i.test(accept ?? '');
const csvBody = { 'Content-Type': 'text/csv; charset=utf-8' };

export function importRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: IMPORTS_PATH,
      ...access('import.create'),
      tags,
      summary:
        'A handover list (交付名单) or a lead list as a CSV (UTF-8 or GBK) or .xlsx file: checked as a whole, then worked in the background (202); dryRun=true only checks it and counts what a run would do',
      request: {
        query: ImportQuerySchema,
        headers: IdempotencyHeader,
        body: { content: Object.fromEntries(UPLOAD_TYPES.map((type) => [type, { schema: FileBody }])), required: true },
      },
      responses: {
        202: {
          description:
            'the file checked as a whole. A run goes on in the background: follow it at `GET /v1/imports/{id}`. A dry run (`status: done`, `dryRun: true`) wrote nothing. With `Accept: text/csv`, the refused rows as given with a `reason` column (UTF-8 with BOM, for Excel and WPS)',
          content: { 'application/json': { schema: ImportPreviewSchema }, 'text/csv': { schema: z.string() } },
        },
        ...errorResponses,
        413: problemResponse(`file over ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`),
        415: problemResponse(`the body is none of ${UPLOAD_TYPES.join(', ')}`),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      let sheet: Awaited<ReturnType<typeof sheetOf>>;
      try {
        sheet = await sheetOf(mediaType, new Uint8Array(await c.req.arrayBuffer()));
      } catch (error) {
        if (error instanceof UnsupportedUploadError) throw new UnsupportedMediaError(UPLOAD_TYPES.join(', '));
        throw error;
      }
      const principal = c.get('principal');
      const ctx = c.get('ctx');
      const input = { siteId: query.siteId, kind: query.kind, sheet };
      if (query.dryRun === 'true') {
        const preview = await previewImport(ctx, principal, input);
        // The rows come back as the user gave them: guarded like every CSV we write, for they reopen it in Excel.
        if (wantsCsv(c.req.header('Accept'))) return c.body(linesToCsv(preview.rejected), 202, csvBody);
        return c.json(
          {
            import: { id: ctx.ids.next(), siteId: preview.siteId, kind: preview.kind, status: 'done' as const, dryRun: true, counts: preview.counts },
            errors: preview.errors.slice(0, ERRORS_SHOWN),
          },
          202,
        );
      }
      const record = await startImport(ctx, principal, input);
      c.header('Location', `${IMPORTS_PATH}/${record.id}`);
      if (wantsCsv(c.req.header('Accept'))) return c.body(linesToCsv(await importRejections(ctx, principal, record.id)), 202, csvBody);
      const { rows } = await ctx.store.listImportRejections(record.id);
      const errors = rows.slice(0, ERRORS_SHOWN).map((r) => ({ row: r.row, column: null, code: 'row_refused', reason: r.reason }));
      return c.json({ import: importView(record), errors }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: IMPORTS_PATH,
      ...access('import.read'),
      tags,
      summary: "A site's imports, newest first",
      request: { query: z.object({ siteId: SiteId }).extend(PageQuery) },
      responses: { 200: ok('a page of imports', page(ImportSchema)), ...errorResponses },
    }),
    async (c) => {
      const { siteId, limit, cursor } = c.req.valid('query');
      const result = await listImports(c.get('ctx'), c.get('principal'), siteId, pageRequest(c, cursors, { limit, cursor }));
      return c.json(pageResponse(c, cursors, result, importView), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${IMPORTS_PATH}/{id}`,
      ...access('import.read'),
      tags,
      summary: 'An import, its counts moving as its rows are worked',
      request: { params: z.object({ id: RecordId }) },
      responses: { 200: ok('the import', z.object({ import: ImportSchema })), ...errorResponses },
    }),
    async (c) => c.json({ import: importView(await getImport(c.get('ctx'), c.get('principal'), c.req.valid('param').id)) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${IMPORTS_PATH}/{id}/errors`,
      ...access('import.read'),
      tags,
      summary: 'The refused rows as they were given, with a `reason` column: fix them in Excel or WPS and import that file',
      request: { params: z.object({ id: RecordId }) },
      responses: {
        200: { description: 'UTF-8 with a BOM, the header row first', content: { 'text/csv': { schema: z.string() } } },
        ...errorResponses,
      },
    }),
    async (c) => c.body(linesToCsv(await importRejections(c.get('ctx'), c.get('principal'), c.req.valid('param').id)), 200, csvBody),
  );
}
