import type { DomainError, FieldError, MessageParams } from '@guanjia/core/errors';
import { isDetailKey, type Catalogue, type DetailKey } from './catalogue.ts';
import { en } from './en.ts';
import type { Language } from './language.ts';
import { zh } from './zh.ts';

const CATALOGUES: Record<Language, Catalogue> = { en, zh };

const WORDS = ['state', 'event', 'status', 'stage'] as const;

/** Params as the sentence says them: a role, an action and a record by their words in the language. */
function localParams(catalogue: Catalogue, params: Record<string, unknown> = {}): MessageParams {
  const said: MessageParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') said[name] = value;
  }
  const { role, action, what } = said;
  if (typeof role === 'string' && role in catalogue.roles) said.role = catalogue.roles[role as keyof Catalogue['roles']];
  if (typeof action === 'string' && action in catalogue.actions) said.action = catalogue.actions[action as keyof Catalogue['actions']];
  if (typeof what === 'string') said.what = catalogue.records[what] ?? what;
  for (const name of WORDS) {
    const value = said[name];
    if (typeof value === 'string' && Object.hasOwn(catalogue.words, value)) said[name] = catalogue.words[value]!;
  }
  return said;
}

export function titleOf(language: Language, status: number): string {
  const catalogue = CATALOGUES[language];
  return catalogue.titles[status] ?? catalogue.title;
}

export function sayDetail(language: Language, key: DetailKey, params?: MessageParams): string {
  const catalogue = CATALOGUES[language];
  return catalogue.details[key](localParams(catalogue, params));
}

/**
 * A domain error's detail: the catalogue's sentence for its `code.reason` when there is one;
 * else, in English, its own message, and in Chinese the sentence for its `code`, or its
 * status's general sentence: less precise, but never one the reader cannot read.
 */
export function domainDetail(language: Language, error: DomainError, status: number): string {
  // In English the error's own message is already the precise sentence unless a reason names a better one.
  const keys = language === 'en' ? [error.reason && `${error.code}.${error.reason}`] : [error.reason && `${error.code}.${error.reason}`, error.code];
  const key = keys.find((k): k is DetailKey => typeof k === 'string' && isDetailKey(k));
  if (key) return CATALOGUES[language].details[key](localParams(CATALOGUES[language], error.details));
  if (language === 'en') return error.message;
  const general = `status.${status}`;
  return isDetailKey(general) ? sayDetail(language, general) : zh.title;
}

/** Field errors with their messages in the language; code, path and params stay as they are. */
export function sayFields(language: Language, errors: FieldError[]): FieldError[] {
  const catalogue = CATALOGUES[language];
  return errors.map((error) => ({ ...error, message: catalogue.fields[error.code](error.params ?? {}, error.message) }));
}
