import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoLocal, type DynamoLocal } from '@guanjia/local/dynamo-local';

// DynamoDB Local answers anyone without authentication, and the runtime's holds every
// customer's phone: no other machine may reach it.

/** 'refused', or 'open' when something accepted the connection. */
function reach(host: string, port: number): Promise<'open' | 'refused'> {
  return new Promise((done, fail) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => (socket.destroy(), done('open')));
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? done('refused') : fail(error)));
    socket.once('timeout', () => (socket.destroy(), fail(new Error(`no answer from ${host}:${port}`))));
  });
}

const externalAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((address) => address && !address.internal && address.family === 'IPv4')
  .map((address) => address!.address);

describe('DynamoDB Local as the runtime starts it', () => {
  let dynamo: DynamoLocal;

  beforeAll(async () => {
    dynamo = await startDynamoLocal();
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('answers on the loopback address', async () => {
    expect(await reach('127.0.0.1', dynamo.port)).toBe('open');
  });

  it.skipIf(externalAddresses.length === 0)('refuses connections to every other address of the machine', async () => {
    for (const address of externalAddresses) expect(await reach(address, dynamo.port), address).toBe('refused');
  });

  it.skipIf(process.platform !== 'linux')('runs with its usage telemetry turned off', () => {
    const args = readFileSync(`/proc/${dynamo.pid}/cmdline`, 'utf8').split('\0');
    expect(args).toContain('-disableTelemetry');
  });
});
