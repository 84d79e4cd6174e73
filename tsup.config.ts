import { join } from 'node:path';
import { defineConfig } from 'tsup';
import { INSPECTOR_PAGE_FILE, buildInspectorPage } from './scripts/build-inspector-page';

export default defineConfig((options) => ({
  entry: { index: 'src/index.ts', verify: 'src/verify.ts', cli: 'src/cli/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: { entry: { index: 'src/index.ts', verify: 'src/verify.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  // The inspector's page beside the bundles (dist/inspector.html, or in `--out-dir`), after `clean` emptied it.
  onSuccess: async () => {
    await buildInspectorPage(join(options.outDir ?? 'dist', INSPECTOR_PAGE_FILE));
  },
}));
