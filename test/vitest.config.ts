import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The SDK's notice that it will want Node 22 next year says nothing about the code under
// test; set here so that the main process (global setup) and every worker inherit it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  // The config lives in test/ to keep the top level to its fixed shape; paths stay root-relative.
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    // Creating a table and starting DynamoDB Local take seconds on a cold JVM.
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'app',
          include: ['test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
          exclude: ['test/infra/**'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/scan-guard.ts'],
        },
      },
      {
        extends: true,
        // The CDK assertions only read synthesised templates: one worker loads aws-cdk-lib
        // once for all of them, instead of once per file.
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false, maxWorkers: 1 },
      },
    ],
  },
});
