import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface ClientOptions {
  /** Set for DynamoDB Local; left out in AWS, where the SDK finds the regional endpoint. */
  endpoint?: string;
  region?: string;
}

/**
 * The SDK waits forever by default: a database that stops answering (a paused JVM, a lost
 * network) would hold every request open. DynamoDB connects and answers in milliseconds,
 * so these only cut off what will not come; a refused connection fails at once anyway.
 */
export const CONNECT_TIMEOUT_MS = 2_000;
/** Longest silence on an open connection. */
export const REQUEST_TIMEOUT_MS = 5_000;

export function createDocumentClient(options: ClientOptions = {}): DynamoDBDocumentClient {
  const config: DynamoDBClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? 'ap-east-1',
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
  if (options.endpoint) {
    config.endpoint = options.endpoint;
    // DynamoDB Local accepts any credentials; fixed ones keep one shared database file.
    config.credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  }
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
