/** The languages problem answers are written in: English by default, Chinese for a reader who prefers it. */
export type Language = 'en' | 'zh';

/** What `Content-Language` says of each; the Chinese is Simplified, as read on the mainland. */
export const CONTENT_LANGUAGE: Record<Language, string> = { en: 'en', zh: 'zh-CN' };

interface Range {
  tag: string;
  q: number;
  order: number;
}

function rangesOf(header: string): Range[] {
  return header.split(',').flatMap((part, order) => {
    const [rawTag = '', ...rawParams] = part.split(';');
    const tag = rawTag.trim().toLowerCase();
    if (!tag) return [];
    let q = 1;
    for (const param of rawParams) {
      const [name, value] = param.split('=').map((s) => s.trim());
      if (name?.toLowerCase() !== 'q') continue;
      // RFC 9110: a weight is 0 to 1 with at most three decimals; anything else is ignored as unreadable.
      q = value !== undefined && /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
    }
    return [{ tag, q, order }];
  });
}

const languageOfTag = (tag: string): Language | null => {
  const primary = tag.split('-')[0];
  if (primary === 'zh') return 'zh';
  if (primary === 'en') return 'en';
  return null;
};

/**
 * The language of the answer, from `Accept-Language` weighed by its q-values: the reader's
 * most preferred language of the two offered (`zh`, `zh-CN`, `zh-Hans` are Chinese), English
 * when they name neither, or name Chinese with q=0.
 */
export function languageOf(header: string | undefined | null): Language {
  if (!header) return 'en';
  const ranges = rangesOf(header)
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const range of ranges) {
    const language = languageOfTag(range.tag);
    if (language) return language;
  }
  return 'en';
}
