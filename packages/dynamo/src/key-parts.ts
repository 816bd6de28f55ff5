/**
 * The pieces every key is made of. The entity modules build their keys from these only, so
 * two entities that share a partition (a site's staff and duty, a customer's receptions
 * and deliveries) agree on its spelling.
 */

export interface Key {
  PK: string;
  SK: string;
}

export interface IndexKeys {
  GSI1PK: string;
  GSI1SK: string;
  GSI2PK: string;
  GSI2SK: string;
  GSI3PK: string;
  GSI3SK: string;
  GSI4PK: string;
  GSI4SK: string;
}

export const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK'] as const;

export const sitePk = (siteId: string) => `SITE#${siteId}`;
export const phonePk = (phone: string) => `PHONE#${phone}`;
export const customerPk = (customerId: string) => `CUST#${customerId}`;
/** Sorts by the given instant, with the id keeping equal instants apart. */
export const bySortable = (at: string, id: string) => `${at}#${id}`;
