/**
 * Verification bench (issue 13), each row beside its floor or peer measured in the same run:
 * - full verify throughput beside the two-core Ed25519 ceiling: the same signatures checked by the same worker pool
 *   with nothing else to do, in 2,048-signature jobs (verify sends 256), alternating with the verifies (medians);
 * - incremental verify (`since`) of the 1,000 entries after a checkpoint, at a small and a large size;
 * - peak RSS of a full verify at two sizes, each in its own child process that only opens and verifies a ledger
 *   built earlier (so the build's memory is not in the figure).
 *
 * Ledgers are built once through the real append path (`appendBatch`, 5,000 per batch, `sync: false`; every entry
 * signed and its signature checked, as always) and cached under .tmp/bench/verify-<size> with the checkpoint note
 * taken 1,000 entries before the end; later runs reuse them (delete the folder to rebuild). The bench never writes to
 * a cached ledger.
 *
 * Run: npx tsx bench/verify.ts [--quick] [--n 100000] [--rounds 3] [--since-big 1000000] [--rss-small 100000]
 *        [--rss-big 1000000] [--rss-runs 3]
 *      npx tsx bench/verify.ts --rss <entries> [--recycle-bytes B]   (child mode: peak RSS of one full verify of the
 *        cached ledger, MiB; B: reopen verify's reading handle every B bytes read, 0 never, instead of the default)
 *      npx tsx bench/verify.ts --build <entries> (only build the cached ledger)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSigner } from '../src/crypto/signer';
import { Ledger } from '../src/ledger';
import { ENTRY_CONTEXT, decodeSignedEntry } from '../src/ledger/format';
import { READ_MAX_OPEN_FILES, TABLE_FILE_BYTES, readRecycling } from '../src/ledger/level-store';
import { SignaturePool, type SigItem } from '../src/ledger/sig-pool';
import { header, machine, median, selfExecArgv, table, timeIt } from './util';
import { VERIFY_BENCH_KIND } from './verify-kind';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
/** `--quick` (as `npm run bench -- --quick` passes it): smaller sizes, so no 1M ledger is built. */
const quick = process.argv.includes('--quick');
const N = arg('--n', quick ? 20_000 : 100_000);
const SINCE_SMALL = 10_000;
const SINCE_BIG = arg('--since-big', quick ? 100_000 : 1_000_000);
const RSS_SMALL = arg('--rss-small', quick ? 10_000 : 100_000);
const RSS_BIG = arg('--rss-big', quick ? 100_000 : 1_000_000);
const NEW = 1000;
/** Full verifies, alternating with ceiling runs (one more ceiling run than verifies). */
const ROUNDS = arg('--rounds', 3);
/** Runs of each size in the memory rows (alternating). */
const RSS_RUNS = arg('--rss-runs', quick ? 1 : 3);
/** What verify's read handle can keep mapped: its table cache (max_open_files − 10 tables) of full-size tables. */
const TABLE_CACHE_MIB = ((READ_MAX_OPEN_FILES - 10) * TABLE_FILE_BYTES) / 2 ** 20;

interface Rss {
  readonly hwm: number;
  readonly anon: number;
  readonly file: number;
}

const CACHE = resolve('.tmp/bench');

const seed = (i: number) => new Uint8Array(createHash('sha256').update(`bench key ${i}`).digest());
const root = createSigner(seed(0));
const officer = createSigner(seed(1));
const kind = VERIFY_BENCH_KIND;
const body = (i: number) => ({
  caseId: `JC-2026-${String(i % 5000).padStart(5, '0')}`,
  number: `晋卫监〔2026〕${i}号`,
  summary: `现场检查 ${i}: on-site inspection summary ${'x'.repeat(120)}`,
});

interface Cached {
  readonly dir: string;
  readonly size: number;
  /** Checkpoint note at size − 1,000 (the `since` start). */
  readonly since: string;
}

/** The cached ledger of `n` entries, built on first use. */
async function cached(n: number): Promise<Cached> {
  const base = join(CACHE, `verify-${n}`);
  const dir = join(base, 'l');
  const meta = join(base, 'meta.json');
  // A ledger cached before the store wrote tables of TABLE_FILE_BYTES (LevelDB's default of 2 MiB until 2026-12-07) is
  // built again: the layout of its files is part of what the memory row measures.
  if (existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as {
      size: number;
      since: string;
      tableFileBytes?: number;
    };
    if (m.tableFileBytes === TABLE_FILE_BYTES) return { dir, size: m.size, since: m.since };
  }
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const t0 = performance.now();
  const l = await Ledger.create(dir, {
    origin: 'bench.example/verify',
    signer: root,
    kinds: [kind],
    sync: false,
  });
  await l.registerKey({ publicKey: officer.publicKey, principal: 'officer-0001', roles: ['officer'] }, root);
  await grow(l, n - NEW - 1);
  const since = await l.checkpoint();
  await grow(l, n);
  const size = l.size;
  await l.close();
  writeFileSync(meta, JSON.stringify({ size, since, tableFileBytes: TABLE_FILE_BYTES }));
  process.stderr.write(
    `built ${dir} (${size} entries) in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
  return { dir, size, since };
}

async function grow(l: Ledger, to: number) {
  while (l.size < to) {
    const inputs = [];
    for (let j = l.size; j < Math.min(to, l.size + 5000); j++)
      inputs.push({ kind: 'bench/record', body: body(j) });
    await l.appendBatch(inputs, officer);
  }
}

/** The ceiling: the officer's signatures of the ledger through the same pool, nothing else (rate, CPU µs/sig). */
async function ceiling(items: SigItem[]): Promise<{ rate: number; cpuUs: number }> {
  const pool = new SignaturePool(ENTRY_CONTEXT);
  try {
    const { ms, cpuMs } = await cpuTimed(async () => {
      const jobs = [];
      for (let i = 0; i < items.length; i += 2048) jobs.push(pool.check(items.slice(i, i + 2048)));
      const res = (await Promise.all(jobs)).flat();
      if (!res.every(Boolean)) throw new Error('bench signatures do not verify');
    });
    return { rate: items.length / (ms / 1000), cpuUs: (cpuMs * 1000) / items.length };
  } finally {
    await pool.close();
  }
}

async function officerItems(c: Cached): Promise<SigItem[]> {
  const items: SigItem[] = [];
  const l = await Ledger.open(c.dir, { kinds: [kind] });
  try {
    for await (const e of l.entries({ from: 2 })) {
      if (e.kind !== 'bench/record') continue;
      const d = decodeSignedEntry(e.bytes);
      items.push({ publicKey: officer.publicKey, entryBytes: d.entryBytes, signature: d.signature });
    }
  } finally {
    await l.close();
  }
  return items;
}

/** Wall time and process CPU (all threads) of one call. */
async function cpuTimed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const c0 = process.cpuUsage();
  const r = await timeIt(fn);
  const c = process.cpuUsage(c0);
  return { ...r, cpuMs: (c.user + c.system) / 1000 };
}

async function sinceCost(c: Cached): Promise<{ ms: number; cpuMs: number }> {
  const runs: Array<{ ms: number; cpuMs: number }> = [];
  for (let r = 0; r < 5; r++) {
    const v = await cpuTimed(() => Ledger.verify(c.dir, { kinds: [kind], since: c.since }));
    if (!v.value.ok) throw new Error(`since verify failed: ${JSON.stringify(v.value.problems.slice(0, 3))}`);
    if (v.value.stats.entries < NEW || v.value.stats.entries > NEW + 1)
      throw new Error(`since verified ${v.value.stats.entries} entries`);
    runs.push(v);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { ms: med(runs.map((r) => r.ms)), cpuMs: med(runs.map((r) => r.cpuMs)) };
}

/** A field of /proc/self/status in MiB (Linux): RssAnon, RssFile, VmHWM. */
function status(field: string, text = readFileSync('/proc/self/status', 'utf8')): number {
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? Number.NaN) / 1024;
}

/**
 * Child mode: open and verify the cached ledger of n entries (built beforehand by the parent). Peak RSS (VmHWM), and
 * the peaks of its anonymous and file-backed parts, sampled: LevelDB reads its table files through mmap, so every page
 * of the store it reads counts in RSS as a file page (the kernel's page cache, shared and reclaimable) while its table
 * stays in LevelDB's table cache — bounded by verify's read handle (64 tables of 1 MiB, docs/design/storage.md
 * §Memory of a full read), together with Node's own code.
 */
async function rssChild(n: number): Promise<void> {
  const c = await cached(n);
  // `--recycle-bytes B`: reopen verify's reading handle every B bytes read (0: never), instead of the library's default.
  const recycle = process.argv.indexOf('--recycle-bytes');
  if (recycle > 0) readRecycling.everyBytes = Number(process.argv[recycle + 1]);
  if (global.gc) global.gc();
  const base = process.memoryUsage().rss;
  let peak = base;
  let anon = status('RssAnon');
  let file = status('RssFile');
  const sample = () => {
    const text = readFileSync('/proc/self/status', 'utf8');
    peak = Math.max(peak, process.memoryUsage().rss);
    anon = Math.max(anon, status('RssAnon', text));
    file = Math.max(file, status('RssFile', text));
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  const r = await Ledger.verify(c.dir, { kinds: [kind] });
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  if (!r.ok) throw new Error('rss verify failed');
  // VmHWM: the kernel's own high-water mark of this process's resident set (not sampled).
  const hwm = status('VmHWM');
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      base: base / 2 ** 20,
      peak: peak / 2 ** 20,
      hwm,
      anon,
      file,
      entries: r.stats.entries,
      ms,
      cpuS: (cpu.user + cpu.system) / 1e6,
    }),
  );
}

async function main() {
  const rssArg = process.argv.indexOf('--rss');
  if (rssArg > 0) return rssChild(Number(process.argv[rssArg + 1]));
  const buildArg = process.argv.indexOf('--build');
  if (buildArg > 0) {
    await cached(Number(process.argv[buildArg + 1]));
    return;
  }
  const command = `npx tsx bench/verify.ts ${process.argv.slice(2).join(' ')}`.trim();
  // Build (or find) every ledger first, so that no measurement shares the machine with a build.
  const full = await cached(N);
  const small = await cached(SINCE_SMALL);
  const big = await cached(SINCE_BIG);
  await cached(RSS_SMALL);
  await cached(RSS_BIG);
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');

  // The ceiling and the full verify alternate (ceiling first and last), and each is judged by its median. The
  // ceiling's signatures are read afresh for each of its runs and dropped before a verify runs, so the verify's
  // garbage collector does not trace the bench's own 100k signatures.
  const ceils = [await ceiling(await officerItems(full))];
  const verifies: Array<{ rate: number; cpuUs: number }> = [];
  for (let r = 0; r < ROUNDS; r++) {
    const v = await cpuTimed(() => Ledger.verify(full.dir, { kinds: [kind] }));
    if (!v.value.ok) throw new Error('bench ledger does not verify');
    verifies.push({ rate: full.size / (v.ms / 1000), cpuUs: (v.cpuMs * 1000) / full.size });
    ceils.push(await ceiling(await officerItems(full)));
  }
  const rate = median(verifies.map((v) => v.rate));
  const cpuUs = median(verifies.map((v) => v.cpuUs));
  const ceilMid = median(ceils.map((c) => c.rate));
  const ceilCpu = median(ceils.map((c) => c.cpuUs));
  const list = (xs: number[], digits: number) => xs.map((x) => x.toFixed(digits)).join(', ');

  const sSmall = await sinceCost(small);
  const sBig = await sinceCost(big);

  const rss = (n: number) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--expose-gc', ...selfExecArgv(), fileURLToPath(import.meta.url), '--rss', String(n)],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .split('\n')
        .pop()!,
    ) as Rss;
  // Peaks swing by tens of MiB between runs of the same size (three heaps' collectors): the sizes alternate, medians.
  const smalls: Rss[] = [];
  const bigs: Rss[] = [];
  for (let r = 0; r < RSS_RUNS; r++) {
    smalls.push(rss(RSS_SMALL));
    bigs.push(rss(RSS_BIG));
  }
  const medOf = (rs: Rss[]): Rss => ({
    hwm: median(rs.map((x) => x.hwm)),
    anon: median(rs.map((x) => x.anon)),
    file: median(rs.map((x) => x.file)),
  });
  const rSmall = medOf(smalls);
  const rBig = medOf(bigs);
  const runsOf = (rs: Rss[], k: keyof Rss) => rs.map((x) => x[k].toFixed(0)).join(', ');

  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  const ratio = rate / ceilMid;
  const cpuRatio = ceilCpu / cpuUs;
  console.log(header('Verification (issue 13)', command));
  console.log(
    `${machine()}; load average at start ${load}, at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ', ',
      )}. Ledgers built beforehand by the same bench (cached under .tmp/bench); full verify CPU is process CPU (all threads).\n`,
  );
  console.log(
    table(
      ['measure', 'value', 'floor / peer (same run)', 'ratio', 'target', 'verdict'],
      [
        [
          `full verify, ${full.size} entries (all cores), wall`,
          `${rate.toFixed(0)} entries/s (median of ${list(
            verifies.map((v) => v.rate),
            0,
          )})`,
          `Ed25519 pool ceiling ${ceilMid.toFixed(0)} sig/s (median of ${list(
            ceils.map((c) => c.rate),
            0,
          )})`,
          ratio.toFixed(2),
          '≥ 14k/s and ≥ 0.8× ceiling',
          `${verdict(rate >= 14_000)} (rate); ${verdict(ratio >= 0.8)} (ratio)`,
        ],
        [
          '— the same in process CPU (all threads), per entry',
          `${cpuUs.toFixed(1)} µs (median of ${list(
            verifies.map((v) => v.cpuUs),
            1,
          )})`,
          `ceiling ${ceilCpu.toFixed(1)} µs per signature (median of ${list(
            ceils.map((c) => c.cpuUs),
            1,
          )})`,
          cpuRatio.toFixed(2),
          '≥ 0.8× (load-robust form)',
          verdict(cpuRatio >= 0.8),
        ],
        [
          `since: ${NEW} new entries at ${big.size}`,
          `${sBig.ms.toFixed(1)} ms (CPU ${sBig.cpuMs.toFixed(1)} ms)`,
          `at ${small.size}: ${sSmall.ms.toFixed(1)} ms (CPU ${sSmall.cpuMs.toFixed(1)} ms)`,
          `${(sBig.ms / sSmall.ms).toFixed(2)} (CPU ${(sBig.cpuMs / sSmall.cpuMs).toFixed(2)})`,
          '≤ 1.5× (1M vs 10k)',
          `${verdict(sBig.ms / sSmall.ms <= 1.5 && sBig.cpuMs / sSmall.cpuMs <= 1.5)}${big.size < 1_000_000 ? ` at ${big.size}; 1M not measured` : ''}`,
        ],
        [
          `peak RSS (VmHWM), full verify of ${RSS_BIG} (own process), median of ${RSS_RUNS}`,
          `${rBig.hwm.toFixed(0)} MiB (${runsOf(bigs, 'hwm')})`,
          `of ${RSS_SMALL}: ${rSmall.hwm.toFixed(0)} MiB (${runsOf(smalls, 'hwm')})`,
          (rBig.hwm / rSmall.hwm).toFixed(2),
          '≤ 1.2× (1M vs 100k)',
          `${verdict(rBig.hwm / rSmall.hwm <= 1.2)}${RSS_BIG < 1_000_000 ? ` at ${RSS_BIG}` : ''}`,
        ],
        [
          '— its anonymous part (peak RssAnon, sampled; without the mmap-ed store files)',
          `${rBig.anon.toFixed(0)} MiB (${runsOf(bigs, 'anon')})`,
          `of ${RSS_SMALL}: ${rSmall.anon.toFixed(0)} MiB (${runsOf(smalls, 'anon')})`,
          (rBig.anon / rSmall.anon).toFixed(2),
          '≤ 1.2×',
          `${verdict(rBig.anon / rSmall.anon <= 1.2)}${RSS_BIG < 1_000_000 ? ` at ${RSS_BIG}` : ''}`,
        ],
        [
          `— its file-backed part (peak RssFile, sampled: mapped store tables and Node's own code; verify's reading handle reopened every ${readRecycling.everyBytes / 2 ** 20} MiB read)`,
          `${rBig.file.toFixed(0)} MiB (${runsOf(bigs, 'file')})`,
          `of ${RSS_SMALL}: ${rSmall.file.toFixed(0)} MiB (${runsOf(smalls, 'file')})`,
          `${(rBig.file / rSmall.file).toFixed(2)} (+${(rBig.file - rSmall.file).toFixed(0)} MiB)`,
          `≤ +${TABLE_CACHE_MIB} MiB (verify's table cache: ${READ_MAX_OPEN_FILES - 10} tables of ${TABLE_FILE_BYTES / 2 ** 20} MiB)`,
          verdict(rBig.file - rSmall.file <= TABLE_CACHE_MIB),
        ],
      ],
    ),
  );
}

await main();
