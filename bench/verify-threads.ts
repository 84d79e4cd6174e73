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
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VERIFY_BENCH_KIND } from './verify-kind';

const ROOT = process.env.ROOT ?? resolve('.');
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

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
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
console.log(
  `${ceil ? 'ceiling' : 'verify '} ${process.env.ROOT ? `(${ROOT}) ` : ''}µs per ${ceil ? 'signature' : 'entry'}: process ${((cpu.user + cpu.system) / count).toFixed(1)} = main ${main.toFixed(1)} + two busiest (workers) ${workers.toFixed(1)} + other threads ${rest.toFixed(1)}`,
);
