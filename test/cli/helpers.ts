/**
 * Runs the command line: in this process through `run(argv, io)` (src/cli/program.ts, what the bin calls; fast), or as
 * a child process as a user would, the package's bin `node dist/cli.js …` (`spawn: true`, or `script`), for what only
 * a real process shows: the bin itself, exit codes through process.exitCode, stack-trace-free crashes, terminals.
 * dist/ is built from the current sources once per run by the global setup (test/setup/build.ts), so a spawned
 * command does not pay for tsx's start-up (about three times the CPU of the built bin's).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import type { Io } from '../../src/cli/context';
import { run } from '../../src/cli/program';
import { OUTPUT_SCHEMAS } from '../../src/cli/schemas';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The package's bin as built by the global setup: what `enforcement-ledger` runs once installed. */
export const BIN = join(ROOT, 'dist/cli.js');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly input?: string | Uint8Array;
  readonly env?: Record<string, string>;
  /** Run this script instead of the built bin (dist/cli.js); implies `spawn`. */
  readonly script?: string;
  /** Run in a child process instead of in this one. */
  readonly spawn?: boolean;
}

const baseEnv = (env: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  LANG: 'C.UTF-8',
  ...env,
});

/** A stream that keeps what is written to it (not a terminal: no progress bars, as when piped). */
function sink(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = {
    write(chunk: string | Uint8Array, ...rest: unknown[]) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const cb = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    },
    isTTY: false,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

/** The command line, in this process or (opts.spawn / opts.script) as a child process. */
export function cli(args: readonly string[], opts: RunOptions = {}): Promise<Run> {
  return opts.spawn || opts.script ? spawnCli(args, opts) : inProcess(args, opts);
}

async function inProcess(args: readonly string[], opts: RunOptions): Promise<Run> {
  const out = sink();
  const err = sink();
  const io: Io = {
    stdout: out.stream,
    stderr: err.stream,
    stdin: Readable.from(opts.input ? [Buffer.from(opts.input)] : []),
    env: baseEnv(opts.env),
    cwd: opts.cwd ?? ROOT,
  };
  const code = await run(args, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

export function spawnCli(args: readonly string[], opts: RunOptions = {}): Promise<Run> {
  const argv = [opts.script ?? BIN, ...args];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, argv, {
      cwd: opts.cwd ?? ROOT,
      env: baseEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs with --json and checks stdout against the subcommand's documented schema. */
export async function cliJson<C extends keyof typeof OUTPUT_SCHEMAS>(
  command: C,
  args: readonly string[],
  opts: RunOptions & { expectCode?: number } = {},
) {
  const r = await cli(['--json', ...args], opts);
  expect(r.stderr, r.stderr).toBe('');
  expect(r.code).toBe(opts.expectCode ?? 0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const parsed = OUTPUT_SCHEMAS[command].safeParse(JSON.parse(lines[0]!));
  if (!parsed.success)
    throw new Error(`${command} --json does not match its schema: ${parsed.error.message}`);
  expect(parsed.data.command).toBe(command);
  return parsed.data as import('zod').infer<(typeof OUTPUT_SCHEMAS)[C]>;
}

/** The documented error shape: exactly one line `error <CODE>: <message>`, no stack trace. */
export function expectOneLineError(r: Run, code: string, exit: number): void {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(exit);
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: [^\\n]+\\n$`));
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

export async function tempDir(prefix = 'el-cli-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** China Standard Time (UTC+8) wall clock → ms since epoch. */
export const cst = (y: number, mo: number, d: number, h = 0): number => Date.UTC(y, mo - 1, d, h - 8);

/** Run options setting the CLI's clock ($EL_NOW) to `t`. */
export const at = (t: number): RunOptions => ({ env: { EL_NOW: String(t) } });

/**
 * The example case (`demo`) in a fresh temporary folder, and the seq and digest of the named records of `caseId`
 * (from `retention schedule`).
 */
export async function demoWithRecords(
  prefix: string,
  caseId: string,
  ids: readonly string[],
): Promise<{
  tmp: Awaited<ReturnType<typeof tempDir>>;
  dir: string;
  records: Record<string, { seq: number; digest: string }>;
}> {
  const tmp = await tempDir(prefix);
  const dir = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', dir])).code).toBe(0);
  const s = await cliJson('retention schedule', ['-d', dir, 'retention', 'schedule', '--case', caseId]);
  const records: Record<string, { seq: number; digest: string }> = {};
  for (const id of ids) {
    const i = s.items.find((x) => x.recordId === id);
    if (!i) throw new Error(`the demo case has no record ${id}`);
    records[id] = { seq: i.seq, digest: i.digest };
  }
  return { tmp, dir, records };
}
