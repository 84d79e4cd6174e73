/**
 * Runs every bench in turn, each in its own process (so one's memory and JIT state do not colour another's), and
 * prints their markdown tables. `npm run bench` (full) or `npm run bench -- --quick` (smaller sizes); name benches to
 * run only those (`npm run bench -- append --quick --runs=3`).
 *
 * Each bench is first bundled by esbuild into .tmp/bench-build/<name>.mjs the way tsup builds dist/ (no `keepNames`)
 * and run by plain node, so that it measures the code an embedder runs. Run under tsx (`npx tsx bench/<name>.ts`, or
 * `--tsx` here), the sources pay for tsx's `keepNames`: every named function or closure made at run time also costs
 * a call that defines its `name`, a few µs per group commit on the append path. The table's header says which.
 * Results worth keeping go to bench/RESULTS.md with the machine, date and command each table prints.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const underTsx = args.includes('--tsx');
const flags = args.filter((a) => a.startsWith('--') && a !== '--tsx');
const all = [
  'crypto',
  'encoding',
  'ledger',
  'append',
  'verify',
  'content',
  'bundle',
  'records',
  'postgres',
  'gm',
];
const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.tmp', 'bench-build');

/** Bundles bench/<name>.ts with our sources into one module (packages stay imports), as tsup builds dist/. */
async function bundle(file: string, name: string): Promise<string> {
  await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: join(out, `${name}.mjs`),
    sourcemap: true,
    logLevel: 'warning',
  });
  return join(out, `${name}.mjs`);
}

let failed = 0;
for (const name of only.length ? only : all) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  if (!existsSync(file)) {
    if (only.length) {
      failed++;
      process.stderr.write(`bench/${name}.ts: no such bench\n`);
    }
    continue;
  }
  process.stdout.write(`\n<!-- bench/${name}.ts -->\n`);
  const argv = underTsx
    ? ['--import', 'tsx', file, ...flags]
    : ['--enable-source-maps', await bundle(file, name), ...flags];
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench/${name}.ts exited with ${r.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
