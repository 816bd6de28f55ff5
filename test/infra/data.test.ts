import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createTableInput } from '@guanjia/dynamo';
import { synthStack } from '../support/stack.ts';

const { template } = synthStack('test');

describe('the table in AWS', () => {
  it('is the table the local runtime creates: same keys and indexes', () => {
    const local = createTableInput('x');
    const [table] = Object.values(template.findResources('AWS::DynamoDB::GlobalTable')) as { Properties: Record<string, any> }[];
    const props = table!.Properties;
    expect(props.KeySchema).toEqual(local.KeySchema);
    expect(new Set(props.AttributeDefinitions.map((a: { AttributeName: string }) => a.AttributeName))).toEqual(
      new Set(local.AttributeDefinitions!.map((a) => a.AttributeName)),
    );
    expect(props.GlobalSecondaryIndexes.map((i: { IndexName: string; KeySchema: unknown }) => [i.IndexName, i.KeySchema])).toEqual(
      local.GlobalSecondaryIndexes!.map((i) => [i.IndexName, i.KeySchema]),
    );
  });

  it('is protected: retained, deletion-protected, recoverable to a point in time, with TTL and a stream', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'guanjia-test',
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });
});
