import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../infra/create-app.ts';
import type { GuanjiaStack } from '../../infra/stack.ts';

export interface Synthesized {
  app: App;
  stack: GuanjiaStack;
  template: Template;
}

/**
 * The app as `cdk synth -c stage=<stage>` builds it, cdk-nag included, minus esbuild: the
 * assertions read the template, and the bundles have a test of their own.
 */
export function synthStack(stage = 'test', settings?: Record<string, unknown>): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'guanjia-synth-'));
  const context: Record<string, unknown> = { stage, 'aws:cdk:bundling-stacks': [] };
  if (settings) context[`guanjia:${stage}`] = settings;
  try {
    const { app, stack } = createApp(new App({ outdir, context }));
    // The template is read into memory; the assembly on disk is not needed after.
    return { app, stack, template: Template.fromStack(stack) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: unknown };

/** The template's resources of one type, by logical id. */
export const resourcesOf = (template: Template, type: string): Record<string, Resource> => template.findResources(type) as Record<string, Resource>;

/** A `{ Ref }` or `{ Fn::GetAtt }` to a logical id, whichever the template used. */
export const refersTo = (value: unknown, logicalId: string): boolean => JSON.stringify(value).includes(`"${logicalId}"`);

/** The logical id of the one resource of a type whose properties pass `match`. */
export function idOf(template: Template, type: string, match: (props: Record<string, any>) => boolean = () => true): string {
  const found = Object.entries(resourcesOf(template, type)).filter(([, r]) => match(r.Properties));
  if (found.length !== 1) throw new Error(`${found.length} resources of ${type} match, not one`);
  return found[0]![0];
}
