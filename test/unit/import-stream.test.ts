import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { RUNNING_IMPORT_FILTER, runningImports } from '@guanjia/dynamo/import-stream';
import { importItem } from '@guanjia/dynamo/entities/imports';

const record = (eventName: string, item: Record<string, unknown>, sequence: string) => ({
  eventName,
  dynamodb: { NewImage: marshall(item, { removeUndefinedValues: true }), SequenceNumber: sequence },
});
const imported = (id: string, status: string) =>
  importItem({
    id,
    siteId: 's',
    kind: 'deliveries',
    status: status as 'running',
    dryRun: false,
    counts: { rows: 1, valid: 1, invalid: 0, created: 0, updated: 0, skipped: 0 },
    chunks: 1,
    chunksDone: 0,
    by: { sub: 'm', role: 'manager', sites: ['s'] },
    createdAt: '2026-06-10T02:00:00.000Z',
    updatedAt: '2026-06-10T02:00:00.000Z',
    version: 1,
  });

describe('the import worker stream', () => {
  it('wakes for an import record while it runs, and for nothing else', () => {
    const records = [
      record('INSERT', imported('a', 'running'), '1'),
      record('MODIFY', imported('b', 'done'), '2'),
      record('MODIFY', { PK: 'IMPORT#a', SK: 'CHUNK#000000', type: 'import_chunk', importId: 'a' }, '3'),
      record('REMOVE', imported('c', 'running'), '4'),
      record('MODIFY', imported('a', 'running'), '5'),
    ];
    expect(runningImports(records)).toEqual([
      { id: 'a', kind: 'import', sequenceNumber: '1' },
      { id: 'a', kind: 'import', sequenceNumber: '5' },
    ]);
  });

  it('wakes for a running hand-over record too, which works chunk by chunk the same way', () => {
    expect(runningImports([record('INSERT', { PK: 'HANDOVER#h', SK: 'HANDOVER', type: 'handover', status: 'running', id: 'h' }, '7')])).toEqual([
      { id: 'h', kind: 'handover', sequenceNumber: '7' },
    ]);
  });

  it('gives Lambda the same filter: running records of type import or handover only', () => {
    expect(RUNNING_IMPORT_FILTER.dynamodb.NewImage).toEqual({ type: { S: [imported('x', 'running').type, 'handover'] }, status: { S: ['running'] } });
  });
});
