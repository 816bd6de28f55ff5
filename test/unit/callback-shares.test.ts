import { describe, expect, it } from 'vitest';
import { nextAgent, roomLeft } from '@guanjia/core/jobs/callback-shares';

/** Gives `count` callbacks one by one, as the job does, and answers who got each. */
function give(agents: string[], before: Record<string, number>, capacity: number, count: number): (string | null)[] {
  const loads = new Map(agents.map((a) => [a, before[a] ?? 0]));
  return Array.from({ length: count }, (_, i) => {
    const agent = nextAgent(agents, loads, capacity, i);
    if (agent) loads.set(agent, (loads.get(agent) ?? 0) + 1);
    return agent;
  });
}

describe('sharing a day of callbacks among agents', () => {
  it('takes turns among agents with equal days', () => {
    expect(give(['a', 'b'], {}, 3, 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('gives first to the agent with the fewest callbacks already that day, until the days are even', () => {
    expect(give(['a', 'b'], { a: 2 }, 5, 4)).toEqual(['b', 'b', 'a', 'b']);
  });

  it('gives nobody more than the capacity, and answers no one once every day is full', () => {
    expect(give(['a', 'b'], { a: 3, b: 1 }, 3, 3)).toEqual(['b', 'b', null]);
  });

  it('counts as room only what is under the capacity, an agent given more elsewhere counting for none', () => {
    expect(
      roomLeft(
        new Map([
          ['a', 5],
          ['b', 1],
        ]),
        3,
      ),
    ).toBe(2);
  });
});
