import type { Context } from './context.ts';
import type { ConsentRecord, OutboxMessage, Principal } from './model.ts';
import type { Page, PageRequest } from './ports.ts';
import { getCustomer } from './customers.ts';
import { normalizePhone } from './phone.ts';
import { authorize } from './reach.ts';

/** 回T退订 and its like: the number gets no care message again; notices still go. Kept as a record. */
export async function optOut(ctx: Context, principal: Principal, phone: string, source = 'opt_out'): Promise<ConsentRecord> {
  authorize(principal, 'sms.opt_out');
  const record: ConsentRecord = { phone: normalizePhone(phone), granted: false, source, by: principal.sub, at: ctx.clock.now().toISOString() };
  await ctx.store.recordConsent(record);
  return record;
}

export async function listMessages(ctx: Context, principal: Principal, customerId: string, page: PageRequest): Promise<Page<OutboxMessage>> {
  await getCustomer(ctx, principal, customerId);
  return ctx.store.listMessagesOfCustomer(customerId, page);
}
