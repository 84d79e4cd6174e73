/**
 * Where append checks the signatures of a large chunk (issue 17): on the signature worker threads, shared with the
 * calling thread (SharedCheck), or on the calling thread alone. Workers pay only when a core is free of other work:
 * measured on the 2 shared cores of the project's VM at load 8–12, checks on workers cost 16–25 % more CPU per entry
 * than on the calling thread (a worker's check is slower while every core is busy, and the threads' wake-ups and
 * copies add up) and gave a lower rate, while on a machine with a free core they run beside the build of the batch.
 * So by default ('auto') the machine's CPU time is sampled (`os.cpus()`, at most every 250 ms) and the workers are
 * used while the other processes leave at least one and a half cores free; our own threads' time does not count.
 * The verdicts do not depend on where a signature is checked (the same OpenSSL call), only the cost does.
 */
import { availableParallelism, cpus } from 'node:os';

export type CheckPlacement = 'auto' | 'workers' | 'here';

/**
 * The process-wide placement of ledgers opened without the `signatureChecks` option: 'auto' (default); tests and
 * benches set 'workers' or 'here'.
 */
export const checkPlacement: { mode: CheckPlacement } = { mode: 'auto' };

/** TypeError unless `v` is undefined or a placement. */
export function checkPlacementOption(v: unknown): void {
  if (v !== undefined && v !== 'auto' && v !== 'workers' && v !== 'here')
    throw new TypeError("signatureChecks must be 'auto', 'workers' or 'here'");
}

/** Chunks checked on workers and here since the process started (the bench reports them). */
export const placementCounts = { workers: 0, here: 0 };

/** One sample: wall time (ms), busy CPU time of the whole machine (ms, every core) and of this process (ms). */
export interface CpuSample {
  readonly cores: number;
  readonly wall: number;
  readonly busy: number;
  readonly ours: number;
}

const SAMPLE_MS = 250;

export function sampleCpu(): CpuSample {
  const all = cpus();
  let busy = 0;
  for (const c of all) busy += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  const u = process.cpuUsage();
  return { cores: all.length, wall: performance.now(), busy, ours: (u.user + u.system) / 1000 };
}

/**
 * Whether other processes left a core and a half free between two samples: the busy time of the machine less ours,
 * per unit of wall time, is the number of cores other work kept busy.
 */
export function coreFree(a: CpuSample, b: CpuSample): boolean {
  const wall = b.wall - a.wall;
  if (!(wall > 0)) return true;
  const others = (b.busy - a.busy - (b.ours - a.ours)) / wall;
  return others <= b.cores - 1.5;
}

let last: CpuSample | undefined;
let free = true;

/** Whether the next chunk's checks go to the workers: `option`, a ledger's own, else the process-wide placement. */
export function checksOnWorkers(option?: CheckPlacement): boolean {
  const mode = option ?? checkPlacement.mode;
  const on = mode === 'auto' ? autoFree() : mode === 'workers';
  placementCounts[on ? 'workers' : 'here']++;
  return on;
}

function autoFree(): boolean {
  const now = performance.now();
  if (last === undefined) last = sampleCpu();
  else if (now - last.wall >= SAMPLE_MS) {
    const s = sampleCpu();
    free = coreFree(last, s);
    last = s;
  }
  return free;
}

/**
 * How many workers check an append's signatures: one fewer than the cores, since the calling thread signs meanwhile
 * and then checks alongside them (SharedCheck). With as many workers as cores, a group of 64 awaited appends on 2 cores
 * ran three threads on two: same-process A/B, checks on the workers, alternating rounds: 64 callers 1.11×, 1.19×,
 * 1.13× the rate with one worker instead of two, batched (1,000) 1.07×, 1.02×, 1.11×. bench/append.ts's floor with
 * its checks on the workers uses the same number.
 */
export function checkPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}
