import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Data } from './data.ts';

export interface GuanjiaStackProps extends StackProps {
  stage: string;
}

/** One stack per stage; everything in it is named by the stage. */
export class GuanjiaStack extends Stack {
  readonly data: Data;

  constructor(scope: Construct, id: string, props: GuanjiaStackProps) {
    super(scope, id, props);
    Tags.of(this).add('app', 'guanjia');
    Tags.of(this).add('stage', props.stage);
    this.data = new Data(this, 'Data', { stage: props.stage });
  }
}
