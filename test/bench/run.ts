// Read when the first SDK client is built (at run time, after every import has loaded).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { cpus, loadavg } from 'node:os';
import { startDynamoLocal } from '@guanjia/local/dynamo-local';
import { startDynamoProxy } from '../support/dynamo-proxy.ts';
import type { SuiteResult, Suite } from './harness.ts';
import { bundlesSuite } from './bundles.ts';
import { callbacksSuite } from './callbacks.ts';
import { complaintsSuite } from './complaints.ts';
import { designersSuite } from './designers.ts';
import { importsSuite } from './imports.ts';
import { intakeSuite } from './intake.ts';
import { peersSuite } from './peers.ts';
import { reportsSuite } from './reports.ts';
import { header, renderSuite, writeJson, type RunInfo } from './report.ts';

/** Later suites (jobs, complaints, bundles) are one import and one entry here. */
const SUITES: Suite[] = [bundlesSuite, intakeSuite, complaintsSuite, callbacksSuite, importsSuite, reportsSuite, designersSuite, peersSuite];

// `npm run bench -- intake` runs the named suites only.
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SUITES.some((s) => s.name === name));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${SUITES.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const chosen = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;

// process.exit runs the 'exit' hook of startDynamoLocal, which takes Java down with us.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const info: RunInfo = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
  loadAvg: loadavg(),
  database: 'DynamoDB Local, in memory, on this machine (same host as the API)',
};
console.log(header(info));

const started = Date.now();
const results: SuiteResult[] = [];
// A DynamoDB Local of its own for each suite: what one suite leaves behind (the callbacks
// suite writes 110,000 items and their stream records) slowed every suite after it.
async function runSuite(suite: Suite): Promise<SuiteResult> {
  if (suite.standalone) return suite.run();
  const dynamo = await startDynamoLocal();
  try {
    const proxy = await startDynamoProxy(dynamo.endpoint);
    try {
      return await suite.run({ dynamoEndpoint: dynamo.endpoint, proxy });
    } finally {
      await proxy.close();
    }
  } finally {
    await dynamo.stop();
  }
}

for (const suite of chosen) {
  const result = await runSuite(suite);
  results.push(result);
  console.log(`\n${renderSuite(result)}`);
}
const json = writeJson(info, results);
console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s${json ? `; JSON in ${json}` : ''}`);
