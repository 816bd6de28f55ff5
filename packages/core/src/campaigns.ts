import { siteDay } from './calendar.ts';
import type { Context } from './context.ts';
import { ValidationError } from './errors.ts';
import type { Campaign, Principal, Stage } from './model.ts';
import { authorize, requireSite } from './reach.ts';
import { loadSite } from './sites.ts';
import { assertValidTemplate } from './sms-text.ts';

export interface CampaignInput {
  siteId: string;
  name: string;
  sendOn: string;
  template: string;
  audience: { stage: Stage };
}

/**
 * A care text for every consenting customer of a stage, queued by the care job on `sendOn`.
 * A day already begun at the site is fine (the job may not have run yet); a past one would
 * never go out, so it is refused rather than silently dropped.
 */
export async function createCampaign(ctx: Context, principal: Principal, input: CampaignInput): Promise<Campaign> {
  authorize(principal, 'campaign.create');
  requireSite(principal, input.siteId);
  const site = await loadSite(ctx, input.siteId);
  const now = ctx.clock.now();
  const today = siteDay(now, site.timezone);
  if (input.sendOn < today) {
    throw new ValidationError('sendOn is in the past', [
      { path: 'sendOn', code: 'in_the_past', message: `must be ${today} or later (site time)`, params: { min: today } },
    ]);
  }
  assertValidTemplate('campaign', input.template, 'template');
  const campaign: Campaign = {
    id: ctx.ids.next(),
    siteId: site.id,
    name: input.name,
    sendOn: input.sendOn,
    template: input.template,
    audience: { stage: input.audience.stage },
    createdAt: now.toISOString(),
    createdBy: principal.sub,
    version: 1,
  };
  await ctx.store.createCampaign(campaign);
  return campaign;
}
