/**
 * An esbuild plugin for the tsup build (tsup.config.ts): replaces src/crypto/sm2-library.ts, which reads
 * sm-crypto-v2's UMD build from node_modules at run time, with a module that returns the file's text inlined at
 * build time. So the SM2 worker sources of the built package carry the library, and a host that bundles the package
 * into one file (test/workers/hosts.test.ts) still runs SM2 on workers. The build fails when the installed
 * sm-crypto-v2 is not the version package-lock.json pins (the text inlined must be the library the lock names).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { SM2_LIBRARY_FILE } from '../src/crypto/sm2-library';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'sm-crypto-v2';

/** The library's text, after checking the installed version against the lock file. */
export function pinnedSm2LibraryText(root = ROOT): string {
  const require = createRequire(join(root, 'package.json'));
  const installed = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/package.json`), 'utf8')).version;
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const pinned = lock.packages?.[`node_modules/${PACKAGE}`]?.version;
  if (installed !== pinned)
    throw new Error(`${PACKAGE} ${installed} is installed but package-lock.json pins ${pinned}: run npm ci`);
  return readFileSync(require.resolve(SM2_LIBRARY_FILE), 'utf8');
}

export function inlineSm2Library(): Plugin {
  return {
    name: 'inline-sm2-library',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]crypto[\\/]sm2-library\.ts$/ }, () => ({
        contents: [
          '// sm-crypto-v2/dist/index.umd.js, inlined at build time (scripts/inline-sm2-library.ts).',
          `export const SM2_LIBRARY_FILE = ${JSON.stringify(SM2_LIBRARY_FILE)};`,
          `const TEXT = ${JSON.stringify(pinnedSm2LibraryText())};`,
          'export function sm2LibraryText() { return TEXT; }',
        ].join('\n'),
        loader: 'ts',
      }));
    },
  };
}
