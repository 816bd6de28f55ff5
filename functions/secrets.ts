import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A secret's string value, read at cold start; the client is not kept, as nothing reads a secret twice. */
export async function readSecretString(arn: string): Promise<string> {
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (SecretString === undefined) throw new Error(`secret ${arn} holds no SecretString`);
    return SecretString;
  } finally {
    client.destroy();
  }
}
