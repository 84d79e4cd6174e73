/**
 * Ledger core bench (issue 3): durable appends (batched, sequential, 64 concurrent), full verify, proofs and open
 * at 1M entries, bytes per entry; hypercore on the same records in the same run.
 * Run: npx tsx bench/ledger.ts [--quick] [--runs 3]
 */
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Hypercore from 'hypercore';
import { createPooledSigner } from '../src/crypto/pool-signer';
import { createSigner } from '../src/crypto/signer';
import { Ledger } from '../src/ledger';
import type { KindDefinition } from '../src/ledger/types';
import { recordBody } from './fixtures';
import { header, median, table, timeIt } from './util';

const quick = process.argv.includes('--quick');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : quick ? 1 : 3;
const N = quick ? 10_000 : 100_000;
const BIG = quick ? 50_000 : 1_000_000;

const seed = (i: number) => new Uint8Array(createHash('sha256').update(`bench key ${i}`).digest());
const root = createSigner(seed(0));
const officer = createSigner(seed(1));
const kind: KindDefinition = { kind: 'bench/record', roles: ['officer'] };

const body = recordBody;

function tmp(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'el-bench-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function fresh(dir: string) {
  const l = await Ledger.create(join(dir, 'l'), {
    origin: 'bench.example/ledger',
    signer: root,
    kinds: [kind],
  });
  await l.registerKey({ publicKey: officer.publicKey, principal: 'officer-0001', roles: ['officer'] }, root);
  return l;
}

async function fill(l: Ledger, n: number, batch = 1000) {
  for (let i = 0; i < n; i += batch) {
    const inputs = [];
    for (let j = i; j < Math.min(n, i + batch); j++) inputs.push({ kind: 'bench/record', body: body(j) });
    await l.appendBatch(inputs, officer);
  }
}

async function main() {
  const cmd = `npx tsx bench/ledger.ts${quick ? ' --quick' : ''}`;
  const rows: Array<Array<string | number>> = [];
  const rec = (name: string, ours: number[], theirs: number[] | undefined, unit: string, target: string) => {
    const o = median(ours);
    const h = theirs ? median(theirs) : undefined;
    rows.push([
      name,
      `${o.toFixed(unit === 'ms' ? 3 : 0)} ${unit}`,
      h === undefined ? '—' : `${h.toFixed(0)} ${unit}`,
      h === undefined ? '—' : (o / h).toFixed(2),
      target,
    ]);
  };
  const recBytes = JSON.stringify(body(1)).length;

  // Batched durable append.
  const batched: number[] = [];
  const hcBatched: number[] = [];
  const seqDurable: number[] = [];
  const hcSeq: number[] = [];
  const conc: number[] = [];
  const verifyRates: number[] = [];
  const pooledBatched: number[] = [];
  const rawSync: number[] = [];
  let bytesPerEntry = 0;
  for (let r = 0; r < RUNS; r++) {
    {
      const t = tmp();
      const l = await fresh(t.dir);
      const { ms } = await timeIt(() => fill(l, N));
      batched.push(N / (ms / 1000));
      const v = await timeIt(() => l.verify());
      if (!v.value.ok) throw new Error('bench ledger does not verify');
      verifyRates.push(l.size / (v.ms / 1000));
      await l.close();
      const db = new (await import('classic-level')).ClassicLevel(join(t.dir, 'l'));
      await db.open();
      await db.compactRange('\u0000', '\u00ff');
      await db.close();
      bytesPerEntry =
        Number(
          execSync(`du -sb ${join(t.dir, 'l')}`)
            .toString()
            .split('\t')[0],
        ) /
        (N + 3);
      t.done();
    }
    {
      // The same batched append with signatures spread over worker threads (createPooledSigner).
      const t = tmp();
      const l = await fresh(t.dir);
      const pooled = createPooledSigner(seed(1));
      const M = Math.min(N, 30_000);
      const { ms } = await timeIt(async () => {
        for (let i = 0; i < M; i += 1000) {
          const inputs = [];
          for (let j = i; j < Math.min(M, i + 1000); j++)
            inputs.push({ kind: 'bench/record', body: body(j) });
          await l.appendBatch(inputs, pooled);
        }
      });
      pooledBatched.push(M / (ms / 1000));
      await pooled.close();
      await l.close();
      t.done();
    }
    {
      // The floor under a durable append: one bare LevelDB batch (entry-sized value + a node) with sync, awaited.
      const t = tmp();
      const { ClassicLevel } = await import('classic-level');
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(t.dir, 'raw'), {
        keyEncoding: 'view',
        valueEncoding: 'view',
      });
      await db.open();
      const v = new Uint8Array(450);
      const S = quick ? 500 : 3000;
      const { ms } = await timeIt(async () => {
        for (let i = 0; i < S; i++)
          await db.batch(
            [
              { type: 'put', key: Uint8Array.of(1, i >> 8, i & 255), value: v },
              { type: 'put', key: Uint8Array.of(2, i >> 8, i & 255), value: v.subarray(0, 32) },
            ],
            { sync: true } as never,
          );
      });
      rawSync.push(S / (ms / 1000));
      await db.close();
      t.done();
    }
    {
      const t = tmp();
      const core = new Hypercore(join(t.dir, 'hc'));
      await core.ready();
      const { ms } = await timeIt(async () => {
        for (let i = 0; i < N; i += 1000) {
          const blocks = [];
          for (let j = i; j < Math.min(N, i + 1000); j++) blocks.push(Buffer.from(JSON.stringify(body(j))));
          await core.append(blocks);
        }
      });
      hcBatched.push(N / (ms / 1000));
      const S = quick ? 500 : 3000;
      const s = await timeIt(async () => {
        for (let i = 0; i < S; i++) await core.append(Buffer.from(JSON.stringify(body(i))));
      });
      hcSeq.push(S / (s.ms / 1000));
      await core.close();
      t.done();
    }
    {
      const t = tmp();
      const l = await fresh(t.dir);
      const S = quick ? 500 : 3000;
      const { ms } = await timeIt(async () => {
        for (let i = 0; i < S; i++) await l.append({ kind: 'bench/record', body: body(i) }, officer);
      });
      seqDurable.push(S / (ms / 1000));
      const C = quick ? 5000 : 20_000;
      let next = 0;
      const c = await timeIt(() =>
        Promise.all(
          Array.from({ length: 64 }, async () => {
            while (next < C) {
              const i = next++;
              await l.append({ kind: 'bench/record', body: body(i) }, officer);
            }
          }),
        ),
      );
      conc.push(C / (c.ms / 1000));
      await l.close();
      t.done();
    }
  }
  rec(
    `batched durable append (1,000/batch, ${N.toLocaleString()} entries)`,
    batched,
    hcBatched,
    'entries/s',
    '≥ 20k/s',
  );
  rec(
    'batched durable append, pooled signer (worker threads)',
    pooledBatched,
    hcBatched,
    'entries/s',
    '≥ 20k/s',
  );
  rec('sequential awaited durable append', seqDurable, hcSeq, 'entries/s', '≥ 2.5k/s');
  rec('  floor: bare LevelDB batch with sync, awaited', rawSync, undefined, 'batches/s', '');
  rec('64 concurrent appenders (durable)', conc, undefined, 'entries/s', '≥ 15k/s');
  rec(
    `full verify (${N.toLocaleString()} entries, all cores)`,
    verifyRates,
    undefined,
    'entries/s',
    '≥ 14k/s',
  );

  // 1M entries: open time, proof latency.
  const t = tmp();
  let l = await fresh(t.dir);
  const fillMs = (await timeIt(() => fill(l, BIG, 5000))).ms;
  const size = l.size;
  await l.close();
  const opens: number[] = [];
  for (let i = 0; i < 5; i++) {
    const o = await timeIt(() => Ledger.open(join(t.dir, 'l'), { kinds: [kind] }));
    opens.push(o.ms);
    await o.value.close();
  }
  l = await Ledger.open(join(t.dir, 'l'), { kinds: [kind] });
  const incl: number[] = [];
  const cons: number[] = [];
  for (let i = 0; i < 200; i++) {
    const seq = Math.floor(Math.random() * size);
    incl.push((await timeIt(() => l.inclusionProof(seq, size))).ms);
    const m = 1 + Math.floor(Math.random() * (size - 1));
    cons.push((await timeIt(() => l.consistencyProof(m, size))).ms);
  }
  await l.close();
  t.done();
  rec(`open at ${BIG.toLocaleString()} entries`, opens, undefined, 'ms', '≤ 100 ms');
  rec(`inclusion proof at ${BIG.toLocaleString()} (median of 200)`, incl, undefined, 'ms', '≤ 2 ms');
  rec(`consistency proof at ${BIG.toLocaleString()} (median of 200)`, cons, undefined, 'ms', '≤ 2 ms');
  rows.push([
    'bytes on disk per entry (after compaction)',
    `${bytesPerEntry.toFixed(0)} B (record JSON ${recBytes} B)`,
    '—',
    '—',
    '≤ 600 B',
  ]);
  rows.push([
    `fill ${BIG.toLocaleString()} entries (5,000/batch)`,
    `${(BIG / (fillMs / 1000)).toFixed(0)} entries/s`,
    '—',
    '—',
    '',
  ]);

  console.log(header('Ledger core', cmd));
  console.log(
    `Medians of ${RUNS} run(s). Ours: every append resolves after its LevelDB batch is written with sync (fsync). hypercore ${'11'}: default storage, no fsync per append. Same record bodies (JSON-encoded for hypercore, canonical CBOR for us).\n`,
  );
  console.log(table(['measure', 'enforcement-ledger', 'hypercore', 'ratio ours/theirs', 'target'], rows));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
