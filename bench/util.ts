/** Shared bench helpers: machine line, medians, markdown tables. */
import { cpus, totalmem } from 'node:os';

export function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'} × ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/**
 * How this bench's code runs: bundled by `npm run bench` (bench/run.ts: esbuild, no `keepNames`, as dist/ is built)
 * or from the sources under tsx (whose `keepNames` adds a call per named function or closure made at run time).
 */
export function runner(): string {
  return import.meta.url.endsWith('.mjs')
    ? 'bundled as dist/ is (npm run bench)'
    : 'sources under tsx (keepNames)';
}

/** The node flags to start this bench again as a child process, the same way it runs (tsx's loader, or none). */
export function selfExecArgv(): string[] {
  return runner().startsWith('bundled') ? ['--enable-source-maps'] : ['--import', 'tsx'];
}

export function header(title: string, command: string): string {
  // Bundled, the bench was started by `npm run bench -- <name> [flags]`: say so, not the tsx form each bench spells.
  const cmd = runner().startsWith('bundled')
    ? command.replace(/^npx tsx bench\/([\w-]+)\.ts/, 'npm run bench -- $1')
    : command;
  return `### ${title}\n\n${new Date().toISOString().slice(0, 10)} · ${machine()} · \`${cmd}\` · ${runner()}\n`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function table(head: string[], rows: Array<Array<string | number>>): string {
  const fmt = (x: string | number) =>
    typeof x === 'number' ? (Number.isInteger(x) ? String(x) : x.toFixed(2)) : x;
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(fmt).join(' | ')} |`),
  ].join('\n');
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/**
 * Operations per second of `op` (which performs `batch` operations per call): a warm-up of half a run, then the
 * median of `runs` timed runs of `runMs` each.
 */
export async function opsPerSecond(
  op: () => unknown,
  opts: { readonly batch?: number; readonly runs: number; readonly runMs: number },
): Promise<number> {
  const batch = opts.batch ?? 1;
  const until = performance.now() + opts.runMs / 2;
  while (performance.now() < until) await op(); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < opts.runs; r++) {
    let n = 0;
    const start = performance.now();
    let now = start;
    while (now - start < opts.runMs) {
      await op();
      n += batch;
      now = performance.now();
    }
    rates.push((n * 1000) / (now - start));
  }
  return median(rates);
}
