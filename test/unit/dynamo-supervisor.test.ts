import { describe, expect, it } from 'vitest';
import type { DynamoExit, DynamoLocal, DynamoLocalOptions } from '@guanjia/local/dynamo-local';
import { type DynamoGaveUpError, superviseDynamoLocal } from '@guanjia/local/dynamo-supervisor';

/** Stand-ins for the JVM: each start is recorded, and the test says when one dies. */
function fakeJvms(failStartsFrom = Infinity) {
  const started: { options: DynamoLocalOptions; die(exit?: DynamoExit): void; stopped: boolean }[] = [];
  const start = async (options: DynamoLocalOptions): Promise<DynamoLocal> => {
    if (started.length >= failStartsFrom) throw new Error('Could not start server on port 8123: Address already in use');
    let die: (exit: DynamoExit) => void = () => {};
    const exited = new Promise<DynamoExit>((done) => (die = done));
    const record = { options, die: (exit: DynamoExit = { code: null, signal: 'SIGKILL' }) => die(exit), stopped: false };
    started.push(record);
    const port = options.port || 8123;
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      pid: 1000 + started.length,
      exited,
      stop: async () => void ((record.stopped = true), die({ code: 143, signal: null })),
    };
  };
  return { started, start };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('DynamoDB Local under the runtime', () => {
  it('is started again on the same port and database folder when it dies', async () => {
    const jvms = fakeJvms();
    const lines: string[] = [];
    const dynamo = await superviseDynamoLocal({ dbPath: '/data/dynamodb', sharedDb: true }, { start: jvms.start, log: (line) => lines.push(line) });
    jvms.started[0]!.die();
    await settle();
    expect(jvms.started).toHaveLength(2);
    expect(jvms.started[1]!.options).toEqual({ dbPath: '/data/dynamodb', sharedDb: true, port: 8123 });
    expect(lines[0]).toBe('DynamoDB Local stopped unexpectedly (killed by SIGKILL); restarting it on port 8123...');
    await dynamo.stop();
    expect(jvms.started[1]!.stopped).toBe(true);
  });

  it('gives up, saying why, when it dies a third time within a minute', async () => {
    const jvms = fakeJvms();
    let now = 0;
    const dynamo = await superviseDynamoLocal({}, { start: jvms.start, now: () => now });
    let gaveUp: DynamoGaveUpError | undefined;
    void dynamo.gaveUp.then((error) => (gaveUp = error));
    for (const at of [0, 20_000, 59_000]) {
      now = at;
      jvms.started.at(-1)!.die({ code: 1, signal: null });
      await settle();
    }
    expect(jvms.started).toHaveLength(3);
    expect(gaveUp?.message).toBe('DynamoDB Local died 3 times within 60 s (last: exit code 1); not restarting it again');
  });

  it('keeps restarting when the deaths are more than a minute apart', async () => {
    const jvms = fakeJvms();
    let now = 0;
    const dynamo = await superviseDynamoLocal({}, { start: jvms.start, now: () => now });
    for (const at of [0, 40_000, 80_000, 120_000]) {
      now = at;
      jvms.started.at(-1)!.die();
      await settle();
    }
    expect(jvms.started).toHaveLength(5);
    await dynamo.stop();
  });

  it('gives up when it cannot be started again', async () => {
    const jvms = fakeJvms(1);
    const dynamo = await superviseDynamoLocal({}, { start: jvms.start });
    jvms.started[0]!.die();
    expect((await dynamo.gaveUp).message).toMatch(
      /^DynamoDB Local died \(killed by SIGKILL\) and could not be started again: Could not start server on port 8123/,
    );
  });

  it('does not restart what stop() took down', async () => {
    const jvms = fakeJvms();
    const dynamo = await superviseDynamoLocal({}, { start: jvms.start });
    await dynamo.stop();
    await settle();
    expect(jvms.started).toHaveLength(1);
  });
});
