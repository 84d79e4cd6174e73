import { availableParallelism } from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files that take longest (measured: the per-file durations of a full run's JSON report), longest first. They
 * start first, so that no long file is left running alone at the end while the other worker is idle.
 */
const LONGEST_FIRST = [
  'test/bundles/tamper.test.ts',
  'test/ledger/tamper.test.ts',
  'test/ledger/crash.test.ts',
  'test/workers/hosts.test.ts',
  'test/cli/walkthrough.test.ts',
  'test/cli/verify-damage.test.ts',
  'test/cli/bad-input.test.ts',
  'test/merkle/rfc9162-proofs.test.ts',
  'test/package.test.ts',
  'test/cli/progress.test.ts',
  'test/cli/words.test.ts',
  'test/content/crash.test.ts',
  'test/examples.test.ts',
  'test/browser/inspector-page.test.ts',
];

/** Vitest's order (previous failures first, then by recorded duration or size), with the longest files in front. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

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
    // Vitest's default is one worker less than the cores: one file at a time on a 2-core CI machine, while much of
    // the suite waits on child processes, fsync and timers. Two files at once (at least) use both cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LongestFirst },
  },
});
