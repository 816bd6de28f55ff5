import { Duration } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RUNNING_IMPORT_FILTER } from '@guanjia/dynamo/import-stream';
import { GuanjiaFunction } from './lambda.ts';
import { deadLetterQueue } from './queues.ts';
import { filteredTableStream } from './stream-source.ts';

export interface ImportWorkerProps {
  stage: string;
  table: TableV2;
  logRetention: RetentionDays;
  retainLogs: boolean;
}

/**
 * Works imports off the API's request: the table's stream, filtered to import records that
 * are `running`, feeds a function that works one chunk of rows per record and, by marking
 * it done, changes the record again, which brings the next chunk. A run that fails is
 * retried from its record, then set aside on a dead-letter queue; the record still waits
 * for its chunk, and the outbox job nudges it after ten minutes, so nothing is left half done.
 */
export class ImportWorker extends Construct {
  readonly function: GuanjiaFunction;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: ImportWorkerProps) {
    super(scope, id);
    this.function = new GuanjiaFunction(this, 'Imports', {
      stage: props.stage,
      name: 'imports',
      entry: 'functions/imports.ts',
      description: 'Guanjia import worker: works the rows of handover and lead lists, one chunk at a time',
      table: props.table,
      logRetention: props.logRetention,
      retainLogs: props.retainLogs,
      memorySize: 512,
      // A chunk is at most 100 rows of a few writes each: well inside this.
      timeout: Duration.minutes(5),
    });
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', `guanjia-${props.stage}-import-dead-letters`, 'the import worker stream');
    this.function.fn.addEventSource(filteredTableStream(props.table, RUNNING_IMPORT_FILTER, this.deadLetters, 10));
  }
}
