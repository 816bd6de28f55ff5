import { describe, expect, it } from 'vitest';
import { resourcesOf, synthStack } from '../support/stack.ts';

/** Every name a resource carries, for the types that have one. */
const NAME_FIELDS: Record<string, string> = {
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
};

const names = (stage: string): string[] => {
  const { template } = synthStack(stage);
  return Object.entries(NAME_FIELDS).flatMap(([type, field]) => Object.values(resourcesOf(template, type)).map((r) => String(r.Properties[field])));
};

describe('stages', () => {
  it('name everything by the stage, so two stages live side by side in one account', () => {
    const dev = names('dev');
    const prod = names('prod');
    expect(dev.length).toBeGreaterThan(30);
    for (const n of dev) expect(n).toMatch(/^(\/aws\/lambda\/)?guanjia-dev(-|$)/);
    for (const n of prod) expect(n).toMatch(/^(\/aws\/lambda\/)?guanjia-prod(-|$)/);
    expect(dev.filter((n) => prod.includes(n))).toEqual([]);
  });

  it('refuse a stage name that would make bad resource names', () => {
    expect(() => synthStack('Prod_1')).toThrow("context 'stage'");
  });

  it('keep user pools and logs on delete in a stage that says so, and drop them in one that does not', () => {
    const kept = synthStack('prod');
    const scratch = synthStack('scratch', { retainOnDelete: false });
    for (const type of ['AWS::Cognito::UserPool', 'AWS::Logs::LogGroup']) {
      expect(Object.values(resourcesOf(kept.template, type)).every((r) => r.DeletionPolicy === 'Retain')).toBe(true);
      expect(Object.values(resourcesOf(scratch.template, type)).every((r) => r.DeletionPolicy === 'Delete')).toBe(true);
    }
    // The table outlives every stack whatever the stage says: customer records are never dropped with it.
    expect(Object.values(resourcesOf(scratch.template, 'AWS::DynamoDB::GlobalTable'))[0]!.DeletionPolicy).toBe('Retain');
  });
});
