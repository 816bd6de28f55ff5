import { z } from '@hono/zod-openapi';
import { IMPORT_KINDS } from '@guanjia/core';
import { SiteId } from './common.ts';

export const ImportQuerySchema = z.object({
  siteId: SiteId,
  kind: z.enum(IMPORT_KINDS).openapi({ example: 'deliveries' }),
  // The example only checks: a file tried from /docs writes nothing until dryRun is cleared.
  dryRun: z.enum(['true', 'false']).optional().openapi({ description: 'true: check the file and count what a run would do, writing nothing', example: 'true' }),
});

export const ImportCountsSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
});

export const ImportSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    kind: z.enum(IMPORT_KINDS),
    status: z.enum(['validating', 'ready', 'running', 'done', 'failed']),
    dryRun: z.boolean(),
    counts: ImportCountsSchema,
    chunks: z.number().int().optional().openapi({ description: 'the rows are worked in chunks of up to 100; progress is chunksDone of chunks' }),
    chunksDone: z.number().int().optional(),
    createdBy: z.string().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .openapi('Import');

export const RowErrorSchema = z.object({
  row: z.number().int().openapi({ description: 'the row number as the spreadsheet shows it' }),
  column: z.string().nullable().openapi({ description: 'the field of the column at fault' }),
  code: z.string().openapi({ example: 'phone_mangled_by_excel' }),
  reason: z.string().openapi({ description: 'in Chinese, for the person who made the sheet' }),
});

export const ImportPreviewSchema = z.object({
  import: ImportSchema,
  errors: z.array(RowErrorSchema).openapi({ description: 'the first 100 row errors, by row' }),
});
