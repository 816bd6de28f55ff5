import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError, type PagePosition } from '@guanjia/core';

/**
 * Cursors carry the store's position, signed and bound to the query they came from: a
 * forged, garbled or borrowed cursor is a 400, never a query the table cannot answer.
 */
export interface CursorCodec {
  encode(position: PagePosition | null, scope: string): string | null;
  decode(cursor: string | undefined, scope: string): PagePosition | undefined;
}

export function createCursorCodec(secret: string): CursorCodec {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  const invalid = () =>
    new ValidationError('the cursor is not valid for this list', [
      { path: 'cursor', code: 'invalid_cursor', message: 'use the nextCursor of the same list, unchanged' },
    ]);
  return {
    encode(position, scope) {
      if (position === null) return null;
      const payload = Buffer.from(JSON.stringify({ s: scope, p: position })).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    decode(cursor, scope) {
      if (cursor === undefined) return undefined;
      const [payload, mac, extra] = cursor.split('.');
      if (!payload || !mac || extra !== undefined) throw invalid();
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(mac);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
      const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { s: string; p: PagePosition };
      if (parsed.s !== scope) throw invalid();
      return parsed.p;
    },
  };
}
