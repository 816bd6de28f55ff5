import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Api } from './api.ts';
import { Auth } from './auth.ts';
import { Data } from './data.ts';
import { Dispatcher } from './dispatcher.ts';
import { ImportWorker } from './import-worker.ts';
import { Jobs } from './jobs.ts';
import { Operations } from './operations.ts';
import type { StageSettings } from './settings.ts';

export interface GuanjiaStackProps extends StackProps {
  stage: string;
  settings: StageSettings;
}

/** One stack per stage; everything in it is named by the stage. */
export class GuanjiaStack extends Stack {
  readonly data: Data;
  readonly auth: Auth;
  readonly api: Api;
  readonly dispatcher: Dispatcher;
  readonly imports: ImportWorker;
  readonly jobs: Jobs;
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: GuanjiaStackProps) {
    super(scope, id, props);
    const { stage, settings } = props;
    Tags.of(this).add('app', 'guanjia');
    Tags.of(this).add('stage', stage);
    const logRetention = settings.logRetentionDays as RetentionDays;
    const retainLogs = settings.retainOnDelete;

    this.data = new Data(this, 'Data', { stage });
    const table = this.data.table;
    this.auth = new Auth(this, 'Auth', { stage, retainOnDelete: settings.retainOnDelete });
    this.api = new Api(this, 'Api', { stage, table, auth: this.auth, settings, logRetention });
    this.dispatcher = new Dispatcher(this, 'Dispatcher', { stage, table, sms: settings.sms, logRetention, retainLogs });
    this.imports = new ImportWorker(this, 'Imports', { stage, table, logRetention, retainLogs });
    this.jobs = new Jobs(this, 'Jobs', { stage, table, logRetention, retainLogs });
    this.operations = new Operations(this, 'Operations', {
      stage,
      alarmEmail: settings.alarmEmail,
      functions: [this.api.function, this.dispatcher.function, this.imports.function, ...this.jobs.jobs.map((j) => j.function)],
      jobs: this.jobs.jobs,
      dispatcher: this.dispatcher.function,
      deadLetterQueues: [
        { name: 'sms', queue: this.dispatcher.deadLetters },
        { name: 'import', queue: this.imports.deadLetters },
        { name: 'job', queue: this.jobs.deadLetters },
      ],
      apis: [this.api.apis.staff, this.api.apis.owners],
    });

    new CfnOutput(this, 'StaffApiUrl', { value: this.api.apis.staff.apiEndpoint, description: 'Base URL for the web console' });
    new CfnOutput(this, 'OwnerApiUrl', { value: this.api.apis.owners.apiEndpoint, description: 'Base URL for the mini-program and owners’ web pages' });
    const { staff: staffDomain, owners: ownerDomain } = this.api.apis.domains;
    for (const [prefix, domain, name] of [
      ['StaffApi', staffDomain, settings.domain?.staffApi?.name],
      ['OwnerApi', ownerDomain, settings.domain?.ownerApi?.name],
    ] as const) {
      if (!domain) continue;
      new CfnOutput(this, `${prefix}DomainUrl`, {
        value: `https://${name}`,
        description: 'Base URL on the custom domain, once its DNS record is in place',
      });
      new CfnOutput(this, `${prefix}DomainTarget`, { value: domain.regionalDomainName, description: 'DNS: a CNAME from the custom domain to this name' });
      new CfnOutput(this, `${prefix}DomainZoneId`, {
        value: domain.regionalHostedZoneId,
        description: 'DNS in Route 53: the hosted zone of the target, for an alias record',
      });
    }
    new CfnOutput(this, 'StaffUserPoolId', { value: this.auth.staffPool.userPoolId });
    new CfnOutput(this, 'StaffClientId', { value: this.auth.staffClient.userPoolClientId });
    new CfnOutput(this, 'OwnerUserPoolId', { value: this.auth.ownerPool.userPoolId });
    new CfnOutput(this, 'OwnerClientId', { value: this.auth.ownerClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.operations.topic.topicArn });
  }
}
