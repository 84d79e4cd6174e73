import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds and packs the package once per run (test/setup/build.ts); the build makes dist/inspector.html too.
    // PostgreSQL (test/setup/postgres.ts): one throwaway cluster per run, started by the first test file needing it.
    globalSetup: ['test/setup/build.ts', 'test/setup/postgres.ts'],
    // Generous, and the only timeouts: tests spawn real processes (the CLI, crash children, chromium, hosts), which
    // on a busy machine take many times their idle duration. No test sets its own shorter limit.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
