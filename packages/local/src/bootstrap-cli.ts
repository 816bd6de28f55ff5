import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { createIds, SITE_KINDS } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';
import { cognitoDirectory, readStageOutputs, stackName } from './aws-stage.ts';
import { bootstrap, parseStaffSpec } from './bootstrap.ts';

const USAGE = `Creates the first admin, site and staff of a deployed stage: for each person a Cognito
user in the staff pool whose username and custom:staffId are the id you give, and for each
staff member a Guanjia staff record with that same id. Safe to run again: what exists is
left as it is ("exists"); an account is only ever given a missing group or site.

usage: npm run bootstrap -- --stage <stage> --admin-email <email> [--admin-id <id>]
         [--site <siteId> --site-name <name> --sms-signature <签名> [--site-kind <kind>] [--timezone <zone>]]
         [--staff id:name:role:email[:phone] ...] [--region <region>]
       npm run bootstrap -- --stage <stage> --file <plan.json> [--region <region>]

  --admin-id   the admin's id, which is also their username (default admin)
  --site-kind  ${SITE_KINDS.join(', ')} (default real_estate)
  --staff      role is manager, sales or service; Cognito mails the temporary password
               to the email. Repeat it for each person.
  --file       {"admin":{"id","email"},"site":{"id","name","kind","smsSignature",…},"staff":[{"id","name","role","email","phone"}]}
               where site takes any field of POST /v1/sites.
  --region     the stage's region; by default the SDK's (AWS_REGION, or the profile's)
Uses the credentials of your shell (AWS_PROFILE, …): it reads the stack guanjia-<stage>,
and writes to its user pool and table.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/** The plan from the flags or the file, unchecked: `bootstrap` checks it whole. */
function planOf(values: Record<string, string | string[] | undefined>): unknown {
  if (values.file) {
    try {
      return JSON.parse(readFileSync(String(values.file), 'utf8'));
    } catch (error) {
      fail(`cannot read ${values.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!values['admin-email']) fail('--admin-email is required (or --file)');
  const staff = ((values.staff as string[] | undefined) ?? []).map((spec) => {
    try {
      return parseStaffSpec(spec);
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
  });
  const site = values.site
    ? {
        id: values.site,
        name: values['site-name'] ?? fail('--site-name is required with --site'),
        kind: values['site-kind'] ?? 'real_estate',
        smsSignature: values['sms-signature'] ?? fail('--sms-signature is required with --site (the 【签名】 of its texts)'),
        ...(values.timezone ? { timezone: values.timezone } : {}),
      }
    : undefined;
  return { admin: { id: values['admin-id'] ?? 'admin', email: values['admin-email'] }, ...(site ? { site } : {}), staff };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stage: { type: 'string' },
      region: { type: 'string' },
      file: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-id': { type: 'string' },
      site: { type: 'string' },
      'site-name': { type: 'string' },
      'site-kind': { type: 'string' },
      'sms-signature': { type: 'string' },
      timezone: { type: 'string' },
      staff: { type: 'string', multiple: true },
    },
  });
  if (!values.stage) fail('--stage is required');
  const plan = planOf(values);
  const region = values.region ? { region: values.region } : {};
  const cloudFormation = new CloudFormationClient(region);
  const cognito = new CognitoIdentityProviderClient(region);
  const outputs = await readStageOutputs(cloudFormation, values.stage);
  const doc = createDocumentClient({ region: values.region ?? (await cloudFormation.config.region()) });
  try {
    process.stdout.write(`${stackName(values.stage)}: user pool ${outputs.staffUserPoolId}, table ${outputs.tableName}\n`);
    const ctx = { store: new DynamoStore(doc, outputs.tableName), clock: { now: () => new Date() }, ids: createIds() };
    const steps = await bootstrap({ ctx, directory: cognitoDirectory(cognito, outputs.staffUserPoolId) }, plan);
    for (const step of steps) process.stdout.write(`${step.outcome.padEnd(8)} ${step.what}\n`);
  } finally {
    doc.destroy();
    cloudFormation.destroy();
    cognito.destroy();
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
