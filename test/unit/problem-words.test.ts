import { describe, expect, it } from 'vitest';
import {
  CapacityReachedError,
  ConflictError,
  FIELD_CODES,
  type ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PhoneTakenError,
  ROLES,
  ValidationError,
  VersionConflictError,
  authorize,
  myPreferences,
  type Context,
  type Principal,
  type Action,
  type DomainError,
} from '@guanjia/core';
import { DETAIL_KEYS } from '@guanjia/api/messages/catalogue';
import { en } from '@guanjia/api/messages/en';
import { zh } from '@guanjia/api/messages/zh';
import { domainDetail, sayDetail, sayFields } from '@guanjia/api/messages/render';

const HAN = /\p{Script=Han}/u;

const forbidden = (role: (typeof ROLES)[number], action: Action): ForbiddenError => {
  try {
    authorize({ sub: 'x', role, sites: ['s1'] }, action);
  } catch (error) {
    return error as ForbiddenError;
  }
  throw new Error(`${role} may ${action}`);
};

describe('the words of a problem', () => {
  it('say a refused action as a sentence in both languages, for every role and action', () => {
    for (const role of ROLES) {
      for (const action of Object.keys(en.actions) as Action[]) {
        let error: ForbiddenError;
        try {
          error = forbidden(role, action);
        } catch {
          continue; // the role may do it
        }
        expect(domainDetail('en', error, 403)).toMatch(/^An? [a-z ]+ may not [a-zA-Z’ -]+\.$/);
        expect(domainDetail('zh', error, 403)).toBe(`${zh.roles[role]}无权${zh.actions[action]}。`);
      }
    }
    expect(domainDetail('en', forbidden('sales', 'site.create'), 403)).toBe('A sales rep may not create sites.');
  });

  it.each<[string, DomainError, number, string, string]>([
    ['a phone taken', new PhoneTakenError('s1', '+8613800138000'), 409, '该手机号已在本站点登记。', 'This phone number is already registered at this site.'],
    [
      'a version conflict',
      new VersionConflictError('task t1 was changed by someone else', { id: 't1' }),
      409,
      '该记录已被他人修改，请刷新后重试。',
      'Someone else changed this record first; read it again and retry.',
    ],
    [
      'a full day of callbacks',
      new CapacityReachedError('a1 has 3 callbacks on 2026-11-23'),
      409,
      '该坐席当天的回访数量已达站点上限。',
      'The agent has as many callbacks on that day as the site allows.',
    ],
    ['a record not found', new NotFoundError('delivery not found', { what: 'delivery' }, 'record'), 404, '未找到该交付记录。', 'The delivery was not found.'],
    [
      'a step the complaint process does not have',
      new InvalidTransitionError("a closed complaint cannot take 'resolve'", { state: 'closed', event: 'resolve' }, 'complaint_event'),
      409,
      '处于“已关闭”状态的投诉不能进行“解决”操作。',
      "A complaint that is closed cannot take 'resolve'.",
    ],
    [
      'a conflict the catalogue does not name',
      new ConflictError('consent record exists already'),
      409,
      '与记录的当前状态冲突。',
      'This conflicts with the current state of the record.',
    ],
    [
      'a rule’s own validation',
      new ValidationError('the month is out of reach'),
      400,
      '请求未通过校验，请查看各字段的错误。',
      'The request is not valid; see the errors of each field.',
    ],
  ])('say %s by the catalogue’s sentence for its code in both languages', (_, error, status, chinese, english) => {
    expect(domainDetail('zh', error, status)).toBe(chinese);
    expect(domainDetail('en', error, status)).toBe(english);
  });

  it('say why an owner whose token holds no phone has no preferences to read, in both languages', async () => {
    const phoneless: Principal = { sub: 'owner-x', role: 'owner', sites: [] };
    // Refused before the store is asked, so no store is given.
    const error = await myPreferences({} as Context, phoneless).catch((e: DomainError) => e);
    expect(domainDetail('en', error as DomainError, 403)).toBe('An owner is known by the phone number in their token, and this token has none.');
    expect(domainDetail('zh', error as DomainError, 403)).toBe(zh.details['forbidden.no_phone_in_token']({}));
    expect(domainDetail('zh', error as DomainError, 403)).not.toBe(zh.details['status.403']({}));
  });

  it('never show core’s own lowercase message as the English detail', () => {
    const errors: [DomainError, number][] = [
      [new ConflictError('consent record exists already'), 409],
      [new NotFoundError('customer c1 of complaint k1 not found'), 404],
      [new ValidationError('the request is not valid'), 400],
    ];
    for (const [error, status] of errors) {
      const said = domainDetail('en', error, status);
      expect(said).not.toBe(error.message);
      expect(said).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('have a Chinese sentence for every detail and every field code', () => {
    for (const key of DETAIL_KEYS) expect(sayDetail('zh', key, { role: 'owner', action: 'me.read', what: 'site' }), key).toMatch(HAN);
    const fields = FIELD_CODES.map((code) => ({ path: 'x', code, message: 'said in English' }));
    for (const field of sayFields('zh', fields)) expect(field.message, field.code).toMatch(HAN);
    for (const field of sayFields('en', fields)) expect(field.message, field.code).not.toMatch(HAN);
  });

  it('keep a field error’s code, path and params in every language', () => {
    const fields = [{ path: 'phone', code: 'invalid_phone' as const, message: '1380013 is not a valid phone number', params: { input: '1380013' } }];
    const [said] = sayFields('zh', fields);
    expect(said).toEqual({ ...fields[0], message: '手机号格式不正确：1380013 不是有效的手机号码' });
  });
});
