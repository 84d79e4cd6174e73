/**
 * Where a full verify's CPU goes, by thread (Linux /proc): the main thread, the two signature workers, and the rest
 * (libuv's pool, where LevelDB reads run, and V8's helper threads), per entry; or, with `ceil`, the same for the
 * Ed25519 pool ceiling (the ledger's officer signatures through the same pool, nothing else). Threads are sampled
 * every 50 ms, so workers that stop at the end are still counted. Uses a ledger cached by bench/verify.ts.
 *
 * To compare two versions in the same conditions, run them alternately; `ROOT` names another checkout's folder
 * (with node_modules) whose src/ is measured instead of this one's:
 *   npx tsx bench/verify-threads.ts [entries] [ceil]
 *   ROOT=/tmp/base npx tsx bench/verify-threads.ts 100000
 * With `--rounds N`, it runs the ceiling and the verify alternately N times, each in its own child process (and, with
 * `--before <folder>`, that checkout's verify after each), and prints the table with each round's ratio of the
 * ceiling's CPU per signature to the verify's CPU per entry, their median, and the verdict against 0.8:
 *   npx tsx bench/verify-threads.ts 100000 --rounds 3 [--before /tmp/base]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { header, machine, median, table } from './util';
import { VERIFY_BENCH_KIND } from './verify-kind';

const ROOT = process.env.ROOT || resolve('.');
type LedgerModule = typeof import('../src/ledger');
type FormatModule = typeof import('../src/ledger/format');
type PoolModule = typeof import('../src/ledger/sig-pool');
type SignerModule = typeof import('../src/crypto/signer');
const { Ledger } = (await import(join(ROOT, 'src/ledger/index.ts'))) as LedgerModule;
const { ENTRY_CONTEXT, decodeSignedEntry } = (await import(
  join(ROOT, 'src/ledger/format.ts')
)) as FormatModule;
const { SignaturePool } = (await import(join(ROOT, 'src/ledger/sig-pool.ts'))) as PoolModule;
const { createSigner } = (await import(join(ROOT, 'src/crypto/signer.ts'))) as SignerModule;

const argAfter = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const n = Number(
  process.argv.find((a, i) => /^\d+$/.test(a) && process.argv[i - 1] !== '--rounds') ?? 100_000,
);
const rounds = Number(argAfter('--rounds') ?? 0);
if (rounds > 0) {
  await alternate(rounds, argAfter('--before'));
  process.exit(0);
}
const ceil = process.argv.includes('ceil');
const dir = join(resolve('.tmp/bench'), `verify-${n}`, 'l');
const kinds = [VERIFY_BENCH_KIND];
const officer = createSigner(new Uint8Array(createHash('sha256').update('bench key 1').digest()));

/** CPU milliseconds of each thread of this process, by thread id. */
function threads(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      m.set(t, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return m;
}

const items: Array<{ publicKey: Uint8Array; entryBytes: Uint8Array; signature: Uint8Array }> = [];
if (ceil) {
  const l = await Ledger.open(dir, { kinds });
  for await (const e of l.entries({ from: 2 })) {
    if (e.kind !== 'bench/record') continue;
    const d = decodeSignedEntry(e.bytes);
    items.push({ publicKey: officer.publicKey, entryBytes: d.entryBytes, signature: d.signature });
  }
  await l.close();
}
const before = threads();
const last = new Map<string, number>();
const timer = setInterval(() => {
  for (const [k, v] of threads()) last.set(k, v);
}, 50);
const c0 = process.cpuUsage();
let count: number;
if (ceil) {
  const pool = new SignaturePool(ENTRY_CONTEXT);
  const jobs = [];
  for (let i = 0; i < items.length; i += 2048) jobs.push(pool.check(items.slice(i, i + 2048)));
  const ok = (await Promise.all(jobs)).flat().every(Boolean);
  await pool.close();
  if (!ok) throw new Error('bench signatures do not verify');
  count = items.length;
} else {
  const r = await Ledger.verify(dir, { kinds });
  if (!r.ok) throw new Error('the cached ledger does not verify');
  count = r.size;
}
const cpu = process.cpuUsage(c0);
clearInterval(timer);
for (const [k, v] of threads()) last.set(k, v);
const per = (ms: number) => (ms * 1000) / count;
const main = per((last.get(String(process.pid)) ?? 0) - (before.get(String(process.pid)) ?? 0));
const others = [...last]
  .filter(([k]) => k !== String(process.pid))
  .map(([k, v]) => per(v - (before.get(k) ?? 0)))
  .sort((a, b) => b - a);
const workers = (others[0] ?? 0) + (others[1] ?? 0);
const rest = others.slice(2).reduce((a, b) => a + b, 0);
const processCpu = (cpu.user + cpu.system) / count;
if (process.argv.includes('--json'))
  console.log(JSON.stringify({ process: processCpu, main, workers, other: rest }));
else
  console.log(
    `${ceil ? 'ceiling' : 'verify '} ${process.env.ROOT ? `(${ROOT}) ` : ''}µs per ${ceil ? 'signature' : 'entry'}: process ${processCpu.toFixed(1)} = main ${main.toFixed(1)} + two busiest (workers) ${workers.toFixed(1)} + other threads ${rest.toFixed(1)}`,
  );

interface Split {
  process: number;
  main: number;
  workers: number;
  other: number;
}

/** Rounds of ceiling, verify (and the `before` checkout's verify), each in a child; prints the table and verdict. */
async function alternate(count: number, before: string | undefined): Promise<void> {
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(', ');
  const loadStart = load();
  const child = (args: string[], root?: string): Split =>
    JSON.parse(
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'bench/verify-threads.ts', String(n), ...args, '--json'],
        {
          encoding: 'utf8',
          env: root === undefined ? { ...process.env, ROOT: '' } : { ...process.env, ROOT: root },
        },
      )
        .trim()
        .split('\n')
        .pop()!,
    ) as Split;
  const rows: Array<Array<string | number>> = [];
  const ratios: number[] = [];
  const ratiosBefore: number[] = [];
  const cells = (s: Split) => [
    s.process.toFixed(1),
    s.main.toFixed(1),
    s.workers.toFixed(1),
    s.other.toFixed(1),
  ];
  for (let r = 1; r <= count; r++) {
    const c = child(['ceil']);
    rows.push([r, 'ceiling (pool only)', ...cells(c), '']);
    const v = child([]);
    ratios.push(c.process / v.process);
    rows.push([r, 'verify', ...cells(v), (c.process / v.process).toFixed(2)]);
    if (before !== undefined) {
      const b = child([], before);
      ratiosBefore.push(c.process / b.process);
      rows.push([r, `verify (${before})`, ...cells(b), (c.process / b.process).toFixed(2)]);
    }
  }
  const m = median(ratios);
  console.log(
    header(
      'Full verify against the Ed25519 pool ceiling, CPU by thread (issue 13)',
      `npx tsx bench/verify-threads.ts ${process.argv.slice(2).join(' ')}`,
    ),
  );
  console.log(
    `${machine()}; load average at start ${loadStart}, at end ${load()}. µs per entry (per signature for the ceiling); process CPU is all threads; "other" is libuv's pool (LevelDB reads) and V8's helper threads.\n`,
  );
  console.log(
    table(
      ['round', 'run', 'process CPU', 'main thread', 'two workers', 'other threads', 'ceiling / run'],
      rows,
    ),
  );
  console.log(
    `\nMedian ratio ${m.toFixed(2)} (rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')})${
      before === undefined
        ? ''
        : `; before: ${median(ratiosBefore).toFixed(2)} (${ratiosBefore.map((x) => x.toFixed(2)).join(', ')})`
    }; target ≥ 0.8× the ceiling: ${m >= 0.8 ? 'met' : '**not met**'}.`,
  );
}
