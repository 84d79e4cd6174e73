/**
 * A full penalty case on a fresh ledger, verified at the end.
 *   npx tsx examples/penalty-case.ts [ledger-dir]
 * Without a directory, a temporary one is used and removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPenaltyCase } from '../src/domain';

const given = process.argv[2];
const base = given ?? mkdtempSync(join(tmpdir(), 'penalty-case-'));
const dir = given ?? join(base, 'ledger');
try {
  const r = await buildPenaltyCase(dir);
  console.log(`Penalty case ${r.caseId}: ${r.size} entries in ${dir}`);
  for (const [kind, n] of Object.entries(r.counts).sort()) console.log(`  ${kind.padEnd(32)} ${n}`);
  console.log(`root ${r.rootHex}`);
  console.log(
    r.verify.ok
      ? `verify: ok (${r.verify.size} entries)`
      : `verify: ${r.verify.problems.length} problem(s)\n${r.verify.problems.map((p) => `  seq ${p.seq} ${p.code}: ${p.message}`).join('\n')}`,
  );
  process.exitCode = r.verify.ok ? 0 : 1;
} finally {
  if (!given) rmSync(base, { recursive: true, force: true });
}
