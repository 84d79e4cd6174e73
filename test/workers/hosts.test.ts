/**
 * Issue 20: the worker-backed features (ingest's leaf hashing, verify's signature checks above 4,096 entries, the
 * pooled signer) work in every kind of Node host an embedder may have; issue 15.6: so do SM2's (the pooled SM2
 * signer, an append's SM2 checks, an SM2 verify), whose workers carry the SM2 library as text. One embedder script (embedder.mjs) runs in
 * each host as a child process; its answers are checked against independent computations made in the script
 * (SHA-256 of the file, node signer signatures, a full verify), and the messages its workers sent are counted, so a
 * silent fallback to the calling thread cannot pass for workers that ran. The package is built once for the run
 * (test/setup/build.ts); hosts import dist/ as a user's node_modules copy would be imported.
 */
import { spawn } from 'node:child_process';
import { isBuiltin } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, inject, it } from 'vitest';

const ROOT = inject('packageRoot');
const DIST = pathToFileURL(join(ROOT, 'dist', 'index.js')).href;
const DIST_CRYPTO = pathToFileURL(join(ROOT, 'dist', 'crypto.js')).href;
const EMBEDDER = fileURLToPath(new URL('./embedder.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'el-hosts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ESM_HOST = `import { embedder } from ${JSON.stringify(pathToFileURL(EMBEDDER).href)};
await embedder(await import(${JSON.stringify(DIST)}), await import(${JSON.stringify(DIST_CRYPTO)}));
`;

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

interface HostRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs node with `args` from the repository folder, as a project that has the package installed (no timeout: under
 * load a host takes what it takes; the test timeout bounds it).
 */
function node(args: readonly string[]): Promise<HostRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

interface SignatureCheck {
  /** What the append's check on the pool said: `accepted`, or the refusal's code. */
  pool: string;
  /** The calling thread's verdicts on the same signatures (the suite's `verify`). */
  here: string;
  signatures: number;
  workerMessages: number;
}

interface Answer {
  ingest: { digestOk: boolean; check: string; workerMessages: number };
  signing: { sameAsNodeSigner: boolean; size: number; workerMessages: number };
  verify: { ok: boolean; signatures: number; problems: number; workerMessages: number };
  sm2: {
    signing: { allVerify: boolean; usesWorkers: boolean; workerMessages: number };
    checks: { good: SignatureCheck; flippedByte: SignatureCheck; wrongKey: SignatureCheck };
    verify: { ok: boolean; problems: number; signatures: number; size: number; workerMessages: number };
  };
  workersStarted: number;
}

function answer(run: HostRun): Answer {
  expect(run.code, `exit ${run.code} ${run.signal}\n${run.stdout}\n${run.stderr}`).toBe(0);
  const line = run.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Answer;
}

/** The same answers in every host; `workers` says whether the work ran on worker threads. */
function expectRight(a: Answer, workers: boolean): void {
  expect(a.ingest).toMatchObject({ digestOk: true, check: 'CONTENT_OK' });
  // Manifest + kinds declaration entries before the 4,200 notes.
  expect(a.signing.sameAsNodeSigner).toBe(true);
  expect(a.signing.size).toBeGreaterThan(4200);
  expect(a.verify).toMatchObject({ ok: true, problems: 0, signatures: a.signing.size });
  // SM2: the pooled signer's signatures verify; the append's check of a group gives the calling thread's verdicts
  // (good: accepted, all verify; a flipped byte or another key's signatures: refused, none verifies); verify is clean.
  const { sm2 } = a;
  expect(sm2.signing).toMatchObject({ allVerify: true, usesWorkers: workers });
  // (An append may sign a refused group more than once: it rebuilds a group on what was written before refusing it.)
  const verdicts = Object.fromEntries(
    Object.entries(sm2.checks).map(([k, c]) => [
      k,
      { pool: c.pool, here: c.here, signed: c.signatures >= 40 },
    ]),
  );
  expect(verdicts).toEqual({
    good: { pool: 'accepted', here: 'all verify', signed: true },
    flippedByte: { pool: 'CRYPTO_SIGNER_FAILED', here: 'none verify', signed: true },
    wrongKey: { pool: 'CRYPTO_SIGNER_FAILED', here: 'none verify', signed: true },
  });
  expect(sm2.verify).toMatchObject({ ok: true, problems: 0, signatures: sm2.verify.size });
  const sm2Messages = [
    sm2.signing.workerMessages,
    sm2.checks.good.workerMessages,
    sm2.checks.flippedByte.workerMessages,
    sm2.checks.wrongKey.workerMessages,
    sm2.verify.workerMessages,
  ];
  if (workers) {
    // A ready message and at least one answer from each pool.
    expect(a.ingest.workerMessages).toBeGreaterThanOrEqual(2);
    expect(a.signing.workerMessages).toBeGreaterThanOrEqual(2);
    expect(a.verify.workerMessages).toBeGreaterThanOrEqual(2);
    // Each SM2 check was shared with a worker, which answered (the first one also started it); the calling thread
    // may have checked every signature itself meanwhile (SharedCheck), so no count of the worker's checks.
    for (const n of sm2Messages) expect(n).toBeGreaterThanOrEqual(1);
    expect(a.workersStarted).toBeGreaterThanOrEqual(3);
  } else {
    expect(a.workersStarted).toBe(0);
    expect(a.ingest.workerMessages + a.signing.workerMessages + a.verify.workerMessages).toBe(0);
    expect(sm2Messages).toEqual([0, 0, 0, 0, 0]);
  }
}

describe('worker-backed features in every kind of host (issue 20)', () => {
  it('a plain ESM host file', async () => {
    expectRight(answer(await node([file('host.mjs', ESM_HOST)])), true);
  });

  it('node --input-type=module -e "…" (the host of the original report)', async () => {
    expectRight(answer(await node(['--input-type=module', '-e', ESM_HOST])), true);
  });

  it('node --import tsx, running the TypeScript sources', async () => {
    const host = file(
      'host.mts',
      `import * as el from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))};
import * as cr from ${JSON.stringify(join(ROOT, 'src', 'entries', 'crypto.ts'))};
import { embedder } from ${JSON.stringify(EMBEDDER)};
await embedder(el, cr);
`,
    );
    expectRight(answer(await node(['--import', 'tsx', host])), true);
  });

  it('node --experimental-loader (a host with module hooks)', async () => {
    const loader = file(
      'loader.mjs',
      'export async function resolve(s, c, next) { return next(s, c); }\nexport async function load(u, c, next) { return next(u, c); }\n',
    );
    const run = await node([
      '--no-warnings',
      '--experimental-loader',
      pathToFileURL(loader).href,
      file('host2.mjs', ESM_HOST),
    ]);
    expectRight(answer(run), true);
  });

  it('a CommonJS host that loads the package with import()', async () => {
    const host = file(
      'host.cjs',
      `'use strict';
const { pathToFileURL } = require('node:url');
Promise.all([import(pathToFileURL(${JSON.stringify(EMBEDDER)}).href), import(${JSON.stringify(DIST)}), import(${JSON.stringify(DIST_CRYPTO)})])
  .then(([{ embedder }, el, cr]) => embedder(el, cr))
  .catch((err) => { console.error(err); process.exitCode = 1; });
`,
    );
    expectRight(answer(await node([host])), true);
  });

  it('an esbuild single-file bundle of host and package', async () => {
    const entry = file(
      'bundle-entry.mjs',
      `import * as el from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
import * as cr from ${JSON.stringify(join(ROOT, 'dist', 'crypto.js'))};
import { embedder } from ${JSON.stringify(EMBEDDER)};
await embedder(el, cr);
`,
    );
    const out = join(work, 'bundle.mjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      // The LevelDB binding is a native addon: it stays a package, as in any bundled deployment.
      external: ['classic-level'],
      nodePaths: [join(ROOT, 'node_modules')],
      // Bundled CommonJS dependencies call require(): the usual banner for an ESM bundle.
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
      logLevel: 'silent',
    });
    const code = readFileSync(out, 'utf8');
    // One file: nothing imported but builtins and the native binding.
    const imports = [...code.matchAll(/^import .* from ["']([^"']+)["']/gm)].map((m) => m[1]!);
    expect(imports.filter((s) => !isBuiltin(s) && s !== 'classic-level')).toEqual([]);
    expect(code).not.toContain(join(ROOT, 'dist'));
    // The SM2 library travels inside (inlined by the build), not read from node_modules at run time.
    expect(code).toContain('SmCryptoV2');
    expect(code).not.toContain('sm-crypto-v2/dist/index.umd.js');
    // classic-level resolves from the repository's node_modules, as the deployed app's would.
    const bundled = join(ROOT, '.tmp', `hosts-bundle-${process.pid}.mjs`);
    writeFileSync(bundled, code);
    try {
      expectRight(answer(await node([bundled])), true);
    } finally {
      rmSync(bundled, { force: true });
    }
  });

  it('a host under the permission model without --allow-worker: the same answers, on the calling thread', async () => {
    const run = await node([
      '--experimental-permission',
      '--allow-fs-read=*',
      '--allow-fs-write=*',
      '--allow-addons',
      '--no-warnings',
      file('host3.mjs', ESM_HOST),
    ]);
    expectRight(answer(run), false);
  });
});
