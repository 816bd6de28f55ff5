import type { DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { createIds, systemClock } from '@guanjia/core';
import { createDocumentClient, DynamoStore, workImportBatch } from '@guanjia/dynamo';
import { loadEnv } from './config.ts';
import { createTelemetry } from './telemetry.ts';

const env = loadEnv({ TABLE_NAME: z.string().min(1) });
const telemetry = createTelemetry();
const ctx = { store: new DynamoStore(createDocumentClient(), env.TABLE_NAME), clock: systemClock, ids: createIds() };

/** The import worker, fed by the table's stream (filtered to running import records): one chunk of rows per record. */
export const handler = telemetry.instrument((event: DynamoDBStreamEvent) =>
  workImportBatch(event.Records, ctx, {
    stopped: (importId, error) => telemetry.logger.error('import chunk failed; the stream retries it from this record', { importId, error }),
  }),
);
