import { describe, expect, it } from 'vitest';
import { COMPLAINT_EVENTS, COMPLAINT_STATES, InvalidTransitionError, nextComplaintState, type ComplaintEvent, type ComplaintState } from '@guanjia/core';

/** Every state × event pair, written out: a state the process reaches, or null for a refused step. */
const EXPECTED: Record<ComplaintState, Record<ComplaintEvent, ComplaintState | null>> = {
  received: { respond: 'responded', assign: 'received', note: 'received', resolve: null, reopen: null, close: null },
  responded: { respond: 'responded', assign: 'responded', note: 'responded', resolve: 'resolved', reopen: null, close: null },
  resolved: { respond: null, assign: 'resolved', note: 'resolved', resolve: null, reopen: 'responded', close: 'closed' },
  closed: { respond: null, assign: null, note: null, resolve: null, reopen: 'responded', close: null },
};

const pairs = COMPLAINT_STATES.flatMap((state) => COMPLAINT_EVENTS.map((event) => [state, event, EXPECTED[state][event]] as const));

describe('the complaint state machine', () => {
  it('has a row for every state and a column for every event', () => {
    expect(pairs).toHaveLength(COMPLAINT_STATES.length * COMPLAINT_EVENTS.length);
  });

  it.each(pairs)('%s + %s → %s', (state, event, expected) => {
    if (expected === null) {
      expect(() => nextComplaintState(state, event)).toThrow(InvalidTransitionError);
    } else {
      expect(nextComplaintState(state, event)).toBe(expected);
    }
  });
});
