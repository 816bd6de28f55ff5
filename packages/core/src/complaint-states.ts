import { InvalidTransitionError } from './errors.ts';

export const COMPLAINT_STATES = ['received', 'responded', 'resolved', 'closed'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];

export const COMPLAINT_EVENTS = ['respond', 'assign', 'note', 'resolve', 'reopen', 'close'] as const;
export type ComplaintEvent = (typeof COMPLAINT_EVENTS)[number];

/**
 * 投诉处理: received → responded → resolved → closed, `reopen` from resolved or closed back
 * to responded, and `assign`/`note` in any state that is not closed. A second `respond` is
 * allowed (the first one stops the answer clock); anything else not listed is refused.
 */
const TRANSITIONS: Record<ComplaintState, Partial<Record<ComplaintEvent, ComplaintState>>> = {
  received: { respond: 'responded', assign: 'received', note: 'received' },
  responded: { respond: 'responded', assign: 'responded', note: 'responded', resolve: 'resolved' },
  resolved: { assign: 'resolved', note: 'resolved', reopen: 'responded', close: 'closed' },
  closed: { reopen: 'responded' },
};

/** The state after the event, or `InvalidTransitionError` (409 at the API) for a step the process does not have. */
export function nextComplaintState(state: ComplaintState, event: ComplaintEvent): ComplaintState {
  const next = TRANSITIONS[state][event];
  if (!next) throw new InvalidTransitionError(`a ${state} complaint cannot take '${event}'`, { state, event }, 'complaint_event');
  return next;
}
