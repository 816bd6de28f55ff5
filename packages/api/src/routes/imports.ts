import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { previewImport } from '@guanjia/core';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, problemResponse } from '../schemas/common.ts';
import { ImportPreviewSchema, ImportQuerySchema } from '../schemas/imports.ts';
import { linesToCsv } from '../tables/csv.ts';
import { sheetOf, UnsupportedUploadError, UPLOAD_TYPES } from '../upload-sheet.ts';

export const IMPORTS_PATH = '/v1/imports';
/** What fits a Lambda request once API Gateway has base64-encoded the file. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
const ERRORS_SHOWN = 100;

const tags = ['Imports'];
const FileBody = z.string().openapi({ format: 'binary', description: 'the file as saved' });

export function importRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: IMPORTS_PATH,
      tags,
      summary: 'A handover list (交付名单) or a lead list as a CSV (UTF-8 or GBK) or .xlsx file; dryRun=true checks it and counts what a run would do',
      request: {
        query: ImportQuerySchema,
        headers: IdempotencyHeader,
        body: { content: Object.fromEntries(UPLOAD_TYPES.map((type) => [type, { schema: FileBody }])), required: true },
      },
      responses: {
        200: {
          description:
            'the dry run: the file checked, nothing written. With `Accept: text/csv`, the refused rows as given with a `reason` column (UTF-8 with BOM, for Excel and WPS)',
          content: { 'application/json': { schema: ImportPreviewSchema }, 'text/csv': { schema: z.string() } },
        },
        ...errorResponses,
        413: problemResponse(`file over ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`),
        415: problemResponse(`the body is none of ${UPLOAD_TYPES.join(', ')}`),
        501: problemResponse('a real run (without dryRun=true) is not offered yet'),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const mediaType = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
      let sheet: Awaited<ReturnType<typeof sheetOf>>;
      try {
        sheet = await sheetOf(mediaType, new Uint8Array(await c.req.arrayBuffer()));
      } catch (error) {
        if (error instanceof UnsupportedUploadError) throw new HTTPException(415, { message: `send the file as one of ${UPLOAD_TYPES.join(', ')}` });
        throw error;
      }
      const principal = c.get('principal');
      const preview = await previewImport(c.get('ctx'), principal, { siteId: query.siteId, kind: query.kind, sheet });
      if (query.dryRun !== 'true')
        throw new HTTPException(501, { message: 'the real run comes with the background worker; send dryRun=true to check a file now' });
      if (/\btext\/csv\b/i.test(c.req.header('Accept') ?? '')) {
        // The rows come back as the user gave them: guarded like every CSV we write, for they reopen it in Excel.
        return c.body(linesToCsv(preview.rejected), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
      }
      return c.json(
        {
          import: { id: c.get('ctx').ids.next(), siteId: preview.siteId, kind: preview.kind, status: 'done' as const, dryRun: true, counts: preview.counts },
          errors: preview.errors.slice(0, ERRORS_SHOWN),
        },
        200,
      );
    },
  );
}
