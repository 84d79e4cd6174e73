/**
 * Proof bundle bench (issue 8): export and offline verification of a 200-record case bundle from a 1M-entry ledger.
 * Filler: appendBatch of 5,000 trivial entries; then one case (case record, 100 documents with scans, 99 electronic
 * data records), a checkpoint and one witness cosignature. Verification is timed with node:crypto (nodeSuite) and
 * with @noble (portableSuite, the browser path). Run: npx tsx bench/bundle.ts [--quick]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportBundle } from '../src/bundles/export';
import { verifyBundle } from '../src/bundles/verify';
import { utf8 } from '../src/bytes';
import { Witness } from '../src/checkpoint/witness';
import { nodeSuite } from '../src/crypto/node';
import { portableSuite } from '../src/crypto/portable';
import { createSigner } from '../src/crypto/signer';
import { contentRefOf } from '../src/domain/example-penalty-case';
import { EnforcementRecords } from '../src/domain/records';
import type { WitnessState } from '../src/checkpoint/witness';
import { witnessLedger } from '../src/witness/ledger';
import { header, median, table, timeIt } from './util';

const quick = process.argv.includes('--quick');
const FILL = quick ? 50_000 : 1_000_000;
const BATCH = 5_000;
const seed = (s: string) => new Uint8Array(createHash('sha256').update(`bench bundle ${s}`).digest());
const root = createSigner(seed('root'));
const [o1, o2, arch] = ['P-1', 'P-2', 'P-3'].map((p) => createSigner(seed(p))) as [
  ReturnType<typeof createSigner>,
  ReturnType<typeof createSigner>,
  ReturnType<typeof createSigner>,
];
const wSigner = createSigner(seed('witness'));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'el-bench-bundle-'));
  let t = Date.UTC(2026, 2, 2, 1);
  const clock = () => t;
  try {
    const er = await EnforcementRecords.create(dir, {
      origin: 'bench.example/bundle',
      signer: root,
      clock,
      sync: false,
    });
    const ledger = er.ledger;
    const agencyId = 'AG-1';
    await er.registerAgency({ agencyId, name: '晋城市卫生健康委员会', region: '140500' }, root);
    await er.registerOfficer(
      { personId: 'P-1', name: '王军', roles: ['officer'], agencyId, certificateNo: '1' },
      o1.publicKey,
      root,
    );
    await er.registerOfficer(
      { personId: 'P-2', name: '李娜', roles: ['officer'], agencyId, certificateNo: '2' },
      o2.publicKey,
      root,
    );
    await er.registerOfficer(
      { personId: 'P-3', name: '孙档案', roles: ['archivist'], agencyId },
      arch.publicKey,
      root,
    );
    await ledger.declareKinds([{ kind: 'bench/filler', roles: ['officer'] }], root);

    const fill = await timeIt(async () => {
      for (let i = 0; i < FILL; i += BATCH) {
        const n = Math.min(BATCH, FILL - i);
        await ledger.appendBatch(
          Array.from({ length: n }, (_, j) => ({ kind: 'bench/filler', body: { n: i + j } })),
          o1,
        );
        t += 1000;
      }
    });

    const caseId = 'JC-2026-BENCH-0001';
    t += 60_000;
    await er.openCase(
      {
        caseId,
        agencyId,
        matterType: 'penalty',
        documentNumber: '晋市卫罚〔2026〕99号',
        title: '基准测试案件',
        target: { name: '某某诊所', kind: 'organisation', idNumber: '92140500MA0XXXXX1K' },
        openedAt: t,
        officers: ['P-1', 'P-2'],
      },
      o1,
    );
    for (let i = 1; i <= 100; i++) {
      t += 60_000;
      const docId = `DOC-${i}`;
      await er.recordDocument(
        {
          documentId: docId,
          caseId,
          type: '合议记录',
          officers: ['P-1', 'P-2'],
          startedAt: t - 30_000,
          endedAt: t,
          signatures: { officers: true, party: 'not_applicable' },
          files: [{ mediaType: 'application/pdf' }],
        },
        o1,
        [contentRefOf(utf8(`scan ${i}`), nodeSuite.hash)],
      );
      if (i < 100)
        await er.recordData(
          {
            dataId: `DATA-${i}`,
            caseId,
            documentId: docId,
            system: '执法平台',
            recordedAt: t,
            fields: { n: String(i) },
          },
          o1,
        );
    }
    await ledger.checkpoint();
    const store = new Map<string, WitnessState>();
    const witness = new Witness({
      name: 'witness.bench',
      signer: wSigner,
      suite: nodeSuite,
      store: { get: async (o) => store.get(o), set: async (o, s) => void store.set(o, s) },
    });
    const logKeys = [
      { name: ledger.manifest.checkpointKey.name, publicKey: ledger.manifest.checkpointKey.publicKey },
    ];
    await witnessLedger(ledger, {
      witness: { name: 'witness.bench', publicKey: wSigner.publicKey },
      client: (req) => witness.addCheckpoint(req, logKeys, 1_772_000_000),
      signer: root,
    });
    const size = ledger.size;
    const exp = await timeIt(() =>
      exportBundle(ledger, { exporter: arch, caseIds: [caseId], clock: () => t }),
    );
    const bytes = exp.value;
    const policy = { witnesses: [{ name: 'witness.bench', publicKey: wSigner.publicKey }], quorum: 1 };
    const first = verifyBundle(bytes, { witnesses: policy, suite: nodeSuite });
    if (!first.ok) throw new Error(`bundle does not verify: ${JSON.stringify(first.problems.slice(0, 3))}`);
    const records = first.cases[0] ? (await er.caseRecords(caseId)).length : 0;
    const runs = (suite: typeof nodeSuite, n: number) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        verifyBundle(bytes, { witnesses: policy, suite });
        ms.push(performance.now() - s);
      }
      return median(ms);
    };
    runs(nodeSuite, 3); // warm-up
    const nodeMs = runs(nodeSuite, 20);
    const nobleMs = runs(portableSuite, 5);
    await ledger.close();

    console.log(header('Proof bundle: 200-record case from a 1M-entry ledger', 'npx tsx bench/bundle.ts'));
    console.log(
      table(
        ['measure', 'value'],
        [
          ['ledger size (entries)', size],
          [
            'fill (appendBatch 5,000, sync off)',
            `${(fill.ms / 1000).toFixed(1)} s (${Math.round(FILL / (fill.ms / 1000))} entries/s)`,
          ],
          ['case records in bundle', records],
          ['entries in bundle (with keys, kinds, manifest)', first.entries],
          ['bundle size', `${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KiB)`],
          ['export (exportBundle)', `${exp.ms.toFixed(1)} ms`],
          ['verifyBundle, nodeSuite (median of 20)', `${nodeMs.toFixed(1)} ms`],
          ['verifyBundle, portableSuite / @noble (median of 5)', `${nobleMs.toFixed(1)} ms`],
        ],
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
