import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keptValues, keptVariables, README_API, readme, walkthroughBlocks, walkthroughScript } from '../support/readme-blocks.ts';
import { freePort, launch, mintToken, ROOT, START_TIMEOUT, stop, waitForHealth, type Launched } from '../support/runtime-process.ts';

// The README's walk-through, run as a reader runs it: every `sh` block pasted in order into
// bash, in a folder that looks like the checkout, against a fresh `npm start`. A README
// whose commands stop working fails here, not in a newcomer's terminal.

/** About 20 `npm run` starts and 40 requests; slow on a loaded 2-core machine. */
const SCRIPT_TIMEOUT = 240_000;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), SCRIPT_TIMEOUT - 10_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/**
 * A folder where `npm run` finds this project, so that the files the README saves (CSVs,
 * refused rows) land there and not in the checkout.
 */
function lookalikeCheckout(): string {
  const folder = mkdtempSync(join(tmpdir(), 'guanjia-readme-'));
  for (const entry of ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'node_modules', 'packages', 'test']) {
    symlinkSync(join(ROOT, entry), join(folder, entry));
  }
  return folder;
}

describe('the README walk-through', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'guanjia-readme-data-'));
  const workDir = lookalikeCheckout();
  const blocks = walkthroughBlocks(readme());
  let apiUrl: string;
  let runtime: Launched | undefined;
  let ran: Ran;

  beforeAll(async () => {
    const port = await freePort();
    apiUrl = `http://127.0.0.1:${port}`;
    runtime = launch(port, dataDir);
    await waitForHealth(apiUrl, runtime);
    ran = await bash(walkthroughScript(blocks, apiUrl), workDir, { ...process.env, DATA_DIR: dataDir });
  }, START_TIMEOUT + SCRIPT_TIMEOUT);

  afterAll(async () => {
    await stop(runtime, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }, 30_000);

  it('is written against the address npm start prints, and keeps its ids in variables', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const requests = blocks.join('\n').match(/\bcurl /g) ?? [];
    expect(requests.length).toBeGreaterThanOrEqual(20);
    expect(blocks.join('\n')).toContain(README_API);
    expect(blocks.join('\n')).not.toMatch(/<[a-z ]+id>/);
    expect(keptVariables(blocks)).toEqual(expect.arrayContaining(['ZHANG', 'WU', 'CONFLICT', 'CALLBACK', 'REPAIR', 'LEAK', 'ID']));
  });

  it('runs from the first block to the last, every request answered without a refusal', () => {
    const failedAt = ran.stderr.match(/### README block \d+(?![\s\S]*### README block)/)?.[0];
    expect(ran.code, `stopped in ${failedAt}:\n${ran.stderr.slice(-3000)}`).toBe(0);
    expect(ran.stderr).toContain(`### README block ${blocks.length}`);
  });

  it('keeps a real value in every variable it names', () => {
    const kept = keptValues(ran.stdout);
    for (const name of keptVariables(blocks)) {
      expect(kept.get(name), name).toMatch(/\S/);
      expect(kept.get(name), name).not.toMatch(/^(undefined|null)$/);
    }
  });

  it('leaves the records the README says it made', async () => {
    const kept = keptValues(ran.stdout);
    const admin = mintToken(dataDir, '--role', 'admin', '--sub', 'readme-check');
    const get = async (path: string) => {
      const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status, path).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    expect(await get(`/v1/customers/${kept.get('ZHANG')}`)).toMatchObject({ name: '张伟', ownerId: 'rep-li', stage: 'owner', intentLevel: 'H' });
    expect(await get(`/v1/customers/${kept.get('WU')}`)).toMatchObject({ stage: 'lost', lossRequest: null, openFollowUpId: null });
    const settled = (await get('/v1/conflicts?siteId=demo&status=resolved')) as { items: { id: string; decidedOwnerId: string }[] };
    expect(settled.items).toContainEqual(expect.objectContaining({ id: kept.get('CONFLICT'), decidedOwnerId: 'rep-li' }));
    expect(await get(`/v1/complaints/${encodeURIComponent(kept.get('REPAIR')!)}`)).toMatchObject({ callbackId: kept.get('CALLBACK'), category: 'repair' });
    expect(await get(`/v1/complaints/${kept.get('LEAK')}`)).toMatchObject({ status: 'responded', category: 'repair' });
    expect(await get(`/v1/imports/${kept.get('ID')}`)).toMatchObject({ import: { kind: 'deliveries', siteId: 'demo' } });
    // What the README told curl to save landed in the folder it ran in.
    expect(readdirSync(workDir)).toEqual(expect.arrayContaining(['refused.csv', expect.stringMatching(/^daily-activity-demo-.*\.csv$/)]));
  });
});
