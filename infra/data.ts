import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '@guanjia/dynamo/table';

const string = (name: string) => ({ name, type: AttributeType.STRING });

/** The one table, declared from the same definition the local runtime and the tests create. */
export class Data extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      tableName: `guanjia-${props.stage}`,
      partitionKey: string(tableDefinition.partitionKey),
      sortKey: string(tableDefinition.sortKey),
      globalSecondaryIndexes: tableDefinition.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
      })),
      billing: Billing.onDemand(),
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      dynamoStream: StreamViewType[tableDefinition.streamView],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Customer records outlive any stack: deleting the stack must never delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
