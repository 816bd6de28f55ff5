import { describe, expect, it } from 'vitest';
import { parseStageSettings } from '../../infra/settings.ts';
import { runNag } from '../support/nag.ts';
import { idOf, refersTo, resourcesOf, synthStack } from '../support/stack.ts';

const CERT = 'arn:aws:acm:ap-southeast-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OTHER_CERT = 'arn:aws:acm:ap-southeast-1:123456789012:certificate/9e0f1a2b-3c4d-4a6b-8c7d-0a1b2c3d4e5f';
const DOMAIN = {
  staffApi: { name: 'console-api.example.com', certificateArn: CERT },
  ownerApi: { name: 'api.example.com', certificateArn: OTHER_CERT },
};

const { template } = synthStack('test', { domain: DOMAIN });
const bare = synthStack('test').template;
const apiId = (name: string) => idOf(template, 'AWS::ApiGatewayV2::Api', (p) => p.Name === name);
const outputs = (t: typeof template) => t.toJSON().Outputs as Record<string, { Value: unknown }>;

describe('custom domains of the HTTP APIs', () => {
  it('are none unless the stage settings name them, and the execute-api URLs are the outputs', () => {
    expect(resourcesOf(bare, 'AWS::ApiGatewayV2::DomainName')).toEqual({});
    expect(resourcesOf(bare, 'AWS::ApiGatewayV2::ApiMapping')).toEqual({});
    expect(Object.keys(outputs(bare)).filter((k) => k.includes('Domain'))).toEqual([]);
  });

  it('are regional domains with the certificate the settings name, at TLS 1.2', () => {
    const domains = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::DomainName')).map((d) => d.Properties);
    expect(domains.map((d) => d.DomainName).sort()).toEqual(['api.example.com', 'console-api.example.com']);
    for (const d of domains) {
      expect(d.DomainNameConfigurations).toEqual([
        expect.objectContaining({
          CertificateArn: d.DomainName === 'api.example.com' ? OTHER_CERT : CERT,
          EndpointType: 'REGIONAL',
          SecurityPolicy: 'TLS_1_2',
        }),
      ]);
    }
  });

  it('map each domain’s root to its own API’s default stage: the owners’ domain to the owners’ API', () => {
    const mappings = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::ApiMapping')).map((m) => m.Properties);
    expect(mappings).toHaveLength(2);
    const ownerDomain = idOf(template, 'AWS::ApiGatewayV2::DomainName', (p) => p.DomainName === 'api.example.com');
    const staffDomain = idOf(template, 'AWS::ApiGatewayV2::DomainName', (p) => p.DomainName === 'console-api.example.com');
    const owners = mappings.find((m) => refersTo(m.DomainName, ownerDomain))!;
    const staff = mappings.find((m) => refersTo(m.DomainName, staffDomain))!;
    expect(refersTo(owners.ApiId, apiId('guanjia-test-owners'))).toBe(true);
    expect(refersTo(staff.ApiId, apiId('guanjia-test-staff'))).toBe(true);
    for (const m of mappings) expect(m.ApiMappingKey).toBeUndefined();
  });

  it('output the URL and the name a DNS record must point at, for each domain', () => {
    const out = outputs(template);
    expect(out.OwnerApiDomainUrl!.Value).toBe('https://api.example.com');
    expect(out.StaffApiDomainUrl!.Value).toBe('https://console-api.example.com');
    const ownerDomain = idOf(template, 'AWS::ApiGatewayV2::DomainName', (p) => p.DomainName === 'api.example.com');
    expect(out.OwnerApiDomainTarget!.Value).toEqual({ 'Fn::GetAtt': [ownerDomain, 'RegionalDomainName'] });
    expect(out.OwnerApiDomainZoneId!.Value).toEqual({ 'Fn::GetAtt': [ownerDomain, 'RegionalHostedZoneId'] });
  });

  it('may be set for one API only', () => {
    const { template: one } = synthStack('test', { domain: { ownerApi: DOMAIN.ownerApi } });
    const domains = Object.values(resourcesOf(one, 'AWS::ApiGatewayV2::DomainName')).map((d) => d.Properties.DomainName);
    expect(domains).toEqual(['api.example.com']);
    expect(Object.keys(outputs(one)).filter((k) => k.includes('Domain'))).toEqual(['OwnerApiDomainUrl', 'OwnerApiDomainTarget', 'OwnerApiDomainZoneId']);
  });

  it('leave cdk-nag with nothing unacknowledged', () => {
    expect(runNag({ settings: { domain: DOMAIN } }).findings).toEqual([]);
  });
});

describe('custom domain settings', () => {
  it.each([
    [{ ownerApi: { name: 'https://api.example.com', certificateArn: CERT } }, 'guanjia:prod.domain.ownerApi.name'],
    [{ ownerApi: { name: '*.example.com', certificateArn: CERT } }, 'guanjia:prod.domain.ownerApi.name'],
    [{ ownerApi: { name: 'API.Example.com', certificateArn: CERT } }, 'guanjia:prod.domain.ownerApi.name'],
    [{ ownerApi: { name: 'localhost', certificateArn: CERT } }, 'guanjia:prod.domain.ownerApi.name'],
    [
      { staffApi: { name: 'api.example.com', certificateArn: 'arn:aws:iam::123456789012:server-certificate/api' } },
      'guanjia:prod.domain.staffApi.certificateArn',
    ],
    [
      { staffApi: { name: 'api.example.com', certificateArn: CERT.replace('arn:aws:acm:ap-southeast-1', 'arn:aws:acm:cn-north-1') } },
      'guanjia:prod.domain.staffApi.certificateArn',
    ],
    [{ staffApi: { name: 'api.example.com' } }, 'guanjia:prod.domain.staffApi.certificateArn'],
    [{ ...DOMAIN, ownerApi: { ...DOMAIN.ownerApi, name: 'console-api.example.com' } }, 'guanjia:prod.domain.ownerApi.name'],
    [{ ownerAPI: DOMAIN.ownerApi }, 'guanjia:prod.domain'],
  ])('refuse %j, naming %s', (domain, path) => {
    expect(() => parseStageSettings('prod', { domain })).toThrow(path);
  });

  it('accept a certificate in AWS China for a stack there', () => {
    const cert = 'arn:aws-cn:acm:cn-north-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const settings = parseStageSettings('prod', { domain: { ownerApi: { name: 'api.example.cn', certificateArn: cert } } }, 'cn-north-1');
    expect(settings.domain?.ownerApi?.certificateArn).toBe(cert);
  });

  it('refuse a certificate from another region than the stack’s, since an HTTP API’s domain is regional', () => {
    expect(() => parseStageSettings('prod', { domain: DOMAIN }, 'ap-east-1')).toThrow(
      /guanjia:prod\.domain\.staffApi\.certificateArn: the certificate is in ap-southeast-1, the stack in ap-east-1.*guanjia:prod\.domain\.ownerApi\.certificateArn/,
    );
    expect(parseStageSettings('prod', { domain: DOMAIN }, 'ap-southeast-1').domain).toEqual(DOMAIN);
  });

  it('stop synthesis when the stack’s region is not the certificate’s', () => {
    const before = process.env.CDK_DEFAULT_REGION;
    process.env.CDK_DEFAULT_REGION = 'eu-west-1';
    try {
      expect(() => synthStack('prod', { domain: DOMAIN })).toThrow('guanjia:prod.domain.staffApi.certificateArn');
    } finally {
      if (before === undefined) delete process.env.CDK_DEFAULT_REGION;
      else process.env.CDK_DEFAULT_REGION = before;
    }
  });
});
