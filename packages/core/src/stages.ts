/**
 * A customer's stage: a lead until the contract, a customer until the handover, then an owner
 * looked after for years; or a lead lost (战败) once a manager approves it, and no longer chased.
 */
export const STAGES = ['lead', 'customer', 'owner', 'lost'] as const;
export type Stage = (typeof STAGES)[number];
