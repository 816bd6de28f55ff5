import { afterEach, beforeEach, inject } from 'vitest';
import { COUNTS_PATH, SCAN_TARGET } from './dynamo-proxy.ts';

// One small local GET before and after each test: the proxy counts, the guard only compares.
const countsUrl = `${inject('dynamoEndpoint')}${COUNTS_PATH}`;
let scansBefore = 0;

async function scanCount(): Promise<number> {
  // A fresh connection each time: a test that blocks the event loop (a synchronous child
  // process) can outlast the proxy's keep-alive, and a pooled socket would then be dead.
  const response = await fetch(countsUrl, { headers: { connection: 'close' } });
  if (!response.ok) throw new Error(`scan guard could not read ${COUNTS_PATH}: HTTP ${response.status}`);
  const counts = (await response.json()) as Record<string, number>;
  return counts[SCAN_TARGET] ?? 0;
}

beforeEach(async () => {
  scansBefore = await scanCount();
});

afterEach(async () => {
  const scans = (await scanCount()) - scansBefore;
  // Test files run in parallel against one proxy, so a Scan may be another file's; either way there is one.
  if (scans > 0) throw new Error(`a Scan reached DynamoDB during this test (${scans}); Guanjia reads by GetItem or Query only`);
});
