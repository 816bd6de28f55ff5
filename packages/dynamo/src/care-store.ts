import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Campaign } from '@guanjia/core';
import { toRecordOrNull, type Item } from './items.ts';
import { BIRTHDAY_CUSTOMER_PREFIX, CAMPAIGN_DUE_PREFIX, birthdaysPk, campaignKey, campaignsDuePk } from './keys.ts';
import { queryAll } from './paging.ts';
import { partitionQuery } from './queries.ts';

/** Reads for the care job that the store's class hands on. */
export async function listBirthdayCustomers(doc: DynamoDBDocumentClient, tableName: string, mmdd: string): Promise<string[]> {
  const entries = await queryAll<{ customerId: string }>(doc, partitionQuery(tableName, birthdaysPk(mmdd), BIRTHDAY_CUSTOMER_PREFIX, true));
  return entries.map((e) => e.customerId);
}

export async function getCampaign(doc: DynamoDBDocumentClient, tableName: string, id: string): Promise<Campaign | null> {
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: campaignKey(id), ConsistentRead: true }));
  return toRecordOrNull<Campaign>(out.Item as Item | undefined);
}

/** A day holds a handful of campaigns, so one GetItem each after the Query is cheap. */
export async function listCampaignsDue(doc: DynamoDBDocumentClient, tableName: string, day: string): Promise<Campaign[]> {
  const entries = await queryAll<{ campaignId: string }>(doc, partitionQuery(tableName, campaignsDuePk(day), CAMPAIGN_DUE_PREFIX, true));
  const campaigns = await Promise.all(entries.map((e) => getCampaign(doc, tableName, e.campaignId)));
  return campaigns.filter((c): c is Campaign => c !== null);
}
