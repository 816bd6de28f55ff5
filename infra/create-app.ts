import { App } from 'aws-cdk-lib';
import { GuanjiaStack } from './stack.ts';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');
if (!/^[a-z][a-z0-9-]{1,15}$/.test(stage)) throw new Error(`context 'stage' must be lower-case letters, digits and dashes: got '${stage}'`);

new GuanjiaStack(app, `guanjia-${stage}`, {
  stage,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
