/**
 * docs/WALKTHROUGH.md runs as written: its shell blocks, in order, in an empty folder, through bash, with
 * `enforcement-ledger` on PATH (the CLI from source), every command exiting 0 (`set -euo pipefail`). Then the
 * inspector's step is tried with keys it must not trust: a verifier key copied from the wrong place fails.
 * The clock is pinned ($EL_NOW) so the run does not depend on the day it runs (the example's AV expired 2026-09-04).
 * The CLI is the package's built bin (dist/cli.js, built once per run by the global setup), so that fifty commands do
 * not each pay for tsx's start-up.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli, tempDir } from './helpers';

/** The ```sh blocks of a Markdown file, in order. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let out: { status: number | null; stdout: string; stderr: string };
const env = () => ({
  PATH: `${join(tmp.dir, 'bin')}:${process.env.PATH ?? ''}`,
  HOME: tmp.dir,
  LANG: 'C.UTF-8',
  EL_NOW: '2026-12-01T10:00',
});

beforeAll(async () => {
  tmp = await tempDir('el-walkthrough-');
  const bin = join(tmp.dir, 'bin');
  await mkdir(bin);
  // The built bin (test/setup/build.ts builds the package once per run), with the inspector's page beside it.
  const bundled = join(ROOT, 'dist', 'cli.js');
  const wrapper = join(bin, 'enforcement-ledger');
  await writeFile(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${bundled}' "$@"\n`);
  await chmod(wrapper, 0o755);
  const blocks = shellBlocks(await readFile(join(ROOT, 'docs/WALKTHROUGH.md'), 'utf8'));
  expect(blocks.length).toBeGreaterThan(10);
  const work = join(tmp.dir, 'work');
  await mkdir(work);
  const r = spawnSync('bash', ['-c', `set -euo pipefail\n${blocks.join('\n')}`], {
    cwd: work,
    env: env(),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  out = { status: r.status, stdout: r.stdout, stderr: r.stderr };
}, 900_000);
afterAll(async () => {
  await tmp.cleanup();
});

describe('docs/WALKTHROUGH.md', () => {
  it('runs end to end, every command exiting 0', () => {
    expect(out.status, `${out.stdout.slice(-3000)}\n${out.stderr.slice(-3000)}`).toBe(0);
    expect(out.stdout).toMatch(/Bundle verified: case\.bundle/);
    // export-bundle --content says which files stayed out (the 3 MB clip), and the one handed over beside it checks.
    expect(out.stdout).toMatch(/Exported case\.bundle .*\n {2}files carried 0; left out 1 \(over 256 KiB/);
    expect(out.stdout).toMatch(/✔ Carried files match their digests/);
    expect(out.stdout).toMatch(/✔ Witness cosignatures/);
    expect(out.stdout).toMatch(/✔ Log checkpoint signature/);
    expect(out.stdout).toMatch(/Purged 9 file\(s\) lawfully/);
    expect(out.stdout).toMatch(/Inspector's page written to/);
  });

  it('the verifier keys printed where keys are made are the ones the inspector pastes', () => {
    const logKeys = [
      ...out.stdout.matchAll(/checkpoint verifier key \(verify-bundle --log-key\): (\S+)/g),
    ].map((m) => m[1]);
    const witnessKeys = [
      ...out.stdout.matchAll(/witness verifier key \(verify-bundle --witness\): (witness-a\.example\+\S+)/g),
    ].map((m) => m[1]);
    // init, and the two echo lines of step 8.
    const lines = out.stdout.split('\n');
    const jcLog = logKeys.find((k) => k!.startsWith('ledger.jcwjw.example/penalty+') && lines.includes(k!));
    expect(jcLog).toBeDefined();
    // keys generate and witness cosign print the same witness key, and step 8 echoes it.
    expect(new Set(witnessKeys).size).toBe(1);
    expect(lines).toContain(witnessKeys[0]);
  });

  it('the inspector’s step fails with a key copied from the wrong place', async () => {
    const work = join(tmp.dir, 'work');
    expect((await stat(join(work, 'report.html'))).size).toBeGreaterThan(1000);
    const show = async (args: string[]) =>
      (await cli(['-d', join(work, 'jc-ledger'), 'keys', 'show', ...args])).stdout.trim();
    const logKey = await show(['root', '--verifier-key', 'log']);
    const witnessKey = await show([
      'witness-a',
      '--witness-name',
      'witness-a.example',
      '--verifier-key',
      'witness',
    ]);
    const officerAsWitness = await show([
      'wang',
      '--witness-name',
      'witness-a.example',
      '--verifier-key',
      'witness',
    ]);
    const demoLog = (
      await cli(['-d', join(work, 'demo-ledger'), 'keys', 'show', 'root', '--verifier-key', 'log'])
    ).stdout.trim();
    const verify = (w: string, l: string) =>
      cli(['--lang', 'en', 'verify-bundle', join(work, 'case.bundle'), '--witness', w, '--log-key', l], {
        cwd: work,
      });
    expect((await verify(witnessKey, logKey)).code).toBe(0);
    const wrongWitness = await verify(officerAsWitness, logKey);
    expect(wrongWitness.code).toBe(1);
    expect(wrongWitness.stdout).toMatch(/✘ Witness cosignatures/);
    const wrongLog = await verify(witnessKey, demoLog);
    expect(wrongLog.code).toBe(1);
    expect(wrongLog.stdout).toMatch(/✘ Log checkpoint signature/);
    // The log key is only the checkpoint key's to print.
    const notLog = await cli([
      '-d',
      join(work, 'jc-ledger'),
      'keys',
      'show',
      'wang',
      '--verifier-key',
      'log',
    ]);
    expect(notLog.code).toBe(2);
  });
});
