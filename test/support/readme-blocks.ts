import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './runtime-process.ts';

/** The address the README's commands are written for: `npm start`'s default. */
export const README_API = 'http://127.0.0.1:3000';

/** The README's walk-through: from the first walk through up to the configuration. */
const FIRST = '\n## A first walk through\n';
const LAST = '\n## Configuration\n';

export function readme(): string {
  return readFileSync(join(ROOT, 'README.md'), 'utf8');
}

/** Every `sh` block of the walk-through, in order, as a reader would paste them. */
export function walkthroughBlocks(text: string): string[] {
  const start = text.indexOf(FIRST);
  const end = text.indexOf(LAST);
  if (start < 0 || end < start) throw new Error(`README.md has lost its "${FIRST.trim()}" or "${LAST.trim()}" heading`);
  return [...text.slice(start, end).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

/** The variables the README keeps answers in (`ZHANG=$(curl … | keep customer.id)`). */
export function keptVariables(blocks: string[]): string[] {
  const names = blocks.flatMap((block) => [...block.matchAll(/^([A-Z][A-Z0-9_]*)=\$\(/gm)].map((m) => m[1]!));
  return [...new Set(names)];
}

/**
 * One bash script of the blocks, against `apiUrl`: any command that fails stops it, and a
 * refused request is a failed curl, so every request the README shows must succeed. It ends
 * by printing each kept variable as `KEPT NAME=value`.
 */
export function walkthroughScript(blocks: string[], apiUrl: string): string {
  const kept = keptVariables(blocks);
  return [
    'set -euo pipefail',
    // --fail-with-body: a 4xx or 5xx is an error exit, and its problem+json is still shown.
    'curl() { command curl --fail-with-body --show-error "$@"; }',
    ...blocks.map((block, i) => `echo '### README block ${i + 1}' >&2\n${block.replaceAll(README_API, apiUrl)}`),
    // curl's last answer ends without a newline: the first KEPT line must not be glued to it.
    'echo',
    ...kept.map((name) => `printf 'KEPT %s=%s\\n' ${name} "$${name}"`),
  ].join('\n');
}

/** `KEPT NAME=value` lines back into a map. */
export function keptValues(stdout: string): Map<string, string> {
  return new Map([...stdout.matchAll(/^KEPT ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}
