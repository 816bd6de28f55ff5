import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { Contract, type OpenApiDocument } from '../support/contract.ts';

// The suite's every call goes through this check (test/support/api.ts); these tests show it can fail.
let api: TestApi;
let contract: Contract;

beforeAll(async () => {
  api = await createTestApi();
  contract = new Contract((await (await api.app.request('/openapi.json')).json()) as OpenApiDocument);
});
afterAll(() => api.close());

const customer = {
  id: 'c1',
  siteId: 's',
  name: 'n',
  phone: '+8613800138000',
  ownerId: 'o',
  stage: 'lead',
  leadType: 'direct',
  intentLevel: null,
  channel: 'walk_in',
  needs: {},
  birthday: null,
  smsConsent: false,
  note: null,
  openFollowUpId: null,
  lossRequest: null,
  lossDecision: null,
  designerId: null,
  designerDecision: null,
  designAgreementAt: null,
  referredBy: null,
  createdAt: 'x',
  updatedAt: 'x',
};

describe('the contract check', () => {
  it('passes an answer the document declares', () => {
    expect(() => contract.check('GET', '/v1/customers/c1', 200, 'application/json', customer)).not.toThrow();
  });

  it('refuses a status the operation does not declare', () => {
    expect(() => contract.check('GET', '/v1/customers/c1', 500, 'application/problem+json', {})).toThrow(/does not declare/);
  });

  it('refuses a body that misses a required field or has a wrong type', () => {
    const { phone: _, ...withoutPhone } = customer;
    expect(() => contract.check('GET', '/v1/customers/c1', 200, 'application/json', withoutPhone)).toThrow(/phone/);
    expect(() => contract.check('GET', '/v1/customers/c1', 200, 'application/json', { ...customer, stage: 'vip' })).toThrow(/stage/);
  });

  it('refuses a problem without its code', () => {
    expect(() => contract.check('GET', '/v1/customers/c1', 404, 'application/problem+json', { type: 't', title: 't', status: 404, detail: 'd' })).toThrow(
      /code/,
    );
  });

  it('refuses another media type than the declared one', () => {
    expect(() => contract.check('GET', '/v1/customers/c1', 200, 'text/html', '<p>')).toThrow(/text\/html/);
  });

  it('refuses an answer from a route the document does not name', () => {
    expect(() => contract.check('GET', '/v1/secret', 200, 'application/json', {})).toThrow(/no such operation/);
  });
});
