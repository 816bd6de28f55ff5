import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { BUNDLING } from '../../infra/lambda.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The esbuild options `NodejsFunction` derives from the stack's `BUNDLING` (the flags
 * aws-cdk-lib's bundling passes to esbuild's command line, as the JS API spells them), so
 * that the peers are built exactly as the functions are, without a minute of `cdk synth`.
 * Built so, `functions/api.ts` comes out byte for byte as the API's asset of `cdk synth`
 * (compare the sha256 the suite prints with `index.mjs` of `npm run bench -- bundles`).
 * A flag added to BUNDLING stops the bench until it is passed on here too.
 */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  const known = new Set(['format', 'target', 'minify', 'mainFields', 'externalModules', 'metafile', 'banner']);
  const unknown = Object.keys(BUNDLING).filter((key) => !known.has(key));
  if (unknown.length) throw new Error(`BUNDLING sets ${unknown.join(', ')}, which the peers bench does not pass on to esbuild yet`);
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: BUNDLING.target,
    format: BUNDLING.format as BuildOptions['format'],
    outfile,
    minify: BUNDLING.minify ?? false,
    external: BUNDLING.externalModules ?? [],
    metafile: BUNDLING.metafile ?? false,
    ...(BUNDLING.banner ? { banner: { js: BUNDLING.banner } } : {}),
    ...(BUNDLING.mainFields ? { mainFields: BUNDLING.mainFields } : {}),
    logLevel: 'silent',
  };
}

export interface PeerBundle {
  name: string;
  /** The built `index.mjs`. */
  file: string;
  bytes: number;
  sha256: string;
  /** Bytes in the output by package (`zod`, `@aws-sdk/client-dynamodb`, `packages/api`), largest first. */
  packages: Array<[string, number]>;
}

const packageOf = (path: string): string => {
  const parts = path.split('/');
  if (parts[0] !== 'node_modules') return parts.slice(0, 2).join('/');
  return parts.slice(1, parts[1]?.startsWith('@') ? 3 : 2).join('/');
};

async function buildLambda(dir: string, name: string, entry: string): Promise<PeerBundle> {
  const file = join(dir, name, 'index.mjs');
  const result = await build(lambdaBuildOptions(entry, file));
  const bytes = await readFile(file);
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile?.outputs ?? {}))
    for (const [path, input] of Object.entries(output.inputs)) byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  if (result.metafile) await writeFile(join(dir, name, 'index.meta.json'), JSON.stringify(result.metafile));
  return {
    name,
    file,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    packages: [...byPackage].sort(([, a], [, b]) => b - a),
  };
}

/** A helper script of the bench as plain JavaScript for a bare `node`. */
async function buildScript(dir: string, entry: string, name: string): Promise<string> {
  const outfile = join(dir, name);
  await build({ absWorkingDir: ROOT, entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'silent' });
  return outfile;
}

export interface PeerBuild {
  dir: string;
  floor: PeerBundle;
  express: PeerBundle;
  guanjia: PeerBundle;
  /** The child process script (peers-child.ts) and the offline JWKS preload (peers-preload.ts). */
  child: string;
  preload: string;
  remove(): Promise<void>;
}

/** The three handlers, built as the stack builds its functions, and the bench's own scripts, in a new temporary folder. */
export async function buildPeers(): Promise<PeerBuild> {
  const dir = await mkdtemp(join(tmpdir(), 'guanjia-peers-'));
  try {
    // One at a time: esbuild runs on every core already.
    const floor = await buildLambda(dir, 'floor', 'test/bench/peers-floor.ts');
    const express = await buildLambda(dir, 'express', 'test/bench/peers-express.ts');
    const guanjia = await buildLambda(dir, 'guanjia', 'functions/api.ts');
    const child = await buildScript(dir, 'test/bench/peers-child.ts', 'child.mjs');
    const preload = await buildScript(dir, 'test/bench/peers-preload.ts', 'preload.mjs');
    return { dir, floor, express, guanjia, child, preload, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
