import { describe, expect, it } from 'vitest';
import { idOf, refersTo, resourcesOf, synthStack } from '../support/stack.ts';

const origins = ['https://console.example.com', 'https://owners.example.com'];
const { template } = synthStack('test', { allowedOrigins: origins, api: { rateLimit: 50, burstLimit: 80 } });
const apis = resourcesOf(template, 'AWS::ApiGatewayV2::Api');
const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
const authorizers = resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer');
const pool = (name: string) => idOf(template, 'AWS::Cognito::UserPool', (p) => p.UserPoolName === `guanjia-test-${name}`);
let bareStack: ReturnType<typeof synthStack> | undefined;
const bare = () => (bareStack ??= synthStack('test'));
const apiFunctionEnv = (t: typeof template): Record<string, unknown> =>
  Object.values(resourcesOf(t, 'AWS::Lambda::Function')).find((f) => f.Properties.FunctionName === 'guanjia-test-api')!.Properties.Environment.Variables;
const client = (name: string) => idOf(template, 'AWS::Cognito::UserPoolClient', (p) => p.ClientName === name);

describe('the HTTP APIs', () => {
  it('are two, staff and owners, both named by the stage', () => {
    expect(
      Object.values(apis)
        .map((a) => a.Properties.Name)
        .sort(),
    ).toEqual(['guanjia-test-owners', 'guanjia-test-staff']);
    expect(Object.values(apis).every((a) => a.Properties.ProtocolType === 'HTTP')).toBe(true);
  });

  it('leave only GET /health without auth; every other route needs a JWT', () => {
    expect(routes).toHaveLength(4);
    for (const route of routes) {
      if (route.RouteKey === 'GET /health') expect(route.AuthorizationType).toBe('NONE');
      else expect(route).toMatchObject({ RouteKey: 'ANY /{proxy+}', AuthorizationType: 'JWT', AuthorizerId: expect.anything() });
    }
    expect(routes.filter((r) => r.AuthorizationType === 'NONE').map((r) => r.RouteKey)).toEqual(['GET /health', 'GET /health']);
  });

  it('trust on each API only its own pool, for its own client', () => {
    for (const [api, poolName, clientName] of [
      ['guanjia-test-staff', 'staff', 'console'],
      ['guanjia-test-owners', 'owners', 'mini-program'],
    ] as const) {
      const apiId = idOf(template, 'AWS::ApiGatewayV2::Api', (p) => p.Name === api);
      const proxy = routes.find((r) => refersTo(r.ApiId, apiId) && r.AuthorizationType === 'JWT')!;
      const authorizer = authorizers[proxy.AuthorizerId.Ref]!.Properties;
      expect(authorizer.AuthorizerType).toBe('JWT');
      expect(JSON.stringify(authorizer.JwtConfiguration.Issuer)).toContain('.amazonaws.com/');
      expect(refersTo(authorizer.JwtConfiguration.Issuer, pool(poolName))).toBe(true);
      expect(authorizer.JwtConfiguration.Audience).toEqual([{ Ref: client(clientName) }]);
    }
  });

  it('allow the configured web origins, and no others', () => {
    for (const api of Object.values(apis)) {
      expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual(origins);
      expect(api.Properties.CorsConfiguration.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    }
  });

  it('have no CORS at all when a stage lists no origins', () => {
    for (const api of Object.values(resourcesOf(bare().template, 'AWS::ApiGatewayV2::Api'))) expect(api.Properties.CorsConfiguration).toBeUndefined();
  });

  it('give the API function the same origins, so that the app answers CORS as its gateway does', () => {
    expect(apiFunctionEnv(template).CORS_ORIGINS).toBe(origins.join(','));
    expect(apiFunctionEnv(bare().template)).not.toHaveProperty('CORS_ORIGINS');
    for (const api of Object.values(apis)) expect(api.Properties.CorsConfiguration.ExposeHeaders).toEqual(['idempotent-replayed']);
  });

  it('throttle their default stage and write JSON access logs without query strings', () => {
    const stages = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Stage')).map((s) => s.Properties);
    expect(stages).toHaveLength(2);
    for (const stage of stages) {
      expect(stage).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 80 } });
      const format = JSON.parse(stage.AccessLogSettings.Format);
      expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey' });
      expect(stage.AccessLogSettings.Format).not.toMatch(/querystring|\$context\.path.*\?/i);
      expect(JSON.stringify(stage.AccessLogSettings.DestinationArn)).toContain('accesslogs');
    }
  });

  it('send every route to the API function', () => {
    const apiFunction = idOf(template, 'AWS::Lambda::Function', (p) => p.FunctionName === 'guanjia-test-api');
    for (const integration of Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Integration'))) {
      expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      expect(refersTo(integration.Properties.IntegrationUri, apiFunction)).toBe(true);
    }
  });
});
