import { defineConfig } from 'tsup';

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
});
