import { tokenPhone } from '@guanjia/local/tokens';
import { describe, expect, it } from 'vitest';

describe("an owner token's phone", () => {
  it.each(['13800138000', '138 0013 8000', '+8613800138000', '+86 138-0013-8000'])('is read from %s as the API reads it, in E.164', (input) => {
    expect(tokenPhone(input)).toBe('+8613800138000');
  });

  it.each(['12345', '1380013800', '+8613800138000x', ''])('is refused in one line naming the option when %j is not a phone', (input) => {
    expect(() => tokenPhone(input)).toThrow(RangeError);
    expect(() => tokenPhone(input)).toThrow(/^--phone ".*" is not a valid phone number; write it as 13800138000 or \+8613800138000$/);
  });
});
