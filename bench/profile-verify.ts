/**
 * Where a full verify's main-thread time goes: verifies a ledger cached by bench/verify.ts (build it first:
 * `npx tsx bench/verify.ts --build 100000`) under the V8 CPU profiler and prints the top functions by self time.
 * Worker threads (the signature checks) are not in these samples; process CPU (all threads) is printed beside them.
 * Run: npx tsx bench/profile-verify.ts [entries] [--cpu]
 */
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { Ledger } from '../src/ledger';
import { VERIFY_BENCH_KIND } from './verify-kind';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
/** `--cpu`: no profiler (its sampling costs the main thread), only the CPU figures. */
const cpuOnly = process.argv.includes('--cpu');
const dir = join(resolve('.tmp/bench'), `verify-${n}`, 'l');
const kinds = [VERIFY_BENCH_KIND];

/** CPU seconds of this process's main thread (its task is the process id), from /proc (Linux). */
function mainThreadCpu(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in clock ticks of 10 ms
}

interface Node {
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
if (!cpuOnly) await session.post('Profiler.start');
const c0 = process.cpuUsage();
const m0 = mainThreadCpu();
const t0 = performance.now();
const r = await Ledger.verify(dir, { kinds });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const mainUs = ((mainThreadCpu() - m0) * 1e6) / (r.size || 1);
const { profile } = cpuOnly
  ? { profile: { nodes: [] as Node[] } }
  : ((await session.post('Profiler.stop')) as unknown as { profile: { nodes: Node[] } });
if (!r.ok) throw new Error('the cached ledger does not verify');
const self = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const file = node.callFrame.url.split('/').slice(-2).join('/');
  const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
  total += node.hitCount;
}
console.log(
  `full verify of ${r.size} entries: ${((r.size / ms) * 1000).toFixed(0)} entries/s, process CPU ${((cpu.user + cpu.system) / r.size).toFixed(1)} µs/entry (all threads), main thread ${mainUs.toFixed(1)} µs/entry; ${total} samples (main thread)`,
);
for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30))
  console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
