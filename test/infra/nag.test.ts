import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { runNag } from '../support/nag.ts';

describe('cdk-nag, AwsSolutions pack', () => {
  it('finds nothing left unacknowledged in the app', () => {
    const { findings } = runNag();
    expect(findings).toEqual([]);
  });

  it('would fail this test on a finding nobody acknowledged, error or warning', () => {
    const { findings } = runNag({
      change: (stack) => {
        new Queue(stack, 'Unprotected');
        new UserPool(stack, 'NoSecondFactor');
      },
    });
    expect(findings).toEqual(
      expect.arrayContaining([
        { rule: 'AwsSolutions-SQS3', severity: 'error', path: 'guanjia-test/Unprotected/Resource' },
        { rule: 'AwsSolutions-SQS4', severity: 'error', path: 'guanjia-test/Unprotected/Resource' },
        { rule: 'AwsSolutions-COG2', severity: 'warning', path: 'guanjia-test/NoSecondFactor/Resource' },
      ]),
    );
  });

  describe('acknowledgements', () => {
    const { findings, acknowledgements } = runNag({ ignoreAcknowledgements: true });

    it('are each made on one construct below the stack, never on the stack or the app', () => {
      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const a of acknowledgements) expect(a.path.split('/').length, a.path).toBeGreaterThanOrEqual(2);
    });

    it('name one exact finding each, with a reason that explains it', () => {
      for (const a of acknowledgements) {
        expect(a.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[[^\]]+\])?$/);
        if (a.id.startsWith('AwsSolutions-IAM')) expect(a.id, 'IAM findings are acknowledged per resource or action').toContain('[');
        expect(a.reason.length, a.id).toBeGreaterThanOrEqual(60);
      }
    });

    it('match the findings one for one: none is stale, none covers more than its own construct', () => {
      const covered = (f: { rule: string; path: string }) =>
        acknowledgements.filter((a) => a.id === f.rule && (f.path === a.path || f.path.startsWith(`${a.path}/`)));
      for (const f of findings) expect(covered(f), `${f.rule} at ${f.path}`).toHaveLength(1);
      for (const a of acknowledgements) {
        const own = findings.filter((f) => f.rule === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`)));
        expect(own.length, `${a.id} on ${a.path} acknowledges nothing`).toBeGreaterThanOrEqual(1);
      }
    });
  });
});
