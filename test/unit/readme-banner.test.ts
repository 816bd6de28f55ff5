import { resolve } from 'node:path';
import type { Runtime } from '@guanjia/local/runtime';
import { banner } from '@guanjia/local/banner';
import { DEMO_STAFF } from '@guanjia/local/seed';
import { describe, expect, it } from 'vitest';
import { README_API, readme } from '../support/readme-blocks.ts';

// The README shows what `npm start` prints; a banner changed without the README would leave
// a newcomer comparing their screen with something else.

describe("the README's copy of the start banner", () => {
  it('holds every line npm start prints once it is up on the default port and data folder', () => {
    const shown = readme().replace(/<your checkout>\/\.data/g, resolve('.data'));
    const printed = banner({
      apiUrl: README_API,
      docsUrl: `${README_API}/docs`,
      openApiUrl: `${README_API}/openapi.json`,
      dataDir: resolve('.data'),
    } as Runtime);
    const lines = printed.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(15);
    for (const line of lines) expect(shown, line).toContain(line);
  });

  it("offers a token command for every role of the demo's staff, the designer's included", () => {
    const printed = banner({ apiUrl: README_API, docsUrl: '', openApiUrl: '', dataDir: resolve('.data') } as Runtime);
    for (const role of new Set(DEMO_STAFF.map((staff) => staff.role)))
      expect(printed, role).toMatch(new RegExp(`npm run -s token -- --role ${role} --sub \\S+ --sites demo`));
  });
});
