import { addOffset, atSiteTime, siteDay } from './calendar.ts';
import type { Context } from './context.ts';
import { CALLBACK_DUE_TIME } from './deliveries.ts';
import { ValidationError } from './errors.ts';
import type { Principal, Task } from './model.ts';
import { loadSite } from './sites.ts';
import type { CompletionInput } from './tasks.ts';

/**
 * A callback's outcome. Reaching nobody keeps it open for the next site day until the site's
 * attempt limit, then it closes as unreached; everything the agent found is kept on it.
 */
export async function completeCallback(ctx: Context, principal: Principal, task: Task, input: CompletionInput): Promise<Task> {
  const unknown = Object.keys(input.checklist ?? {}).filter((item) => !(task.checklist ?? []).includes(item));
  if (unknown.length) {
    throw new ValidationError('not on this callback\'s checklist', unknown.map((item) => ({ path: `checklist.${item}`, message: `expected one of: ${(task.checklist ?? []).join(', ')}` })));
  }
  if (input.outcome !== 'reached' && (input.checklist || input.satisfaction !== undefined)) {
    throw new ValidationError('only a reached callback has findings', [{ path: 'outcome', message: 'checklist and satisfaction need outcome reached' }]);
  }
  const site = await loadSite(ctx, task.siteId);
  const now = ctx.clock.now();
  const at = now.toISOString();
  const attempts = task.attempts + (input.outcome === 'unreachable' ? 1 : 0);
  let next: Task;
  if (input.outcome === 'unreachable' && attempts < site.callbackAttempts) {
    const dueOn = addOffset(siteDay(now, site.timezone), 'P1D');
    next = { ...task, attempts, dueOn, dueAt: atSiteTime(dueOn, CALLBACK_DUE_TIME, site.timezone).toISOString(), note: input.note ?? task.note, version: task.version + 1 };
  } else {
    next = {
      ...task,
      status: 'done',
      outcome: input.outcome,
      attempts,
      note: input.note ?? null,
      result: { checklist: input.checklist ?? {}, satisfaction: input.satisfaction ?? null, issues: input.issues ?? [] },
      closedAt: at,
      closedBy: principal.sub,
      version: task.version + 1,
    };
  }
  await ctx.store.saveTask(next, task.version);
  return next;
}
