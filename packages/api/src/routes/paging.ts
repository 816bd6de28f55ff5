import type { Context } from 'hono';
import type { Page, PageRequest } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';

/** A list's identity for its cursor: the path and every filter except the paging itself. */
function scopeOf(c: Context): string {
  const url = new URL(c.req.url);
  const filters = [...url.searchParams.entries()].filter(([k]) => k !== 'cursor' && k !== 'limit').sort(([a], [b]) => (a < b ? -1 : 1));
  return `${url.pathname}?${new URLSearchParams(filters).toString()}`;
}

export function pageRequest(c: Context, codec: CursorCodec, query: { limit: number; cursor?: string | undefined }): PageRequest {
  const after = codec.decode(query.cursor, scopeOf(c));
  return { limit: query.limit, ...(after ? { after } : {}) };
}

export function pageResponse<T, V>(c: Context, codec: CursorCodec, page: Page<T>, view: (item: T) => V): { items: V[]; nextCursor: string | null } {
  return { items: page.items.map(view), nextCursor: codec.encode(page.next, scopeOf(c)) };
}
