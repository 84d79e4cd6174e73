/** Runs the command line as a child process, as a user would: `node --import tsx src/cli/main.ts …`. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { OUTPUT_SCHEMAS } from '../../src/cli/schemas';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MAIN = join(ROOT, 'src/cli/main.ts');
export const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly input?: string;
  readonly env?: Record<string, string>;
  /** Run this script instead of src/cli/main.ts (e.g. the built dist/cli.js, without tsx). */
  readonly script?: string;
}

export function cli(args: readonly string[], opts: RunOptions = {}): Promise<Run> {
  const argv = opts.script ? [opts.script, ...args] : ['--import', TSX, MAIN, ...args];
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, argv, {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...opts.env },
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
