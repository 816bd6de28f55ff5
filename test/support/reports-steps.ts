import fc from 'fast-check';
import type { Level, LeadType } from './reports-model.ts';

/**
 * The steps of the reports' property test: what people at two sites do in a day's work, each
 * sent once, sent again with its Idempotency-Key (a retry after a lost answer), or sent twice
 * at once with it (a double tap). Persons are phones; person p is known at site p % 2.
 */
export type Retry = 'once' | 'again' | 'at_once';
export type SalesActor = 'rep1' | 'rep2' | 'manager' | 'service';
export type ServiceActor = 'service' | 'manager';
export const CHANNELS = ['walk_in', 'phone', 'referral', 'online'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ComplaintEvent = 'respond' | 'assign' | 'resolve' | 'close' | 'reopen';
/** `advance` is the complaint's next step in its process, whatever state it is in. */
export type ComplaintMove = ComplaintEvent | 'advance';
export type Patch = { intentLevel: Level | null } | { leadType: LeadType } | { stage: 'customer' };

export type Step =
  | { kind: 'intake'; actor: SalesActor; person: number; channel: Channel; leadType?: LeadType; level?: Level; referrer?: number; retry: Retry }
  | { kind: 'contact'; actor: SalesActor; person: number; level?: Level; retry: Retry }
  | { kind: 'complete'; actor: SalesActor; person: number; outcome: Outcome; retry: Retry }
  | { kind: 'edit'; actor: SalesActor; person: number; patch: Patch; retry: Retry }
  | { kind: 'settle'; person: number; toClaimant: boolean; retry: Retry }
  | { kind: 'deliver'; actor: ServiceActor; person: number; daysFromToday: number; retry: Retry }
  | { kind: 'job'; retry: Retry }
  | { kind: 'call'; actor: ServiceActor; pick: number; anyCall: boolean; outcome: Outcome; score?: number; issue: boolean; retry: Retry }
  | { kind: 'file'; actor: ServiceActor | 'rep1' | 'owner'; person: number; repair: boolean; urgent: boolean; retry: Retry }
  | { kind: 'step'; actor: ServiceActor | 'owner'; pick: number; event: ComplaintMove; to: 'service' | 'rep1'; score: number; retry: Retry }
  | { kind: 'wait'; minutes: number };
export type Outcome = 'reached' | 'unreachable' | 'declined';

export const PERSONS = 4;
const person = fc.integer({ min: 0, max: PERSONS - 1 });
const retry = fc.constantFrom<Retry>('once', 'again', 'at_once');
const salesActor = fc.constantFrom<SalesActor>('rep1', 'rep2', 'manager', 'service');
const serviceActor = fc.constantFrom<ServiceActor>('service', 'manager');
const level = fc.constantFrom<Level>('H', 'A', 'B', 'C');
const leadType = fc.constantFrom<LeadType>('direct', 'key_person', 'potential');
const outcome = fc.constantFrom<Outcome>('reached', 'unreachable', 'declined');
const pick = fc.nat({ max: 50 });
const score = fc.integer({ min: 1, max: 5 });

const patch: fc.Arbitrary<Patch> = fc.oneof(
  fc.record({ intentLevel: fc.option(level, { nil: null }) }),
  fc.record({ leadType }),
  fc.constant({ stage: 'customer' as const }),
);

/**
 * Now and then an intake names a person as who brought the customer: one known at the same
 * site is a referral, any other is refused with nothing written. Persons come in one by one,
 * so an opening intake may name one who came before it.
 */
const referrer = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: person });
const intakeOf = (who: fc.Arbitrary<number>) =>
  fc.record(
    { kind: fc.constant('intake' as const), actor: salesActor, person: who, channel: fc.constantFrom(...CHANNELS), leadType, level, referrer, retry },
    { requiredKeys: ['kind', 'actor', 'person', 'channel', 'retry'] },
  );

/** Every person comes in first, so that the steps after have customers to work on. */
export const opening: fc.Arbitrary<Step[]> = fc.tuple(...Array.from({ length: PERSONS }, (_, p) => intakeOf(fc.constant(p))));

export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: intakeOf(person) },
  {
    weight: 3,
    arbitrary: fc.record(
      { kind: fc.constant('contact' as const), actor: salesActor, person, level, retry },
      { requiredKeys: ['kind', 'actor', 'person', 'retry'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('complete' as const), actor: salesActor, person, outcome, retry }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), actor: salesActor, person, patch, retry }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const), person, toClaimant: fc.boolean(), retry }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('deliver' as const), actor: serviceActor, person, daysFromToday: fc.integer({ min: -3, max: 1 }), retry }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('job' as const), retry }) },
  {
    weight: 3,
    arbitrary: fc.record(
      // Mostly an open call; now and then any, a closed one included, which is refused.
      {
        kind: fc.constant('call' as const),
        actor: serviceActor,
        pick,
        anyCall: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        outcome,
        score,
        issue: fc.boolean(),
        retry,
      },
      { requiredKeys: ['kind', 'actor', 'pick', 'anyCall', 'outcome', 'issue', 'retry'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('file' as const),
      actor: fc.constantFrom('service' as const, 'manager' as const, 'rep1' as const, 'owner' as const),
      person,
      repair: fc.boolean(),
      urgent: fc.boolean(),
      retry,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      actor: fc.oneof({ weight: 4, arbitrary: serviceActor }, { weight: 1, arbitrary: fc.constant('owner' as const) }),
      pick,
      event: fc.oneof(
        { weight: 4, arbitrary: fc.constant<ComplaintMove>('advance') },
        { weight: 3, arbitrary: fc.constantFrom<ComplaintMove>('respond', 'assign', 'resolve', 'close', 'reopen') },
      ),
      to: fc.constantFrom('service' as const, 'rep1' as const),
      score,
      retry,
    }),
  },
  // Short waits keep steps in one day; long ones cross days, months, answer windows and due days.
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.oneof(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 240, max: 50 * 60 })) }),
  },
);
