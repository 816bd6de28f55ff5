import { randomUUID } from 'node:crypto';
import { ConflictError, type ConsentRecord, type ConsentStore } from '@guanjia/core';
import { toRecord, type Item } from '../items.ts';
import { phonePk, type Key } from '../key-parts.ts';
import { partitionQuery, type KeyQuery } from '../queries.ts';
import type { TableAccess } from '../table-access.ts';
import { putNew, type GuardedPut } from '../transact.ts';

/** Consent is the phone's, company-wide: its history sits in the phone's partition, newest last. */
const CONSENT_PREFIX = 'CONSENT#';
const consentsOfPhonePk = phonePk;
/** `unique` keeps two grants of the same instant from overwriting each other. */
export const consentKey = (phone: string, at: string, unique: string): Key => ({ PK: phonePk(phone), SK: `${CONSENT_PREFIX}${at}#${unique}` });

/**
 * Of two records at the same instant (a grant and an opt-out under a frozen test clock, or
 * two devices at once), the refusal sorts newer, so the newest-first read errs on no care text.
 */
export const consentItem = (c: ConsentRecord): Item => ({ ...consentKey(c.phone, c.at, `${c.granted ? 'g' : 'r'}${randomUUID()}`), type: 'consent', ...c });

/** A consent record, written alone or in the transaction of the fact that brought it. */
export const consentPut = (consent: ConsentRecord): GuardedPut => putNew(consentItem(consent), () => new ConflictError('consent record exists already'));

const latestConsentQuery = (phone: string): KeyQuery => partitionQuery(consentsOfPhonePk(phone), CONSENT_PREFIX, false);

export function consentStore(t: TableAccess): ConsentStore {
  return {
    async latestConsent(phone) {
      // Consent decides whether a care text may go, so it is read strongly consistent.
      const out = await t.queryOnce({ ...latestConsentQuery(phone), Limit: 1, ConsistentRead: true });
      const item = out.Items?.[0];
      return item ? toRecord<ConsentRecord>(item as Item) : null;
    },
    recordConsent: (consent) => t.write([consentPut(consent)]),
  };
}
