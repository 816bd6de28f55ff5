import { createCognitoVerifier } from '@guanjia/api/cognito';
import { leaverCheck } from '@guanjia/api/leavers';
import { customerView } from '@guanjia/api/views';
import { createIds, ForbiddenError, getCustomer, NotFoundError, systemClock, withPhoneConsent, type Principal } from '@guanjia/core';
import { createDocumentClient, DynamoStore } from '@guanjia/dynamo';

/**
 * What `GET /v1/customers/{id}` does beyond HTTP, for the two peers of the `peers` bench
 * (the floor and Express): the project's own Cognito verifier and leaver check, store, reach
 * rules and view, built once per cold start from the same variables the API function reads.
 * The peers differ from Guanjia's function in their HTTP layer only, which is what the
 * bench compares.
 */

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const store = new DynamoStore(createDocumentClient(), env('TABLE_NAME'));
const verify = createCognitoVerifier({
  staffPoolId: env('STAFF_USER_POOL_ID'),
  staffClientId: env('STAFF_CLIENT_ID'),
  ownerPoolId: env('OWNER_USER_POOL_ID'),
  ownerClientId: env('OWNER_CLIENT_ID'),
});
const leavers = leaverCheck(store);
const ctx = { store, clock: systemClock, ids: createIds() };

const BEARER = /^Bearer\s+(\S+)\s*$/i;
/** What the API's `RecordId` admits. */
const RECORD_ID = /^[A-Za-z0-9_:-]{1,160}$/;

export interface Answer {
  status: number;
  body: unknown;
}

const refused = (status: number, code: string): Answer => ({ status, body: { status, code } });

/** The principal of an `Authorization` header, or the 401 to answer; a leaver's token is refused as the API refuses it. */
export async function principalOf(header: string | undefined): Promise<Principal | Answer> {
  const match = BEARER.exec(header ?? '');
  if (!match) return refused(401, 'unauthorized');
  let principal: Principal;
  try {
    principal = await verify(match[1]!);
  } catch {
    return refused(401, 'invalid_token');
  }
  return (await leavers.refused(principal)) ? refused(401, 'staff_deactivated') : principal;
}

export const isAnswer = (value: Principal | Answer): value is Answer => 'status' in value;

/** The customer as the API shows it to staff (its phone's consent read too), or the 4xx to answer. */
export async function customerAnswer(principal: Principal, id: string): Promise<Answer> {
  if (!RECORD_ID.test(id)) return refused(400, 'validation');
  try {
    const customer = await getCustomer(ctx, principal, id);
    const [shown] = await withPhoneConsent(ctx, [customer]);
    return { status: 200, body: customerView(shown ?? customer) };
  } catch (error) {
    if (error instanceof NotFoundError) return refused(404, 'not_found');
    if (error instanceof ForbiddenError) return refused(403, 'forbidden');
    throw error;
  }
}
