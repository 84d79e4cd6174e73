/** What every subcommand gets: the folder, the language, the output mode, the streams and progress bars. */
import type { Lang } from './lang';
import { type Progress, type ProgressOptions, progressBar } from './progress';
import { CLI_JSON_FORMAT } from './schemas';

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface Ctx {
  readonly io: Io;
  readonly dir: string;
  readonly lang: Lang;
  readonly json: boolean;
  readonly quiet: boolean;
  /** The clock (ms since epoch): Date.now, or the fixed instant of `--now` / `$EL_NOW` (docs/CLI.md). */
  readonly clock: () => number;
  progress(opts: ProgressOptions): Progress;
}

/** A subcommand's result: its exit code (0 clean, 1 problems found), its JSON data and its human text. */
export interface Outcome<D extends object = object> {
  readonly command: string;
  readonly exit: 0 | 1;
  readonly data: D;
  readonly human: (lang: Lang) => string;
}

export function emit(ctx: Ctx, o: Outcome): void {
  if (ctx.json)
    ctx.io.stdout.write(`${JSON.stringify({ format: CLI_JSON_FORMAT, command: o.command, ...o.data })}\n`);
  else if (!ctx.quiet || o.exit !== 0) {
    const text = o.human(ctx.lang);
    if (text) ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

export function makeCtx(
  io: Io,
  opts: { dir: string; lang: Lang; json: boolean; quiet: boolean; now?: number },
): Ctx {
  const { now, ...rest } = opts;
  return {
    io,
    ...rest,
    clock: now === undefined ? Date.now : () => now,
    progress: (p) => progressBar(io.stderr, opts.quiet, p),
  };
}
