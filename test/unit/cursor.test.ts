import { describe, expect, it } from 'vitest';
import { ValidationError } from '@guanjia/core';
import { createCursorCodec } from '@guanjia/api';

describe('cursor', () => {
  const codec = createCursorCodec('secret');
  const position = { PK: 'CUST#1', SK: 'CUST', GSI1PK: 'SITE#s1#CUST', GSI1SK: '2026#1' };

  it('round-trips a position within its own list', () => {
    const cursor = codec.encode(position, '/v1/customers?siteId=s1')!;
    expect(codec.decode(cursor, '/v1/customers?siteId=s1')).toEqual(position);
  });

  it('says there is no next page with null', () => {
    expect(codec.encode(null, 'x')).toBeNull();
  });

  it.each([
    ['garbled', 'abc'],
    [
      'tampered',
      (() => {
        const [p, m] = createCursorCodec('secret').encode(position, 'x')!.split('.');
        return `${p}A.${m}`;
      })(),
    ],
    ['signed with another key', createCursorCodec('other').encode(position, 'x')!],
    ['from another list', createCursorCodec('secret').encode(position, 'y')!],
  ])('refuses a %s cursor', (_, cursor) => {
    expect(() => codec.decode(cursor, 'x')).toThrow(ValidationError);
  });
});
