import { App, Validations, type Acknowledgment } from 'aws-cdk-lib';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../infra/create-app.ts';
import type { GuanjiaStack } from '../../infra/stack.ts';

export interface Finding {
  /** cdk-nag's id for it, the one an acknowledgement names: `AwsSolutions-IAM5[Resource::*]`. */
  rule: string;
  severity: string;
  /** The construct path of the CloudFormation resource at fault. */
  path: string;
}

export interface Acknowledged extends Acknowledgment {
  /** The construct it was made on. */
  path: string;
}

export interface NagRun {
  findings: Finding[];
  acknowledgements: Acknowledged[];
}

/**
 * Synthesises the app as `cdk synth` does, cdk-nag and all, and returns what cdk-nag found.
 * With `ignoreAcknowledgements` each acknowledgement is recorded instead of applied, so
 * the findings are all there are, and can be matched one for one against them.
 */
export function runNag(options: { ignoreAcknowledgements?: boolean; change?: (stack: GuanjiaStack) => void; settings?: Record<string, unknown> } = {}): NagRun {
  const outdir = mkdtempSync(join(tmpdir(), 'guanjia-nag-'));
  const report = join(outdir, 'validation-report.json');
  const acknowledgements: Acknowledged[] = [];
  const proto = Validations.prototype as unknown as { acknowledge: (this: { scope: { node: { path: string } } }, a: Acknowledgment) => void };
  const original = proto.acknowledge;
  if (options.ignoreAcknowledgements) {
    proto.acknowledge = function (ack) {
      acknowledgements.push({ ...ack, path: this.scope.node.path });
    };
  }
  // Synthesis prints each finding to stderr too; the report file is what the tests read.
  const printError = console.error;
  console.error = () => {};
  try {
    const context: Record<string, unknown> = { stage: 'test', 'aws:cdk:bundling-stacks': [] };
    if (options.settings) context['guanjia:test'] = options.settings;
    const { app, stack } = createApp(new App({ outdir, context }));
    options.change?.(stack);
    try {
      app.synth();
    } catch (error) {
      // Findings of error severity stop synthesis; the report lists them with the warnings.
      if (!existsSync(report)) throw error;
    }
  } finally {
    proto.acknowledge = original;
    console.error = printError;
  }
  const reported = existsSync(report) ? readFileSync(report, 'utf8') : null;
  rmSync(outdir, { recursive: true, force: true });
  if (reported === null) return { findings: [], acknowledgements };
  const parsed = JSON.parse(reported) as {
    pluginReports: { violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  const findings = parsed.pluginReports.flatMap((r) =>
    r.violations.flatMap((v) => v.violatingConstructs.map((c) => ({ rule: v.ruleName, severity: v.severity, path: c.constructPath }))),
  );
  return { findings, acknowledgements };
}
