import { rebuildReports, type Context, type FigureDifference, type RebuildOptions } from '@guanjia/core';

export const REBUILD = 'reports-rebuild';

/** More lines than a person reads at a console; the counts still say how many there were. */
const SHOWN = 200;

/** A difference as one flat line of the report: which counter, whose, which figure, stored and recomputed. */
function flat({ target, figure, stored, recomputed }: FigureDifference): Record<string, string | number> {
  const { kind, siteId: _, ...where } = target;
  return { counter: kind, ...where, figure, stored, recomputed };
}

/** The rebuild as the job CLI prints it: the counts first, then the differences. */
export async function runRebuild(ctx: Context, siteId: string, options: { from: string | undefined; to: string | undefined; dryRun: boolean }) {
  const wanted: RebuildOptions = { dryRun: options.dryRun, ...(options.from ? { from: options.from } : {}), ...(options.to ? { to: options.to } : {}) };
  const { differences, ...rest } = await rebuildReports(ctx, siteId, wanted);
  const counters = new Set(differences.map((d) => JSON.stringify(d.target))).size;
  return {
    ...rest,
    differences: differences.length,
    countersDiffering: counters,
    ...(differences.length > SHOWN ? { shown: SHOWN } : {}),
    list: differences.slice(0, SHOWN).map(flat),
  };
}

/** One line for a person, and whether the figures now agree with the records. */
export function rebuildSummary(report: Awaited<ReturnType<typeof runRebuild>>): { line: string; agrees: boolean } {
  const found = `${report.differences} figure(s) differed from the records, in ${report.countersDiffering} of ${report.compared} counter(s), ${report.from} to ${report.to}`;
  if (report.differences === 0) return { line: `${found}: the figures agree.`, agrees: true };
  if (report.dryRun) return { line: `${found}; dry run: nothing written.`, agrees: false };
  const moved = report.moved > 0 ? `; ${report.moved} moved while the rebuild ran and were left: run it again` : '';
  return { line: `${found}; ${report.fixed} counter(s) set to what the records add up to${moved}.`, agrees: report.moved === 0 };
}
