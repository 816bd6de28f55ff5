import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseStageSettings, settingsKey } from './settings.ts';
import { GuanjiaStack } from './stack.ts';

/** The app for one stage (`cdk deploy -c stage=prod`), checked by cdk-nag's AwsSolutions pack at every synth. */
export function createApp(app = new App()): { app: App; stack: GuanjiaStack } {
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  if (!/^[a-z][a-z0-9-]{1,15}$/.test(stage)) throw new Error(`context 'stage' must be lower-case letters, digits and dashes: got '${stage}'`);
  const settings = parseStageSettings(stage, app.node.tryGetContext(settingsKey(stage)), process.env.CDK_DEFAULT_REGION);
  const stack = new GuanjiaStack(app, `guanjia-${stage}`, {
    stage,
    settings,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
