/**
 * Progress bars (cli-progress) on stderr for long work: only when stderr is a terminal and --quiet is not given.
 * Shows the rate and the ETA. Piped or quiet: a no-op.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly unit: 'entries' | 'bytes' | 'files';
}

const mib = (n: number) => `${(n / (1 << 20)).toFixed(1)} MiB`;

export function progressBar(stream: NodeJS.WriteStream, quiet: boolean, opts: ProgressOptions): Progress {
  if (quiet || !stream.isTTY) return NONE;
  const started = Date.now();
  const fmt = (n: number) => (opts.unit === 'bytes' ? mib(n) : String(n));
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${opts.label} [{bar}] {percentage}% | {done}/{all} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (done: number) => {
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    return { done: fmt(done), all: fmt(bar.getTotal()), rate: fmt(Math.round(done / secs)) };
  };
  bar.start(Math.max(opts.total, 1), 0, payload(0));
  return {
    update(done, total) {
      if (total !== undefined && total !== bar.getTotal()) bar.setTotal(Math.max(total, 1));
      bar.update(done, payload(done));
    },
    stop() {
      bar.update(bar.getTotal(), payload(bar.getTotal()));
      bar.stop();
    },
  };
}
