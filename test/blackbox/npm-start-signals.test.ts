import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, descendantsOf, freePort, javaOf, launchNpmStart, START_TIMEOUT, stop, waitForHealth, type Launched } from '../support/runtime-process.ts';

// systemd, Docker and most supervisors stop a service with SIGTERM to its main process,
// which for `npm start` is npm. Everything npm started must go with it.

describe('npm start under a supervisor', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-sigterm-'));
  let runtime: Launched | undefined;
  let started: number[] = [];

  afterAll(async () => {
    await stop(runtime, dataDir);
    // A failing run must not leave a node or a JVM behind for the next test file.
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it(
    'stops everything it started on SIGTERM to npm, within 10 s, and starts again on the same data folder',
    async () => {
      const port = await freePort();
      const apiUrl = `http://127.0.0.1:${port}`;
      runtime = launchNpmStart(port, dataDir);
      await waitForHealth(apiUrl, runtime);
      started = descendantsOf(runtime.child.pid!);
      expect(javaOf(dataDir)).toHaveLength(1);

      const signalled = Date.now();
      runtime.child.kill('SIGTERM');
      await runtime.exited;
      // What npm started may outlive npm by a moment; it has the rest of the 10 s to go.
      while (started.some(alive) && Date.now() - signalled < 10_000) await new Promise((r) => setTimeout(r, 100));
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(started.filter(alive)).toEqual([]);
      expect(javaOf(dataDir)).toEqual([]);

      runtime = launchNpmStart(port, dataDir);
      await waitForHealth(apiUrl, runtime);
      expect(runtime.stderr()).not.toContain('in use');
      started = descendantsOf(runtime.child.pid!);
    },
    2 * START_TIMEOUT + 20_000,
  );
});
