import { describe, expect, it } from 'vitest';
import { idOf, resourcesOf, synthStack } from '../support/stack.ts';

const { template } = synthStack('test');
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const statementsOf = (doc: { Statement: Statement[] }) => doc.Statement;
const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).map((p) => p.Properties);
const roles = resourcesOf(template, 'AWS::IAM::Role');
const every: Statement[] = [
  ...policies.flatMap((p) => statementsOf(p.PolicyDocument)),
  ...Object.values(roles).flatMap((r) =>
    (r.Properties.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => statementsOf(p.PolicyDocument)),
  ),
  ...Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).flatMap((p) => statementsOf(p.Properties.PolicyDocument)),
  ...Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy')).flatMap((p) => statementsOf(p.Properties.PolicyDocument)),
];
const actions = (s: Statement): string[] => [s.Action].flat();
const statementsOfFunction = (name: string): Statement[] => {
  const fn = resourcesOf(template, 'AWS::Lambda::Function')[idOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === `guanjia-test-${name}`)]!;
  const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
  return policies.filter((p) => p.Roles.some((r: { Ref: string }) => r.Ref === role)).flatMap((p) => statementsOf(p.PolicyDocument));
};

describe('permissions', () => {
  it('grant no wildcard action in any policy', () => {
    expect(every.length).toBeGreaterThan(20);
    for (const s of every.filter((x) => x.Effect === 'Allow')) for (const a of actions(s)) expect(a, JSON.stringify(s)).not.toContain('*');
  });

  it('use a wildcard only to deny: requests to the queues and the topic without TLS', () => {
    const denials = every.filter((x) => x.Effect === 'Deny') as (Statement & { Condition: unknown })[];
    expect(denials.length).toBeGreaterThanOrEqual(3);
    for (const d of denials) expect(d.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('attach no AWS managed policy to any role', () => {
    for (const role of Object.values(roles)) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('let the functions do on the table exactly what the store does: no Scan, no table administration', () => {
    const dynamo = every.flatMap(actions).filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(dynamo)).toEqual(
      new Set([
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
      ]),
    );
  });

  it('read the stream only in the dispatcher', () => {
    for (const name of ['api', 'job-callbacks', 'job-care', 'job-outbox', 'job-sla']) {
      expect(statementsOfFunction(name).flatMap(actions)).not.toContain('dynamodb:GetRecords');
    }
    expect(statementsOfFunction('sms').flatMap(actions)).toContain('dynamodb:GetRecords');
  });

  it('allow SMS to phone numbers (sns:Publish) to the dispatcher and to no other function', () => {
    expect(statementsOfFunction('sms').filter((s) => actions(s).includes('sns:Publish'))).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }]);
    for (const name of ['api', 'job-callbacks', 'job-care', 'job-outbox', 'job-sla'])
      expect(statementsOfFunction(name).flatMap(actions)).not.toContain('sns:Publish');
  });

  it('let only the API read the cursor secret', () => {
    expect(statementsOfFunction('api').flatMap(actions)).toContain('secretsmanager:GetSecretValue');
    for (const name of ['sms', 'job-callbacks', 'job-care', 'job-outbox', 'job-sla'])
      expect(
        statementsOfFunction(name)
          .flatMap(actions)
          .some((a) => a.startsWith('secretsmanager:')),
      ).toBe(false);
  });
});
