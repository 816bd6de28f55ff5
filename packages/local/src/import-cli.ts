import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  importRejections,
  IMPORT_KINDS,
  previewImport,
  startImport,
  workImport,
  type Context,
  type ImportKind,
  type ImportRecord,
  type Principal,
  ValidationError,
} from '@guanjia/core';
import { linesToCsv } from '@guanjia/api/tables/csv';
import { BYTES_TYPE, sheetOf } from '@guanjia/api/upload-sheet';
import { loadConfig } from './config.ts';
import { withLocalStore } from './local-store.ts';
import { readRuntimeInfo } from './runtime-info.ts';

const USAGE = `Imports a handover list (交付名单) or a lead list into a site, as POST /v1/imports does.

usage: npm run import -- <file> --site <siteId> --kind <${IMPORT_KINDS.join('|')}> [--dry-run]

  <file>     a .csv (UTF-8, with or without BOM, or GBK as Excel in China saves it) or .xlsx
  --dry-run  check the file and count what a run would do, writing nothing
The rows refused are written beside the file as <file>.errors.csv, with a reason column:
fix them in Excel or WPS and import that file. Works whether or not npm start is running
on the same DATA_DIR (when it is, its worker works the rows and this command follows them).`;

/** Who an import from the command line is written as: ops, with every site in reach. */
const OPS: Principal = { sub: 'ops-cli', role: 'admin', sites: [] };

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/**
 * One line redrawn in place on a terminal, one line per step otherwise (a log, CI). A
 * dependency for a single `\r` line would weigh more than these few lines.
 */
function progress(record: ImportRecord): void {
  const { counts, chunks, chunksDone } = record;
  const share = chunks === 0 ? 1 : chunksDone / chunks;
  const figures = `新建 created ${counts.created} · 更新 updated ${counts.updated} · 跳过 skipped ${counts.skipped} · 拒绝 refused ${counts.invalid}`;
  if (process.stdout.isTTY) {
    const width = 24;
    const filled = Math.round(share * width);
    process.stdout.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}% ${figures}`);
    if (chunksDone >= chunks) process.stdout.write('\n');
  } else {
    process.stdout.write(`${chunksDone}/${chunks} chunks · ${figures}\n`);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ordered = ({ rows, valid, invalid, created, updated, skipped }: ImportRecord['counts']) => ({ rows, valid, invalid, created, updated, skipped });

/** Works the rows here, or follows the running runtime's worker, until the import is done. */
async function follow(ctx: Context, record: ImportRecord, runtimeWorks: boolean): Promise<ImportRecord> {
  let current = record;
  progress(current);
  while (current.status === 'running') {
    if (runtimeWorks) await pause(500);
    else await workImport(ctx, current.id);
    const next = await ctx.store.getImport(current.id);
    if (!next) throw new Error(`import ${current.id} is gone`);
    if (next.chunksDone !== current.chunksDone || next.status !== current.status) progress(next);
    current = next;
  }
  return current;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { site: { type: 'string' }, kind: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) fail('name one file');
  if (!values.site) fail('--site is required');
  const kind = values.kind as ImportKind;
  if (!IMPORT_KINDS.includes(kind)) fail(`--kind is one of ${IMPORT_KINDS.join(', ')}`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (error) {
    fail(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sheet = await sheetOf(BYTES_TYPE, bytes);
  const input = { siteId: values.site, kind, sheet };
  const errorsFile = `${file}.errors.csv`;

  const { report } = await withLocalStore({ now: () => new Date() }, async (ctx) => {
    if (values['dry-run']) {
      const preview = await previewImport(ctx, OPS, input);
      if (preview.errors.length > 0) writeFileSync(errorsFile, linesToCsv(preview.rejected));
      return { dryRun: true, counts: ordered(preview.counts), ...(preview.errors.length > 0 ? { errorsFile } : {}) };
    }
    const started = await startImport(ctx, OPS, input);
    const runtimeWorks = started.status === 'running' && isRuntimeRunning();
    const done = await follow(ctx, started, runtimeWorks);
    const rejected = await importRejections(ctx, OPS, done.id);
    if (rejected.length > 1) writeFileSync(errorsFile, linesToCsv(rejected));
    return { id: done.id, status: done.status, counts: ordered(done.counts), ...(rejected.length > 1 ? { errorsFile } : {}) };
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

const isRuntimeRunning = () => readRuntimeInfo(loadConfig().dataDir) !== null;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().catch((error: unknown) => {
  // A file refused as a whole (a header nobody knows, a column missing) says which, field by field.
  const fields = error instanceof ValidationError ? error.errors.map((e) => `  ${e.path}: ${e.message}\n`).join('') : '';
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${fields}`);
  process.exit(1);
});
