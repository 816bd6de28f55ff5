import type { Customer, Reception, Site, Task } from '@guanjia/core';

/** The optimistic-locking version is the store's business, not the client's. */
export function withoutVersion<T extends { version: number }>(record: T): Omit<T, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

export const siteView = (site: Site) => withoutVersion(site);
// Customers saved before loss requests were kept have neither field: shown as none.
// The copy of the follow-up's due time is the store's shortcut, not the client's: the follow-up is read for it.
export const customerView = ({ openFollowUpDueAt: _openFollowUpDueAt, ...customer }: Customer) => ({
  ...withoutVersion(customer),
  lossRequest: customer.lossRequest ?? null,
  lossDecision: customer.lossDecision ?? null,
  designerId: customer.designerId ?? null,
  designerDecision: customer.designerDecision ?? null,
  designAgreementAt: customer.designAgreementAt ?? null,
  referredBy: customer.referredBy ?? null,
});
/** A referred buyer: no phone, as the key person's owner may not own them. */
export const referralView = (customer: Customer) => ({
  customerId: customer.id,
  name: customer.name,
  stage: customer.stage,
  ownerId: customer.ownerId,
  referredAt: customer.createdAt,
});
export const taskView = (task: Task) => withoutVersion(task);
export const receptionView = ({ conflictId: _conflictId, ...reception }: Reception) => reception;
