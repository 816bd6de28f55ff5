import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RUNTIME_INFO_FILE = 'runtime.json';

/** What a running runtime tells other local tools (the job CLI) about itself. */
export interface RuntimeInfo {
  pid: number;
  dynamoEndpoint: string;
  tableName: string;
}

export function writeRuntimeInfo(dataDir: string, info: RuntimeInfo): () => void {
  const file = join(dataDir, RUNTIME_INFO_FILE);
  writeFileSync(file, `${JSON.stringify(info)}\n`);
  return () => rmSync(file, { force: true });
}

/** The runtime on this data folder, if one is running; a file left by a dead process does not count. */
export function readRuntimeInfo(dataDir: string): RuntimeInfo | null {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, RUNTIME_INFO_FILE), 'utf8')) as RuntimeInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return null;
  }
}
