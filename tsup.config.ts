import { join } from 'node:path';
import { defineConfig } from 'tsup';
import { INSPECTOR_PAGE_FILE, buildInspectorPage } from './scripts/build-inspector-page';
import { inlineSm2Library } from './scripts/inline-sm2-library';

/** The public entry points (package.json "exports"): the main entry, the browser verifier and one per concern. */
const SUBPATHS = [
  'records',
  'compliance',
  'retention',
  'content',
  'bundles',
  'witness',
  'crypto',
  'proofs',
  'testing',
];
const ENTRIES: Record<string, string> = {
  index: 'src/index.ts',
  verify: 'src/verify.ts',
  ...Object.fromEntries(SUBPATHS.map((s) => [s, `src/entries/${s}.ts`])),
};

export default defineConfig((options) => ({
  entry: { ...ENTRIES, cli: 'src/cli/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: { entry: ENTRIES },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  // SM2 worker sources carry sm-crypto-v2's text, inlined here (src/crypto/sm2-library.ts reads it at run time).
  esbuildPlugins: [inlineSm2Library()],
  // The inspector's page beside the bundles (dist/inspector.html, or in `--out-dir`), after `clean` emptied it.
  onSuccess: async () => {
    await buildInspectorPage(join(options.outDir ?? 'dist', INSPECTOR_PAGE_FILE));
  },
}));
