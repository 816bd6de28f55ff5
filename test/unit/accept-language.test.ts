import { describe, expect, it } from 'vitest';
import { languageOf } from '@guanjia/api/messages/language';

describe('the language of a problem answer', () => {
  it.each([
    ['zh', 'zh'],
    ['zh-CN', 'zh'],
    ['zh-Hans', 'zh'],
    ['zh-Hans-CN', 'zh'],
    ['ZH-cn', 'zh'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['en;q=0.5, zh;q=0.8', 'zh'],
    ['fr, zh;q=0.3', 'zh'],
    ['fr, de;q=0.5', 'en'],
    ['zh;q=0, en', 'en'],
    ['zh;q=0', 'en'],
    ['*', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    ['zh;q=abc', 'en'],
    [',,;q=1, zh-CN ;q=0.7', 'zh'],
  ])('is %j → %s', (header, language) => {
    expect(languageOf(header)).toBe(language);
  });

  it('keeps the order of equal weights', () => {
    expect(languageOf('zh, en')).toBe('zh');
    expect(languageOf('en, zh')).toBe('en');
  });
});
