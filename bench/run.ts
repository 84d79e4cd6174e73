/**
 * Runs every bench in turn, each in its own process (so one's memory and JIT state do not colour another's), and
 * prints their markdown tables. `npm run bench` (full) or `npm run bench -- --quick` (smaller sizes).
 * Results worth keeping go to bench/RESULTS.md with the machine, date and command each table prints.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
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
let failed = 0;
for (const name of only.length ? only : all) {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  if (!existsSync(file)) continue;
  process.stdout.write(`\n<!-- bench/${name}.ts -->\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...flags], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`bench/${name}.ts exited with ${r.status}\n`);
  }
}
process.exit(failed ? 1 : 0);
