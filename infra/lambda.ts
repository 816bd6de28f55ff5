import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { METRICS_NAMESPACE, serviceName } from '../functions/metric-names.ts';
import { tableDefinition } from '@guanjia/dynamo/table';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The newest Node.js Lambda runs; esbuild targets the same version. */
export const RUNTIME = Runtime.NODEJS_24_X;

/**
 * One bundle per door: ESM (top-level await for secrets at cold start), minified, with the
 * pinned AWS SDK inside rather than whatever version the runtime carries. The banner gives
 * CommonJS dependencies the `require` that an ES module lacks.
 */
export const BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  externalModules: [],
  metafile: true,
  banner: "import { createRequire as __guanjiaRequire } from 'node:module'; const require = __guanjiaRequire(import.meta.url);",
};

export interface GuanjiaFunctionProps {
  stage: string;
  /** Short name: the function is `guanjia-<stage>-<name>`, and its alarms say the same. */
  name: string;
  /** Entry file under `functions/`. */
  entry: string;
  description: string;
  table: TableV2;
  logRetention: RetentionDays;
  retainLogs: boolean;
  memorySize?: number;
  timeout?: Duration;
  environment?: Record<string, string>;
  reservedConcurrentExecutions?: number;
}

/** A Lambda with its own role and log group; the role may write its logs and the table's items, and the caller grants the rest. */
export class GuanjiaFunction extends Construct {
  readonly name: string;
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: GuanjiaFunctionProps) {
    super(scope, id);
    this.name = props.name;
    const functionName = `guanjia-${props.stage}-${props.name}`;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // A role of its own instead of the managed basic-execution policy, whose log rights span every log group.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${props.description} (${props.stage})` });
    this.role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }));
    this.role.addToPolicy(tableItemAccess(props.table));

    this.fn = new NodejsFunction(this, 'Function', {
      functionName,
      entry: `${root}${props.entry}`,
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      handler: 'handler',
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      bundling: BUNDLING,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: serviceName(props.stage),
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
    });
  }
}

/**
 * Exactly the item operations the store uses (GetItem, Query, and PutItem, UpdateItem,
 * DeleteItem and ConditionCheckItem, alone or inside TransactWriteItems, which authorises
 * each of its actions as its own operation) on the table and its named indexes: no Scan, no
 * table administration, no index wildcard.
 */
function tableItemAccess(table: TableV2): PolicyStatement {
  const indexes = tableDefinition.indexes.map((index) =>
    Stack.of(table).formatArn({ service: 'dynamodb', resource: 'table', resourceName: `${table.tableName}/index/${index.name}` }),
  );
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
    resources: [table.tableArn, ...indexes],
  });
}
