/** A customer's stage: a lead until the contract, a customer until the handover, then an owner looked after for years. */
export const STAGES = ['lead', 'customer', 'owner'] as const;
export type Stage = (typeof STAGES)[number];
