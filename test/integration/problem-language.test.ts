import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_CODES, type Principal } from '@guanjia/core';
import { MAX_BODY_BYTES } from '@guanjia/api';
import { createTestApi, freshPhone, seedSite, type Reply, type TestApi } from '../support/api.ts';

let api: TestApi;
let s: Awaited<ReturnType<typeof seedSite>>;
const owner: Principal = { sub: 'owner-lang', role: 'owner', sites: [], phone: '+8613700000001' };

beforeAll(async () => {
  api = await createTestApi();
  s = await seedSite(api, 'lang');
});
afterAll(() => api.close());

const HAN = /\p{Script=Han}/u;
const ZH = { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' };
const EN = { 'Accept-Language': 'en-US,en;q=0.9' };

interface Field {
  path: string;
  code: string;
  message: string;
}
const fields = (reply: Reply): Field[] => reply.body.errors ?? [];
const byPath = (reply: Reply, path: string): Field => fields(reply).find((f) => f.path === path)!;

/** Name missing, phone mistyped, channel unknown, note blank, a field the route does not take. */
const badIntake = { siteId: 'lang', phone: '138 0013x', channel: 'fax', note: '', vip: true };
const shortPhone = { siteId: 'lang', name: '周杰', phone: ' 1380013', channel: 'walk_in' };

describe('a problem answer in the language the request prefers', () => {
  it('says the same bad request in Chinese and in English, with the same codes', async () => {
    const zh = await api.call(s.repA, 'POST', '/v1/customers', { body: badIntake, headers: ZH });
    const en = await api.call(s.repA, 'POST', '/v1/customers', { body: badIntake, headers: EN });
    expect([zh.status, en.status]).toEqual([400, 400]);
    expect(zh.headers.get('Content-Language')).toBe('zh-CN');
    expect(en.headers.get('Content-Language')).toBe('en');
    expect(zh.headers.get('Vary')).toContain('Accept-Language');
    expect(zh.body.code).toBe(en.body.code);
    expect(zh.body.type).toBe(en.body.type);
    expect(zh.body.title).toMatch(HAN);
    expect(zh.body.detail).toMatch(HAN);
    expect(en.body.title).not.toMatch(HAN);
    expect(en.body.detail).not.toMatch(HAN);
    const strip = (reply: Reply) => fields(reply).map(({ path, code }) => ({ path, code }));
    expect(strip(zh)).toEqual(strip(en));
    expect(strip(en)).toEqual(
      expect.arrayContaining([
        { path: 'name', code: 'required' },
        { path: 'phone', code: 'invalid_phone' },
        { path: 'channel', code: 'not_allowed' },
        { path: 'note', code: 'too_short' },
        { path: 'vip', code: 'unknown_field' },
      ]),
    );
    for (const [i, field] of fields(zh).entries()) {
      expect(field.message).toMatch(HAN);
      expect(field.message).not.toBe(fields(en)[i]!.message);
    }
    expect(byPath(en, 'name').message).toBe('is required');
    expect(byPath(zh, 'name').message).toBe('必填');
    expect(byPath(zh, 'phone').message).toBe('手机号格式不正确：138 0013x 不是有效的手机号码');
  });

  it('shows a mistyped phone as it was typed, never with digits nobody typed', async () => {
    const zh = await api.call(s.repA, 'POST', '/v1/customers', { body: shortPhone, headers: ZH });
    const en = await api.call(s.repA, 'POST', '/v1/customers', { body: shortPhone });
    expect(byPath(zh, 'phone').code).toBe('invalid_phone');
    expect(byPath(zh, 'phone').message).toBe('手机号格式不正确：1380013 不是有效的手机号码');
    expect(byPath(en, 'phone').message).toBe('1380013 is not a valid phone number');
    expect(JSON.stringify([zh.body, en.body])).not.toContain('*');
  });

  it('says a bad request as the catalogue’s sentence in English too, not as the rule’s own words', async () => {
    const en = await api.call(s.repA, 'POST', '/v1/customers', { body: badIntake, headers: EN });
    const zh = await api.call(s.repA, 'POST', '/v1/customers', { body: badIntake, headers: ZH });
    expect(en.body.detail).toBe('The request is not valid; see the errors of each field.');
    expect(zh.body.detail).toBe('请求未通过校验，请查看各字段的错误。');
  });

  it('answers English when the request names no language, or no language it offers', async () => {
    const others: Record<string, string>[] = [{}, { 'Accept-Language': 'fr-FR, de;q=0.8' }, { 'Accept-Language': 'zh;q=0, *' }];
    for (const headers of others) {
      const res = await api.call(s.repA, 'POST', '/v1/customers', { body: badIntake, headers });
      expect(res.headers.get('Content-Language')).toBe('en');
      expect(res.body.title).toBe('Bad request');
    }
    const preferred = await api.call(s.repA, 'POST', '/v1/customers', { body: badIntake, headers: { 'Accept-Language': 'en;q=0.5, zh-Hans' } });
    expect(preferred.headers.get('Content-Language')).toBe('zh-CN');
  });

  it('says grammatically in both languages that a role may not do something', async () => {
    const en = await api.call(owner, 'GET', '/v1/customers?siteId=lang', { headers: EN });
    const zh = await api.call(owner, 'GET', '/v1/customers?siteId=lang', { headers: ZH });
    expect([en.status, zh.status]).toEqual([403, 403]);
    expect(en.body).toMatchObject({ code: 'forbidden', title: 'Forbidden', detail: 'An owner may not list customers.' });
    expect(zh.body).toMatchObject({ code: 'forbidden', title: '无权操作', detail: '业主无权列出客户。' });
  });

  it.each([
    ['a record out of reach', () => api.call(s.repA, 'GET', '/v1/customers/nobody', { headers: ZH }), 404, '未找到该客户。'],
    ['an unknown route', () => api.call(s.repA, 'GET', '/v1/nowhere', { headers: ZH }), 404, '没有 GET /v1/nowhere 这个接口。'],
    ['no token', () => api.call(null, 'GET', '/v1/customers?siteId=lang', { headers: ZH }), 401, '需要 Bearer 令牌，请先登录。'],
    [
      'a body that is not JSON',
      () => api.call(s.repA, 'POST', '/v1/customers', { raw: '{}', headers: { ...ZH, 'Content-Type': 'text/plain' } }),
      415,
      '此接口不接受该类型的内容。',
    ],
    [
      'a body over the limit',
      () => api.call(s.repA, 'POST', '/v1/customers', { body: { note: 'x'.repeat(MAX_BODY_BYTES) }, headers: ZH }),
      413,
      `请求内容超过 ${MAX_BODY_BYTES / 1024} KiB。`,
    ],
    [
      'a site the caller does not work at',
      () => api.call(s.repA, 'POST', '/v1/customers', { body: { siteId: 'elsewhere', name: '周杰', phone: freshPhone(), channel: 'walk_in' }, headers: ZH }),
      403,
      '您不是站点“elsewhere”的成员。',
    ],
  ])('says %s in Chinese', async (_, send, status, detail) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('Content-Language')).toBe('zh-CN');
    expect(res.body.title).toMatch(HAN);
    expect(res.body.detail).toBe(detail);
  });
});

describe('the documented field codes', () => {
  it('are every code a field error may carry, and the language of a problem is a documented header', async () => {
    const document = (await (await api.app.request('/openapi.json')).json()) as any;
    expect(document.components.schemas.FieldError.properties.code.enum).toEqual([...FIELD_CODES]);
    const badRequest = document.paths['/v1/customers'].post.responses['400'];
    expect(badRequest.headers['Content-Language'].schema.enum).toEqual(['en', 'zh-CN']);
  });
});
