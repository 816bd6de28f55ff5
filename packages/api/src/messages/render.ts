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
 * A domain error's detail, the same way in both languages: the catalogue's sentence for its
 * `code.reason`, else for its `code`, else its status's general sentence. Core's own message
 * is a note for developers (lowercase, in English only), so it is never the detail; what a
 * validation failure found is said field by field in `errors`.
 */
export function domainDetail(language: Language, error: DomainError, status: number): string {
  const catalogue = CATALOGUES[language];
  const keys = [error.reason && `${error.code}.${error.reason}`, error.code, `status.${status}`];
  const key = keys.find((k): k is DetailKey => typeof k === 'string' && isDetailKey(k));
  return key ? catalogue.details[key](localParams(catalogue, error.details)) : titleOf(language, status);
}

/** Field errors with their messages in the language; code, path and params stay as they are. */
export function sayFields(language: Language, errors: FieldError[]): FieldError[] {
  const catalogue = CATALOGUES[language];
  return errors.map((error) => ({ ...error, message: catalogue.fields[error.code](error.params ?? {}, error.message) }));
}
