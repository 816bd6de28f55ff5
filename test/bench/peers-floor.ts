import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { customerAnswer, isAnswer, principalOf, type Answer } from './peers-work.ts';

/**
 * The floor of the `peers` bench: `GET /v1/customers/{id}` as a plain Lambda handler, no
 * framework, doing the route's work (peers-work.ts) and nothing else.
 */

const CUSTOMER_PATH = /^\/v1\/customers\/([^/]+)$/;

const json = (answer: Answer): APIGatewayProxyStructuredResultV2 => ({
  statusCode: answer.status,
  headers: { 'content-type': answer.status === 200 ? 'application/json' : 'application/problem+json', 'cache-control': 'no-store' },
  body: JSON.stringify(answer.body),
});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const id = CUSTOMER_PATH.exec(event.rawPath)?.[1];
  if (event.requestContext.http.method !== 'GET' || id === undefined) return json({ status: 404, body: { status: 404, code: 'not_found' } });
  const principal = await principalOf(event.headers.authorization);
  if (isAnswer(principal)) return json(principal);
  return json(await customerAnswer(principal, decodeURIComponent(id)));
}
