import { defineConfig } from 'tsup';
import { buildInspectorPage } from './scripts/build-inspector-page';

export default defineConfig({
  entry: { index: 'src/index.ts', verify: 'src/verify.ts', cli: 'src/cli/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: { entry: { index: 'src/index.ts', verify: 'src/verify.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  // The inspector's page (dist/inspector.html), after the bundles: `clean` has emptied dist/ by then.
  onSuccess: async () => {
    await buildInspectorPage();
  },
});
