/** Shared bench helpers: machine line, medians, markdown tables. */
import { cpus, totalmem } from 'node:os';

export function machine(): string {
  const c = cpus();
  return `${c[0]?.model ?? 'unknown CPU'} × ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export function header(title: string, command: string): string {
  return `### ${title}\n\n${new Date().toISOString().slice(0, 10)} · ${machine()} · \`${command}\`\n`;
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
