import type { AttributeValue as SdkValue, _Record as SdkRecord } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';

type Image = Record<string, AttributeValue>;

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * The SDK decodes the wire JSON into its own types (bytes, dates); Lambda hands the handler
 * the JSON itself. Undoing the decoding keeps the local event byte for byte what AWS sends.
 */
export function toLambdaValue(value: SdkValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  // The SDK decodes an empty map, `{"M":{}}`, to a bare `{}` with no member set.
  if (value.$unknown === undefined) return { M: {} };
  // A type newer than this SDK: pass it through as it came, as Lambda would.
  const [name, raw] = value.$unknown;
  return { [name]: raw } as unknown as AttributeValue;
}

export function toLambdaImage(image: Record<string, SdkValue>): Image {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
}

/** One GetRecords record as Lambda's DynamoDB event source delivers it; absent fields stay absent. */
export function toLambdaRecord(record: SdkRecord, eventSourceARN: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {};
  if (change.ApproximateCreationDateTime) dynamodb.ApproximateCreationDateTime = Math.floor(change.ApproximateCreationDateTime.getTime() / 1000);
  if (change.Keys) dynamodb.Keys = toLambdaImage(change.Keys);
  if (change.NewImage) dynamodb.NewImage = toLambdaImage(change.NewImage);
  if (change.OldImage) dynamodb.OldImage = toLambdaImage(change.OldImage);
  if (change.SequenceNumber !== undefined) dynamodb.SequenceNumber = change.SequenceNumber;
  if (change.SizeBytes !== undefined) dynamodb.SizeBytes = change.SizeBytes;
  if (change.StreamViewType !== undefined) dynamodb.StreamViewType = change.StreamViewType;

  const out: DynamoDBRecord = {};
  if (record.eventID !== undefined) out.eventID = record.eventID;
  if (record.eventName !== undefined) out.eventName = record.eventName;
  if (record.eventVersion !== undefined) out.eventVersion = record.eventVersion;
  if (record.eventSource !== undefined) out.eventSource = record.eventSource;
  if (record.awsRegion !== undefined) out.awsRegion = record.awsRegion;
  out.dynamodb = dynamodb;
  out.eventSourceARN = eventSourceARN;
  // TTL deletions carry the service as their author; Lambda spells the fields in lower camel case.
  if (record.userIdentity) out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return out;
}
