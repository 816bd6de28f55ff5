import { activeStaff } from '../active-staff.ts';
import type { Context } from '../context.ts';
import { DomainError, VersionConflictError } from '../errors.ts';
import { loadSite } from '../sites.ts';
import { principalOf, type ChunkResult, type ImportChunk, type ImportRecord } from './import-record.ts';
import { runRow, type RowScope } from './run-row.ts';

/** What one call of the worker did. */
export type WorkStep = 'worked' | 'finished' | 'idle';

/**
 * The rows of a chunk, one after another. A row the rules refuse (a domain error) is
 * recorded with its reason and the others go on; anything else (the database gone) throws,
 * and the whole chunk is worked again later: every row is idempotent (the phone finds its
 * customer, the asset its delivery, a callback's id is its delivery's), so a row done twice
 * writes nothing twice, and its SMS is queued once.
 */
async function runChunk(ctx: Context, scope: RowScope, record: ImportRecord, chunk: ImportChunk, rerun: boolean): Promise<ChunkResult> {
  const result: ChunkResult = { created: 0, updated: 0, skipped: 0, rejected: [] };
  for (const { row, cells, planned } of chunk.rows) {
    // The check found this row's customer and delivery exactly as the row has them; a change since is newer than the file.
    if (planned === 'skipped' && row.smsConsent === undefined) {
      result.skipped++;
      continue;
    }
    try {
      const outcome = await runRow(ctx, scope, record.kind, row);
      // Run again after a crash, a row the dead run wrote finds its own work and reads as skipped: it counts as the check planned it.
      result[rerun && outcome === 'skipped' ? planned : outcome]++;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result.rejected.push({ row: row.number, cells, reason: `导入时被拒绝：${error.message}` });
    }
  }
  return result;
}

/**
 * Works the next chunk of a running import and counts it, then stops: each chunk done
 * changes the record, and that change wakes the worker for the next one (the table's stream
 * in AWS and locally), so no single run holds a whole list. A run that dies leaves the
 * record waiting for the same chunk; the stream's retry or the outbox job's nudge works it again.
 */
export async function workImport(ctx: Context, importId: string): Promise<WorkStep> {
  const record = await ctx.store.getImport(importId);
  if (record?.status !== 'running' || record.chunksDone >= record.chunks) return 'idle';
  const number = record.chunksDone;
  const chunk = await ctx.store.getImportChunk(importId, number);
  if (!chunk) throw new Error(`import ${importId} has no chunk ${number}`);
  // Active staff only: a row naming a rep deactivated since the check is the importer's, as a row naming nobody.
  const [site, staff] = await Promise.all([loadSite(ctx, record.siteId), activeStaff(ctx, record.siteId)]);
  const scope: RowScope = { site, staff: new Map(staff.map((s) => [s.id, s])), importer: principalOf(record) };
  const runsBefore = await ctx.store.beginImportChunk(importId, number);
  const result = await runChunk(ctx, scope, record, chunk, runsBefore > 0);
  let current: ImportRecord | null = record;
  // The record moves under the worker only by a nudge (or another worker on the same chunk).
  for (let tries = 0; current && current.chunksDone === number && tries < 5; tries++) {
    try {
      await ctx.store.finishImportChunk({ record: current, number, result, at: ctx.clock.now().toISOString() });
      return number + 1 === record.chunks ? 'finished' : 'worked';
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      current = await ctx.store.getImport(importId);
    }
  }
  return 'idle';
}

/** Works an import to its end in this process: the command line's run, and the tests'. */
export async function drainImport(ctx: Context, importId: string): Promise<ImportRecord | null> {
  while ((await workImport(ctx, importId)) !== 'idle') {
    // each step is one chunk; the loop ends when the record waits for none
  }
  return ctx.store.getImport(importId);
}

/** Running imports nobody has moved for this long: their worker died. */
export const STALLED_AFTER_MS = 10 * 60_000;

/** Wakes the worker for imports whose run died (its retries spent): the outbox job calls it every minute. */
export async function nudgeStalledImports(ctx: Context): Promise<number> {
  const now = ctx.clock.now();
  const stalled = await ctx.store.listStalledImports(new Date(now.getTime() - STALLED_AFTER_MS).toISOString(), 25);
  let nudged = 0;
  for (const record of stalled) {
    try {
      await ctx.store.nudgeImport(record, now.toISOString());
      nudged++;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
  return nudged;
}
