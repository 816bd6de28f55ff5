import type { Context } from '../context.ts';

/**
 * The callbacks each agent has been given on the day, as the service figures count them
 * (`callbacksDue`, kept in the transaction of every gift, the job's and a complaint's repair
 * callback alike): one Query of the site's day, no counter of its own to keep in step.
 */
export async function agentLoads(ctx: Context, siteId: string, day: string, agents: string[]): Promise<Map<string, number>> {
  const loads = new Map(agents.map((agent) => [agent, 0]));
  for (const figures of await ctx.store.listServiceFigures(siteId, day)) {
    if (loads.has(figures.staffId)) loads.set(figures.staffId, figures.callbacksDue);
  }
  return loads;
}

/** How many more callbacks the agents can be given on the day, together. */
export function roomLeft(loads: Map<string, number>, capacity: number): number {
  let room = 0;
  for (const load of loads.values()) room += Math.max(0, capacity - load);
  return room;
}

/**
 * The agent with the fewest callbacks on the day and room for one more, so a day's callbacks
 * spread evenly whatever each had before; among equals, the rotation's turn decides, so the
 * first of a run is not always the same person.
 */
export function nextAgent(agents: string[], loads: Map<string, number>, capacity: number, turn: number): string | null {
  let best: string | null = null;
  let fewest = capacity;
  for (let i = 0; i < agents.length; i++) {
    const agent = agents[(turn + i) % agents.length]!;
    const load = loads.get(agent) ?? 0;
    if (load < fewest) {
      best = agent;
      fewest = load;
    }
  }
  return best;
}
