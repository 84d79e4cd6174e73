import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds and packs the package once per run (test/setup/build.ts), then the inspector's page for tests that
    // run the CLI from source.
    globalSetup: ['test/setup/build.ts', 'test/setup/inspector-page.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
