import { z } from 'zod';

/**
 * A host name the API answers on, as DNS and ACM spell it: lower-case labels, at least two,
 * no trailing dot and no wildcard (a mini-program's request domain is one exact host).
 */
const Hostname = z
  .string()
  .max(253, 'a host name is at most 253 characters')
  .regex(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
    'a lower-case host name such as api.example.com, with no scheme, port, path or wildcard',
  );

/** `arn:<partition>:acm:<region>:<account>:certificate/<uuid>`: the parts the checks below read. */
const CERTIFICATE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):acm:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const partitionOf = (region: string): string => (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');

export const certificateRegion = (arn: string): string | undefined => CERTIFICATE_ARN.exec(arn)?.[2];

const CertificateArn = z
  .string()
  .regex(CERTIFICATE_ARN, 'an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>')
  .refine((arn) => {
    const [, partition, region] = CERTIFICATE_ARN.exec(arn) ?? [];
    return !region || partition === partitionOf(region);
  }, 'the ARN’s partition does not match its region (aws-cn for cn-*)');

const CustomDomain = z
  .object({
    /** The host the app calls, e.g. `api.example.com`; a CNAME to the output target makes it live. */
    name: Hostname,
    /** An ACM certificate for that name, in the stack's own region: HTTP APIs' domains are regional. */
    certificateArn: CertificateArn,
  })
  .strict();

/** Custom domains of the two HTTP APIs, each optional. */
export const DomainSettings = z
  .object({
    /** For the web console. */
    staffApi: CustomDomain.optional(),
    /** For the mini-program, whose request domains must be ICP-filed hosts of your own. */
    ownerApi: CustomDomain.optional(),
  })
  .strict()
  .refine((d) => !d.staffApi || !d.ownerApi || d.staffApi.name !== d.ownerApi.name, {
    message: 'the two APIs need two names: one host maps to one API',
    path: ['ownerApi', 'name'],
  });

export type DomainSettings = z.infer<typeof DomainSettings>;

/**
 * HTTP APIs take only a certificate from their own region. The stack's region is known
 * only at synth (CDK_DEFAULT_REGION); when it is, a certificate from elsewhere is named
 * here rather than failing the deploy. Paths are relative to the stage's settings.
 */
export function domainRegionProblems(domain: DomainSettings | undefined, region: string | undefined): { path: string[]; message: string }[] {
  if (!domain || !region) return [];
  return (['staffApi', 'ownerApi'] as const).flatMap((api) => {
    const arn = domain[api]?.certificateArn;
    const certRegion = arn ? certificateRegion(arn) : undefined;
    return certRegion && certRegion !== region
      ? [
          {
            path: ['domain', api, 'certificateArn'],
            message: `the certificate is in ${certRegion}, the stack in ${region}: an HTTP API's custom domain needs a certificate from its own region`,
          },
        ]
      : [];
  });
}
