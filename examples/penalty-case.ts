/**
 * A full penalty case on a fresh ledger, its media and document scans in a content store, verified at the end.
 *   npx tsx examples/penalty-case.ts [dir] [--suite sm2-sm3]
 * The ledger goes to <dir>/ledger and the content store to <dir>/content. Without a directory, a temporary one is
 * used and removed afterwards. `--suite sm2-sm3` builds it on the 国密 suite (SM2 keys, SM3 hashes and digests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsContentStore, type SuiteId, verifyContent } from 'enforcement-ledger';
import { isSuiteId } from 'enforcement-ledger/crypto';
import { buildPenaltyCase } from 'enforcement-ledger/testing';

const args = process.argv.slice(2);
const at = args.indexOf('--suite');
const named: unknown = at < 0 ? 'ed25519-sha256' : args.splice(at, 2)[1];
if (!isSuiteId(named)) throw new Error(`--suite ${String(named)}: ed25519-sha256 or sm2-sm3`);
const suite: SuiteId = named;
const given = args[0];
const base = given ?? mkdtempSync(join(tmpdir(), 'penalty-case-'));
try {
  const store = await FsContentStore.open(join(base, 'content'), { suite });
  const r = await buildPenaltyCase(join(base, 'ledger'), {
    suite,
    putContent: (bytes) =>
      store.put(
        (async function* () {
          yield bytes;
        })(),
      ),
    keepOpen: true,
  });
  const er = r.records!;
  let files = 0;
  let intact = 0;
  for await (const e of er.ledger.entries())
    for (const ref of e.content) {
      files++;
      if ((await verifyContent(store, ref)).status === 'ok') intact++;
    }
  await er.ledger.close();
  console.log(`Penalty case ${r.caseId} (${suite}): ${r.size} entries in ${join(base, 'ledger')}`);
  for (const [kind, n] of Object.entries(r.counts).sort()) console.log(`  ${kind.padEnd(28)} ${n}`);
  console.log(`root ${r.rootHex}`);
  console.log(`content: ${intact}/${files} files intact`);
  console.log(
    r.verify.ok
      ? `verify: ok (${r.verify.size} entries)`
      : `verify: ${r.verify.problems.length} problem(s)\n${r.verify.problems.map((p) => `  seq ${p.seq} ${p.code}: ${p.message}`).join('\n')}`,
  );
  process.exitCode = r.verify.ok && intact === files ? 0 : 1;
} finally {
  if (!given) rmSync(base, { recursive: true, force: true });
}
