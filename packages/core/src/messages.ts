import type { Context } from './context.ts';
import { getCustomer } from './customers.ts';
import type { OutboxMessage, Principal } from './model.ts';
import type { Page, PageRequest } from './ports.ts';

/** Every SMS of a customer, newest first, for whoever may read the customer. */
export async function listMessages(ctx: Context, principal: Principal, customerId: string, page: PageRequest): Promise<Page<OutboxMessage>> {
  await getCustomer(ctx, principal, customerId);
  return ctx.store.listMessagesOfCustomer(customerId, page);
}
