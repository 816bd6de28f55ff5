import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  LogGroupLogDestination,
  SecurityPolicy,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS, CORS_REQUEST_HEADERS } from '@guanjia/api/cors-policy';
import type { StageSettings } from './settings.ts';

/**
 * One JSON line per request. Query strings are left out on purpose: a search by phone
 * number would otherwise put the whole number in the log.
 */
const ACCESS_LOG = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    method: '$context.httpMethod',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    userAgent: '$context.identity.userAgent',
  }),
);

export interface HttpApisProps {
  stage: string;
  handler: IFunction;
  staff: { pool: UserPool; client: UserPoolClient };
  owners: { pool: UserPool; client: UserPoolClient };
  settings: StageSettings;
  logRetention: RetentionDays;
}

/**
 * An HTTP API per user pool, both in front of the same function: an HTTP API's JWT
 * authorizer trusts a single issuer, and owners and staff share routes such as
 * `POST /v1/complaints`. The console calls the staff API, the mini-program the owners' one.
 */
export class HttpApis extends Construct {
  readonly staff: HttpApi;
  readonly owners: HttpApi;
  /** The custom domain of each API whose stage settings name one. */
  readonly domains: { staff?: DomainName; owners?: DomainName } = {};

  constructor(scope: Construct, id: string, props: HttpApisProps) {
    super(scope, id);
    const door = (name: 'staff' | 'owners', users: { pool: UserPool; client: UserPoolClient }): HttpApi => {
      const authorizer = new HttpUserPoolAuthorizer(`${name}-pool`, users.pool, { userPoolClients: [users.client] });
      return this.api(name, props, new HttpLambdaIntegration(`${name}-function`, props.handler), authorizer);
    };
    this.staff = door('staff', props.staff);
    this.owners = door('owners', props.owners);
  }

  private api(name: string, props: HttpApisProps, integration: HttpLambdaIntegration, authorizer: IHttpRouteAuthorizer): HttpApi {
    const { settings } = props;
    const id = name === 'staff' ? 'Staff' : 'Owners';
    const api = new HttpApi(this, id, {
      apiName: `guanjia-${props.stage}-${name}`,
      description: `Guanjia ${name} API (${props.stage})`,
      createDefaultStage: false,
      ...(settings.allowedOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: settings.allowedOrigins,
              allowMethods: CORS_METHODS.map((method) => CorsHttpMethod[method]),
              allowHeaders: CORS_REQUEST_HEADERS,
              exposeHeaders: CORS_EXPOSED_HEADERS,
              maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, `${name}-access-logs`, {
      retention: props.logRetention,
      removalPolicy: settings.retainOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const domain = this.domain(id, settings.domain?.[name === 'staff' ? 'staffApi' : 'ownerApi']);
    if (domain) this.domains[name === 'staff' ? 'staff' : 'owners'] = domain;
    api.addStage('Stage', {
      stageName: '$default',
      // The whole API at the domain's root: `https://api.example.com/v1/...`.
      ...(domain ? { domainMapping: { domainName: domain } } : {}),
      autoDeploy: true,
      throttle: { rateLimit: settings.api.rateLimit, burstLimit: settings.api.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG },
    });
    const health = api.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration, authorizer: new HttpNoneAuthorizer() });
    api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration, authorizer });
    for (const route of health) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'GET /health is open by design, for load balancers and uptime checks; it reads nothing.',
      });
    }
    return api;
  }

  /** A regional domain: HTTP APIs offer no other kind, and the certificate is the stack region's. */
  private domain(id: string, setting: { name: string; certificateArn: string } | undefined): DomainName | undefined {
    if (!setting) return undefined;
    return new DomainName(this, `${id}Domain`, {
      domainName: setting.name,
      certificate: Certificate.fromCertificateArn(this, `${id}Certificate`, setting.certificateArn),
      // WeChat refuses request domains below TLS 1.2, and nothing else Guanjia serves needs older.
      securityPolicy: SecurityPolicy.TLS_1_2,
    });
  }
}
