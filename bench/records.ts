/**
 * Cost of the domain's record checks replayed by verify (`verifyRecords`: ids, references, state checks, the archive
 * lock, as of each record's position) against the ledger's own verify, on the same ledger in the same run.
 * Ledger: the penalty example plus CASES cases of one action and DOCS documents each (enf/document records with
 * their references), the documents interleaved round-robin across the cases. Run: npx tsx bench/records.ts [--quick] [--runs 3]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyRecords } from '../src/domain';
import { OFFICERS, T, casesLedger, officer } from './fixtures';
import { header, median, table, timeIt } from './util';

const quick = process.argv.includes('--quick');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 1 : 3;
const CASES = quick ? 10 : 50;
const DOCS = quick ? 100 : 400;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'el-bench-records-'));
  try {
    // Cases are opened first, then documents are recorded round-robin across them (as a busy agency's log interleaves
    // its cases), so no two consecutive records share a case.
    const er = await casesLedger(join(dir, 'l'), CASES);
    for (let d = 0; d < DOCS; d++)
      for (let c = 0; c < CASES; c++) {
        const caseId = `B-${c}`;
        await er.recordDocument(
          {
            documentId: `${caseId}-DOC-${d}`,
            caseId,
            actionId: `${caseId}-ACT`,
            type: 'INQUIRY_RECORD',
            officers: OFFICERS,
            startedAt: T + d * 60_000,
            signatures: { officers: true, party: 'signed' },
          },
          officer,
        );
      }
    const ledger = er.ledger;
    const size = ledger.size;
    const ledgerRates: number[] = [];
    const recordRates: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const v = await timeIt(() => ledger.verify());
      if (!v.value.ok) throw new Error('bench ledger does not verify');
      ledgerRates.push(size / (v.ms / 1000));
      const rv = await timeIt(() => verifyRecords(ledger));
      if (!rv.value.ok) throw new Error('bench ledger records do not verify');
      recordRates.push(rv.value.checked / (rv.ms / 1000));
    }
    const cmd = `npx tsx bench/records.ts${quick ? ' --quick' : ''}`;
    console.log(header(`Record checks replayed by verify (${size.toLocaleString()} entries)`, cmd));
    console.log(
      table(
        ['measure', `median of ${RUNS}`],
        [
          [
            'ledger.verify (bytes, signatures, chain, tree, roles, schemas, index), entries/s',
            median(ledgerRates).toFixed(0),
          ],
          ['verifyRecords (ids, references, state, archive lock), records/s', median(recordRates).toFixed(0)],
          [
            'ratio verifyRecords / ledger.verify (throughput)',
            (median(recordRates) / median(ledgerRates)).toFixed(2),
          ],
        ],
      ),
    );
    await ledger.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
