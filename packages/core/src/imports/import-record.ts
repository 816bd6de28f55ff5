import type { Page, PageRequest } from '../paging.ts';
import type { Principal, Role } from '../model.ts';
import type { ImportKind } from './headers.ts';
import type { ImportRow } from './rows.ts';

export const IMPORT_STATUSES = ['validating', 'ready', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportCounts {
  rows: number;
  valid: number;
  invalid: number;
  created: number;
  updated: number;
  skipped: number;
}

/**
 * An import as it runs. The rows wait in chunks beside it; the worker takes chunk
 * `chunksDone` next and, in one transaction, marks it done and adds what its rows did, so
 * the counts move chunk by chunk and a chunk counts once however often it is worked.
 */
export interface ImportRecord {
  id: string;
  siteId: string;
  kind: ImportKind;
  status: ImportStatus;
  dryRun: boolean;
  counts: ImportCounts;
  chunks: number;
  chunksDone: number;
  /** Whom the rows are written as: the person who sent the file, with the reach they had then. */
  by: { sub: string; role: Role; sites: string[] };
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A row as the run takes it: what the check read, and the cells as given, for the errors file. */
export interface QueuedRow {
  row: ImportRow;
  cells: string[];
  /** What the check expected the row to do: what it counts as when a run after a crash finds it done already. */
  planned: 'created' | 'updated' | 'skipped';
}

/** A refused row as the person gave it, with why: a line of the errors file. */
export interface RejectedRow {
  row: number;
  cells: string[];
  reason: string;
}

export interface ImportChunk {
  importId: string;
  number: number;
  rows: QueuedRow[];
}

/** What a chunk's rows did: added to the import's counts when the chunk is marked done. */
export interface ChunkResult {
  created: number;
  updated: number;
  skipped: number;
  /** Rows the rules refused at run time (the phone's customer gone, a rule changed since the check). */
  rejected: RejectedRow[];
}

export interface ImportStore {
  /**
   * The chunks and the rows refused by the check, then the record: the record lands last,
   * so the worker, woken by it, finds every chunk in place.
   */
  createImport(fact: { record: ImportRecord; chunks: ImportChunk[]; rejected: RejectedRow[]; headers: string[] }): Promise<void>;
  getImport(id: string): Promise<ImportRecord | null>;
  /** The site's imports, newest first. */
  listImports(siteId: string, page: PageRequest): Promise<Page<ImportRecord>>;
  getImportChunk(importId: string, number: number): Promise<ImportChunk | null>;
  /** Counts a run of the chunk beginning, and answers how many began before this one (0 the first time). */
  beginImportChunk(importId: string, number: number): Promise<number>;
  /**
   * Chunk `number` done, its result added to the record, all or nothing, and only while the
   * record still waits for that chunk (`VersionConflictError` once another run finished it).
   */
  finishImportChunk(fact: { record: ImportRecord; number: number; result: ChunkResult; at: string }): Promise<void>;
  /** The header row and every refused row, the check's and the run's, in the file's order. */
  listImportRejections(importId: string): Promise<{ headers: string[]; rows: RejectedRow[] }>;
  /** Running imports whose record has not moved since `before`: a worker died on them. */
  listStalledImports(before: string, limit: number): Promise<ImportRecord[]>;
  /** Touches a stalled record so that its change wakes the worker again. */
  nudgeImport(record: ImportRecord, at: string): Promise<void>;
}

export const principalOf = (record: ImportRecord): Principal => ({ sub: record.by.sub, role: record.by.role, sites: record.by.sites });
