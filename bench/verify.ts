/**
 * Verification bench (issue 13): full verify throughput beside the two-core Ed25519 ceiling measured in the same run
 * (the same signatures checked by the same worker pool with nothing else to do), incremental verify (`since`) of
 * 1,000 new entries at a small and a large size, and peak RSS of a full verify at two sizes (each in its own process).
 * Run: npx tsx bench/verify.ts [--n 20000] [--big 100000]
 *      npx tsx bench/verify.ts --rss <entries>   (child mode: prints the peak RSS of one full verify, in MiB)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigner } from '../src/crypto/signer';
import { Ledger } from '../src/ledger';
import { ENTRY_CONTEXT, decodeSignedEntry } from '../src/ledger/format';
import { SignaturePool, type SigItem } from '../src/ledger/sig-pool';
import type { KindDefinition } from '../src/ledger/types';
import { header, machine, table, timeIt } from './util';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--n', 20_000);
const BIG = arg('--big', 100_000);
const NEW = 1000;

const seed = (i: number) => new Uint8Array(createHash('sha256').update(`bench key ${i}`).digest());
const root = createSigner(seed(0));
const officer = createSigner(seed(1));
const kind: KindDefinition = {
  kind: 'bench/record',
  roles: ['officer'],
  indexes: (e) => [{ index: 'case', key: String((e.body as { caseId: string }).caseId) }],
};
const body = (i: number) => ({
  caseId: `JC-2026-${String(i % 5000).padStart(5, '0')}`,
  number: `晋卫监〔2026〕${i}号`,
  summary: `现场检查 ${i}: on-site inspection summary ${'x'.repeat(120)}`,
});

async function build(dir: string, n: number): Promise<Ledger> {
  const l = await Ledger.create(join(dir, 'l'), {
    origin: 'bench.example/verify',
    signer: root,
    kinds: [kind],
    sync: false,
  });
  await l.registerKey({ publicKey: officer.publicKey, principal: 'officer-0001', roles: ['officer'] }, root);
  await grow(l, n);
  return l;
}

async function grow(l: Ledger, to: number) {
  while (l.size < to) {
    const inputs = [];
    for (let j = l.size; j < Math.min(to, l.size + 1000); j++)
      inputs.push({ kind: 'bench/record', body: body(j) });
    await l.appendBatch(inputs, officer);
  }
}

/** The ceiling: the same signatures through the same pool, nothing else. */
async function ceiling(l: Ledger): Promise<number> {
  const items: SigItem[] = [];
  for await (const e of l.entries({ from: 3 })) {
    const d = decodeSignedEntry(e.bytes);
    items.push({ publicKey: officer.publicKey, entryBytes: d.entryBytes, signature: d.signature });
  }
  const pool = new SignaturePool(ENTRY_CONTEXT);
  try {
    const { ms } = await timeIt(async () => {
      const jobs = [];
      for (let i = 0; i < items.length; i += 2048) jobs.push(pool.check(items.slice(i, i + 2048)));
      const res = (await Promise.all(jobs)).flat();
      if (!res.every(Boolean)) throw new Error('bench signatures do not verify');
    });
    return items.length / (ms / 1000);
  } finally {
    await pool.close();
  }
}

async function sinceCost(dir: string, size: number): Promise<number> {
  const l = await build(dir, size);
  const cp = await l.checkpoint();
  await grow(l, l.size + NEW);
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const v = await timeIt(() => l.verify({ since: cp }));
    if (!v.value.ok) throw new Error('since verify failed');
    runs.push(v.ms);
  }
  await l.close();
  return Math.min(...runs);
}

async function rssChild(n: number): Promise<void> {
  const t = mkdtempSync(join(tmpdir(), 'el-bench-rss-'));
  try {
    const l = await build(t, n);
    await l.close();
    if (global.gc) global.gc();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const r = await Ledger.verify(join(t, 'l'), { kinds: [kind] });
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (!r.ok) throw new Error('rss verify failed');
    console.log(JSON.stringify({ base: base / 2 ** 20, peak: peak / 2 ** 20 }));
  } finally {
    rmSync(t, { recursive: true, force: true });
  }
}

async function main() {
  const rssArg = process.argv.indexOf('--rss');
  if (rssArg > 0) return rssChild(Number(process.argv[rssArg + 1]));
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  const t = mkdtempSync(join(tmpdir(), 'el-bench-verify-'));
  try {
    const l = await build(join(t, 'a'), N);
    const ceil = await ceiling(l);
    const v = await timeIt(() => l.verify());
    if (!v.value.ok) throw new Error('bench ledger does not verify');
    const rate = l.size / (v.ms / 1000);
    const ceil2 = await ceiling(l); // again after, so load drift shows
    await l.close();
    const small = await sinceCost(join(t, 'b'), 10_000);
    const large = await sinceCost(join(t, 'c'), BIG);
    const rss = (n: number) =>
      JSON.parse(
        execFileSync(process.execPath, ['--import', 'tsx', 'bench/verify.ts', '--rss', String(n)], {
          encoding: 'utf8',
        })
          .trim()
          .split('\n')
          .pop()!,
      ) as { base: number; peak: number };
    const rSmall = rss(Math.round(BIG / 10));
    const rLarge = rss(BIG);
    const ceilMid = (ceil + ceil2) / 2;
    console.log(header('Verification (issue 13)', `npx tsx bench/verify.ts --n ${N} --big ${BIG}`));
    console.log(
      `${machine()}; load average at start ${load}, at end ${loadavg()
        .map((x) => x.toFixed(1))
        .join(', ')}\n`,
    );
    console.log(
      table(
        ['measure', 'value', 'floor / peer (same run)', 'ratio', 'target'],
        [
          [
            `full verify, ${N} entries (all cores)`,
            `${rate.toFixed(0)} entries/s`,
            `Ed25519 pool ceiling ${ceil.toFixed(0)} / ${ceil2.toFixed(0)} sig/s (before / after)`,
            (rate / ceilMid).toFixed(2),
            '≥ 14k/s and ≥ 0.8× ceiling',
          ],
          [
            `since: ${NEW} new entries after ${BIG}`,
            `${large.toFixed(1)} ms`,
            `after 10,000: ${small.toFixed(1)} ms`,
            (large / small).toFixed(2),
            '≤ 1.5×',
          ],
          [
            `peak RSS, full verify of ${BIG}`,
            `${rLarge.peak.toFixed(0)} MiB`,
            `of ${Math.round(BIG / 10)}: ${rSmall.peak.toFixed(0)} MiB`,
            (rLarge.peak / rSmall.peak).toFixed(2),
            '≤ 1.2×',
          ],
        ],
      ),
    );
  } finally {
    rmSync(t, { recursive: true, force: true });
  }
}

await main();
