/**
 * The child processes the crash tests kill (test/ledger/crash-child.ts, test/content/child.ts,
 * test/retention/purge-child.ts) run as one bundled ES module each, made by esbuild from the same TypeScript, rather
 * than through tsx: the same code, started with about a third of the CPU (tsx's loader resolves and transforms every
 * source file at each start, and a crash test starts a child per kill). Packages stay imports, resolved from the
 * repository's node_modules (the bundle is written under .tmp/), as the sources resolve them.
 */
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/** Bundles `entry` (a .ts file) and returns the path of the .mjs to run with `node`. */
export async function bundleChild(entry: string): Promise<string> {
  const dir = join(ROOT, '.tmp', 'children');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${basename(entry, '.ts')}-${process.pid}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    packages: 'external',
    logLevel: 'warning',
  });
  return out;
}
