import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Auth } from './auth.ts';
import { HttpApis } from './http-api.ts';
import { GuanjiaFunction } from './lambda.ts';
import type { StageSettings } from './settings.ts';

export interface ApiProps {
  stage: string;
  table: TableV2;
  auth: Auth;
  settings: StageSettings;
  logRetention: RetentionDays;
}

/** The API function and the two HTTP APIs in front of it. */
export class Api extends Construct {
  readonly function: GuanjiaFunction;
  readonly apis: HttpApis;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { auth, settings } = props;
    const cursorSecret = new Secret(this, 'CursorSecret', {
      description: `Guanjia ${props.stage}: signs list cursors so a client cannot forge one`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret only signs list cursors; rotating it would just make open cursors invalid (clients start the list again). Replace it by hand if it ever leaks.',
    });
    this.function = new GuanjiaFunction(this, 'Api', {
      stage: props.stage,
      name: 'api',
      entry: 'functions/api.ts',
      description: 'Guanjia HTTP API',
      table: props.table,
      logRetention: props.logRetention,
      retainLogs: settings.retainOnDelete,
      // API Gateway gives up at 30 s; answering within 10 s or not at all frees the caller sooner.
      timeout: Duration.seconds(10),
      environment: {
        STAFF_USER_POOL_ID: auth.staffPool.userPoolId,
        STAFF_CLIENT_ID: auth.staffClient.userPoolClientId,
        OWNER_USER_POOL_ID: auth.ownerPool.userPoolId,
        OWNER_CLIENT_ID: auth.ownerClient.userPoolClientId,
        CURSOR_SECRET_ARN: cursorSecret.secretArn,
        // The app answers CORS as the HTTP APIs do, for the same origins.
        ...(settings.allowedOrigins.length > 0 ? { CORS_ORIGINS: settings.allowedOrigins.join(',') } : {}),
      },
    });
    cursorSecret.grantRead(this.function.role);
    this.apis = new HttpApis(this, 'Http', {
      stage: props.stage,
      handler: this.function.fn,
      staff: { pool: auth.staffPool, client: auth.staffClient },
      owners: { pool: auth.ownerPool, client: auth.ownerClient },
      settings,
      logRetention: props.logRetention,
    });
  }
}
