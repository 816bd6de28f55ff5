import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ComplaintNumberTakenError, type Complaint } from '@guanjia/core';
import { complaintNumberItem } from './items.ts';
import { complaintNumberKey } from './keys.ts';
import type { GuardedPut } from './transact.ts';

/** The claim on the complaint's number, written in the complaint's own transaction. */
export function complaintNumberClaim(complaint: Complaint): GuardedPut {
  return { Item: complaintNumberItem(complaint), ConditionExpression: 'attribute_not_exists(PK)', onConditionFailed: () => new ComplaintNumberTakenError(complaint.number) };
}

/** One GetItem on the claim: the complaint holding the number, or null. */
export async function findComplaintIdByNumber(doc: DynamoDBDocumentClient, tableName: string, number: string): Promise<string | null> {
  const out = await doc.send(new GetCommand({ TableName: tableName, Key: complaintNumberKey(number), ConsistentRead: true }));
  const complaintId = out.Item?.complaintId;
  return typeof complaintId === 'string' ? complaintId : null;
}
