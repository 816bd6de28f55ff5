import { careConsentRefusal } from '../consent.ts';
import { birthdaysOn } from '../calendar.ts';
import type { Context } from '../context.ts';
import type { Campaign, Customer, OutboxMessage, Site } from '../model.ts';
import { composeMessage } from '../outbox.ts';
import type { PagePosition } from '../ports.ts';
import { loadSite } from '../sites.ts';
import { memo } from './memo.ts';
import { daysToRun, finishDay } from './job-state.ts';

export interface CareReport {
  job: 'care';
  days: string[];
  /** Customers whose birthday fell on the days run. */
  birthdays: number;
  /** Campaigns due on the days run. */
  campaigns: number;
  /** Messages this run queued; what an earlier or a simultaneous run queued is not counted again. */
  queued: number;
  /** Customers passed over because their phone has no standing consent. */
  withoutConsent: number;
}

const PAGE = 100;

/**
 * 顾客关怀: birthday greetings (a 29 February birthday on 28 February in other years) and the
 * campaigns due, for each day since the last finished run. Only a phone that consents gets
 * a message queued; the dispatcher asks again at send time, since an opt-out may come in
 * between, and applies the care cap. Message ids are deterministic (a birthday once a year,
 * a campaign once a customer), so a second run, or one at the same time, queues nothing new.
 */
export async function runCareJob(ctx: Context, today: string): Promise<CareReport> {
  const days = await daysToRun(ctx, 'care', today);
  const report: CareReport = { job: 'care', days, birthdays: 0, campaigns: 0, queued: 0, withoutConsent: 0 };
  const siteById = memo((id) => loadSite(ctx, id));
  for (const day of days) {
    await greetBirthdays(ctx, day, siteById, report);
    for (const campaign of await ctx.store.listCampaignsDue(day)) {
      report.campaigns++;
      await sendCampaign(ctx, campaign, await siteById(campaign.siteId), report);
    }
    await finishDay(ctx, 'care', day);
  }
  return report;
}

async function consents(ctx: Context, customer: Customer): Promise<boolean> {
  return (await careConsentRefusal(ctx, customer.phone)) === null;
}

async function greetBirthdays(ctx: Context, day: string, siteById: (id: string) => Promise<Site>, report: CareReport): Promise<void> {
  const at = ctx.clock.now().toISOString();
  const messages: OutboxMessage[] = [];
  for (const birthday of birthdaysOn(day)) {
    for (const id of await ctx.store.listBirthdayCustomers(birthday)) {
      const customer = await ctx.store.getCustomer(id);
      // The index is read eventually consistent: an entry may trail a birthday just changed.
      if (!customer || customer.birthday !== birthday) continue;
      report.birthdays++;
      if (!(await consents(ctx, customer))) {
        report.withoutConsent++;
        continue;
      }
      messages.push(composeMessage(await siteById(customer.siteId), customer, 'birthday', `${customer.id}:${day.slice(0, 4)}`, {}, at));
    }
  }
  report.queued += await ctx.store.enqueueMessages(messages);
}

async function sendCampaign(ctx: Context, campaign: Campaign, site: Site, report: CareReport): Promise<void> {
  const at = ctx.clock.now().toISOString();
  let after: PagePosition | null = null;
  do {
    const page = await ctx.store.listCustomers({ siteId: campaign.siteId, stage: campaign.audience.stage }, { limit: PAGE, ...(after ? { after } : {}) });
    const messages: OutboxMessage[] = [];
    for (const customer of page.items) {
      if (!(await consents(ctx, customer))) {
        report.withoutConsent++;
        continue;
      }
      messages.push(composeMessage(site, customer, 'campaign', `${campaign.id}:${customer.id}`, {}, at, campaign.template));
    }
    report.queued += await ctx.store.enqueueMessages(messages);
    after = page.next;
  } while (after);
}
