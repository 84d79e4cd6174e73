/**
 * 国密 bench (issue 15): the sm2-sm3 suite beside ed25519-sha256, each number beside its floor or peer measured in
 * the same run.
 * - SM3 throughput on 16 MiB buffers: node:crypto (OpenSSL) and sm-crypto-v2 against `openssl speed -elapsed -evp sm3`
 *   (the same OpenSSL code without Node; the floor for media hashing), SHA-256 beside it;
 * - SM3 of a 64 MiB file as the content store reads it (streaming, node:crypto) against `openssl dgst -sm3` of the
 *   same file (wall time, process start included);
 * - SM2 sign and verify (fresh key, and with the key's precomputed tables) against `openssl speed sm2` (native
 *   OpenSSL SM2 on one core: the ceiling for verify), Ed25519 on node:crypto beside it;
 * - SM2 verify on the worker pool (SignaturePool, as ledger verify uses it) against two ceilings measured in the
 *   same run: OpenSSL's one-core SM2 verify × the workers, and sm-crypto-v2's own one-thread verify (precomputed
 *   key) × the workers; the Ed25519 pool beside it;
 * - ledger append (one thread, and signed by createPooledSigner) and full verify (one thread, and on the pool) of an
 *   sm2-sm3 ledger against an ed25519-sha256 one (memory store, same bodies).
 * Run: npx tsx bench/gm.ts [--quick] (also part of `npm run bench`). Run it un-niced on a quiet machine; it prints
 * the load average at start and end.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { concatBytes, toHex, utf8 } from '../src/bytes';
import { nodeSuite } from '../src/crypto/node';
import { nodeSm3 } from '../src/crypto/node-sm2';
import { createStreamingHash, suiteById } from '../src/crypto/node-registry';
import { createPooledSigner } from '../src/crypto/pool-signer';
import { portableSm3 } from '../src/crypto/sm3';
import type { Signer, SuiteId } from '../src/crypto/types';
import { Ledger } from '../src/ledger';
import { SignaturePool, type SigItem } from '../src/ledger/sig-pool';
import type { KindDefinition } from '../src/ledger/types';
import { header, median, opsPerSecond, table } from './util';

const quick = process.argv.includes('--quick');
const loadAtStart = loadavg()[0]!;
const CORES = Math.max(1, availableParallelism());
const RUNS = quick ? 3 : 5;
const RUN_MS = quick ? 200 : 600;

const rate = (op: () => unknown, batch = 1) => opsPerSecond(op, { batch, runs: RUNS, runMs: RUN_MS });

/** `openssl speed` figures: MB/s for a digest at 1 MiB blocks, or sign/s and verify/s for SM2. */
function opensslSpeed(args: string[]): string {
  const r = spawnSync('openssl', ['speed', '-elapsed', '-seconds', quick ? '1' : '2', ...args], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`openssl speed failed: ${r.stderr}`);
  return r.stdout;
}
function opensslDigestMBs(alg: string): number {
  const out = opensslSpeed(['-bytes', String(2 ** 20), '-evp', alg]);
  const m = new RegExp(`^${alg}\\s+([0-9.]+)k`, 'm').exec(out);
  if (!m) throw new Error(`no ${alg} line in openssl speed output`);
  return (Number(m[1]) * 1000) / 1e6;
}
function opensslSm2(processes = 1): { sign: number; verify: number } {
  const args = processes > 1 ? ['-multi', String(processes), 'sm2'] : ['sm2'];
  const m = /SM2 \(CurveSM2\)\s+\S+s\s+\S+s\s+([0-9.]+)\s+([0-9.]+)/.exec(opensslSpeed(args));
  if (!m) throw new Error('no SM2 line in openssl speed output');
  return { sign: Number(m[1]), verify: Number(m[2]) };
}

const out: string[] = [
  header('国密 suite (sm2-sm3) beside ed25519-sha256', `npx tsx bench/gm.ts${quick ? ' --quick' : ''}`),
];

// ---- SM3 throughput.
const big = new Uint8Array(randomBytes(16 * 2 ** 20));
const mbs = (r: number) => (r * big.length) / 1e6;
const sm3Floor = opensslDigestMBs('sm3');
const sm3Node = mbs(await rate(() => nodeSm3(big)));
const sm3Portable = mbs(await rate(() => portableSm3(big)));
const shaFloor = opensslDigestMBs('sha256');
const shaNode = mbs(await rate(() => nodeSuite.hash(big)));
out.push(
  table(
    ['hash (16 MiB buffers)', 'MB/s', 'openssl speed -evp (same run)', 'ratio'],
    [
      ['SM3 node:crypto (Node suite)', sm3Node, sm3Floor, `${(sm3Node / sm3Floor).toFixed(2)}×`],
      ['SM3 sm-crypto-v2 (browser suite)', sm3Portable, sm3Floor, `${(sm3Portable / sm3Floor).toFixed(2)}×`],
      ['SHA-256 node:crypto (for scale)', shaNode, shaFloor, `${(shaNode / shaFloor).toFixed(2)}×`],
    ],
  ),
);

// ---- SM3 of a file, as the content store hashes media: streamed through node:crypto, against `openssl dgst -sm3`.
const work = mkdtempSync(join(tmpdir(), 'el-bench-gm-'));
const FILE_MB = quick ? 32 : 64;
const mediaPath = join(work, 'media.bin');
writeFileSync(mediaPath, randomBytes(FILE_MB * 2 ** 20));
async function streamSm3(): Promise<string> {
  const h = createStreamingHash('sm2-sm3');
  for await (const chunk of createReadStream(mediaPath, { highWaterMark: 2 ** 20 }))
    h.update(chunk as Uint8Array);
  return toHex(h.digest());
}
function dgstSm3(): string {
  const r = spawnSync('openssl', ['dgst', '-sm3', '-r', mediaPath], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl dgst -sm3 failed: ${r.stderr}`);
  return r.stdout.split(' ')[0]!;
}
const oursFile: number[] = [];
const dgstFile: number[] = [];
for (let r = 0; r < RUNS; r++) {
  let t = performance.now();
  const a = await streamSm3();
  oursFile.push((FILE_MB * 2 ** 20) / 1e6 / ((performance.now() - t) / 1000));
  t = performance.now();
  const b = dgstSm3();
  dgstFile.push((FILE_MB * 2 ** 20) / 1e6 / ((performance.now() - t) / 1000));
  if (a !== b) throw new Error(`SM3 of the file differs: ${a} vs openssl ${b}`);
}
rmSync(work, { recursive: true, force: true });
const fileOurs = median(oursFile);
const fileDgst = median(dgstFile);
out.push(
  table(
    [
      `SM3 of a ${FILE_MB} MiB file (median of ${RUNS})`,
      'MB/s',
      '`openssl dgst -sm3` (same file, same run)',
      'ratio',
    ],
    [
      [
        'streamed through node:crypto (content store)',
        fileOurs,
        fileDgst,
        `${(fileOurs / fileDgst).toFixed(2)}×`,
      ],
    ],
  ),
);

// ---- Signatures.
const sm2 = suiteById('sm2-sm3');
const ed = suiteById('ed25519-sha256');
const message = utf8('enforcement-ledger/entry/v1\u0000'.padEnd(200, 'x'));
const sm2Signer = sm2.createSigner(sm2.generatePrivateKey());
const sm2Sig = await sm2Signer.sign(message);
const edSigner = ed.createSigner(ed.generatePrivateKey());
const edSig = await edSigner.sign(message);
const ceiling = opensslSm2();
const sm2Sign = await rate(() => sm2Signer.sign(message));
const sm2Verify = await rate(() => sm2.verify(sm2Signer.publicKey, message, sm2Sig)); // tables built on 4th use
// First use of a key: Z_A computed, no tables (what a one-off cosignature check costs).
const FRESH = quick ? 60 : 200;
const freshKeys = Array.from({ length: FRESH }, () => sm2.createSigner(sm2.generatePrivateKey()));
const freshSigs = await Promise.all(freshKeys.map((s) => s.sign(message)));
const tFresh = performance.now();
for (let i = 0; i < FRESH; i++)
  if (!sm2.verify(freshKeys[i]!.publicKey, message, freshSigs[i]!)) throw new Error('bad');
const sm2VerifyFresh = (FRESH * 1000) / (performance.now() - tFresh);
const edSign = await rate(() => edSigner.sign(message));
const edVerify = await rate(() => ed.verify(edSigner.publicKey, message, edSig));
out.push(
  table(
    ['signatures (one core)', 'ops/s', 'peer in the same run', 'ratio'],
    [
      [
        'SM2 sign (sm-crypto-v2)',
        sm2Sign,
        `openssl speed sm2 sign ${ceiling.sign.toFixed(0)}/s`,
        `${(sm2Sign / ceiling.sign).toFixed(2)}×`,
      ],
      [
        'SM2 verify, precomputed key',
        sm2Verify,
        `openssl speed sm2 verify ${ceiling.verify.toFixed(0)}/s (ceiling)`,
        `${(sm2Verify / ceiling.verify).toFixed(2)}×`,
      ],
      [
        'SM2 verify, first use of each key',
        sm2VerifyFresh,
        `openssl speed sm2 verify ${ceiling.verify.toFixed(0)}/s`,
        `${(sm2VerifyFresh / ceiling.verify).toFixed(2)}×`,
      ],
      ['Ed25519 sign (node:crypto)', edSign, '—', '—'],
      [
        'Ed25519 verify (node:crypto)',
        edVerify,
        `SM2 verify is ${(edVerify / sm2Verify).toFixed(1)}× slower`,
        '—',
      ],
    ],
  ),
);

// ---- SM2 verify on the worker pool (as ledger verify uses it), against ceilings measured in this run.
const POOL_SIGS = quick ? 1024 : 4096;
const POOL_BATCH = 256;
const context = utf8('enforcement-ledger/entry/v1\u0000');
async function poolItems(suite: typeof sm2, signer: Signer): Promise<SigItem[]> {
  const items: SigItem[] = [];
  for (let i = 0; i < POOL_SIGS; i++) {
    const entryBytes = utf8(`entry ${i} `.padEnd(200, 'x'));
    items.push({
      publicKey: signer.publicKey,
      entryBytes,
      signature: await signer.sign(concatBytes(context, entryBytes)),
    });
  }
  if (!suite.verify(signer.publicKey, concatBytes(context, items[0]!.entryBytes), items[0]!.signature))
    throw new Error('bad pool item');
  return items;
}
/** A pool of `workers` for `alg` over `items`: batches of 256, all in flight; `run()` gives signatures per second. */
async function openPool(alg: 'sm2' | 'ed25519', items: SigItem[], workers: number) {
  const pool = new SignaturePool(context, workers, alg);
  const run = async (): Promise<number> => {
    const t = performance.now();
    const jobs: Array<Promise<boolean[]>> = [];
    for (let i = 0; i < items.length; i += POOL_BATCH) jobs.push(pool.check(items.slice(i, i + POOL_BATCH)));
    const res = (await Promise.all(jobs)).flat();
    if (!res.every(Boolean)) throw new Error(`${alg} pool refused a good signature`);
    return (items.length * 1000) / (performance.now() - t);
  };
  // Cold: worker start, library evaluation and each worker's key tables included.
  const cold = await run();
  if (!pool.usesWorkers) throw new Error(`${alg} pool did not use workers`);
  return { run, cold, close: () => pool.close() };
}
const sm2Items = await poolItems(sm2, sm2Signer);
/** The calling thread over the same items (the suite's verify of context ‖ entry, as the pool's fallback does). */
const HERE_SIGS = quick ? 256 : 1024;
function hereRate(): number {
  const t = performance.now();
  for (let i = 0; i < HERE_SIGS; i++) {
    const it = sm2Items[i]!;
    if (!sm2.verify(it.publicKey, concatBytes(context, it.entryBytes), it.signature)) throw new Error('bad');
  }
  return (HERE_SIGS * 1000) / (performance.now() - t);
}
// Interleaved (calling thread, 2 workers, 1 worker, in turn, RUNS times), so that a change of load in the middle of
// the run does not fall on one of them only. One worker against the calling thread shows what the worker path itself
// costs (the library evaluated from text, the hop), apart from how many free cores the machine has.
const poolN = await openPool('sm2', sm2Items, CORES);
const pool1 = await openPool('sm2', sm2Items, 1);
const hereRuns: number[] = [];
const nRuns: number[] = [];
const oneRuns: number[] = [];
for (let r = 0; r < RUNS; r++) {
  hereRuns.push(hereRate());
  nRuns.push(await poolN.run());
  oneRuns.push(await pool1.run());
}
await poolN.close();
await pool1.close();
const sm2Here = median(hereRuns);
const sm2Pool = { warm: median(nRuns), cold: poolN.cold };
const sm2Pool1 = { warm: median(oneRuns) };
const edPoolHandle = await openPool('ed25519', await poolItems(ed, edSigner), CORES);
const edRuns: number[] = [];
for (let r = 0; r < RUNS; r++) edRuns.push(await edPoolHandle.run());
await edPoolHandle.close();
const edPool = { warm: median(edRuns) };
const opensslCeiling = ceiling.verify * CORES;
// What OpenSSL gets from CORES processes at once, measured now: on a shared machine (and with the kernel's
// autogroup scheduling, where a session's threads share one slice) this, not the one-core rate × CORES, is the
// parallel ceiling actually available to this run.
const multi = opensslSm2(CORES);
const libCeiling = sm2Here * CORES;
out.push(
  table(
    [
      `signature checks on the pool (${CORES} workers, ${POOL_SIGS} signatures, one key)`,
      'sig/s',
      'ceiling (same run)',
      'ratio',
    ],
    [
      [
        'SM2 verify on workers, warm',
        sm2Pool.warm,
        `openssl speed sm2 verify ${ceiling.verify.toFixed(0)}/s × ${CORES} = ${opensslCeiling.toFixed(0)}/s`,
        `${(sm2Pool.warm / opensslCeiling).toFixed(2)}×`,
      ],
      [
        'SM2 verify on workers, warm',
        sm2Pool.warm,
        `sm-crypto-v2 one thread ${sm2Here.toFixed(0)}/s × ${CORES} = ${libCeiling.toFixed(0)}/s`,
        `${(sm2Pool.warm / libCeiling).toFixed(2)}×`,
      ],
      [
        'SM2 verify on workers, warm',
        sm2Pool.warm,
        `openssl speed -multi ${CORES} sm2 verify ${multi.verify.toFixed(0)}/s (${CORES} processes at once)`,
        `${(sm2Pool.warm / multi.verify).toFixed(2)}×`,
      ],
      [
        'SM2 verify on workers, cold (start, library, key tables)',
        sm2Pool.cold,
        `openssl speed sm2 verify × ${CORES} = ${opensslCeiling.toFixed(0)}/s`,
        `${(sm2Pool.cold / opensslCeiling).toFixed(2)}×`,
      ],
      [
        'SM2 verify on workers vs one thread (same library)',
        sm2Pool.warm,
        `calling thread ${sm2Here.toFixed(0)}/s (interleaved)`,
        `${(sm2Pool.warm / sm2Here).toFixed(2)}×`,
      ],
      [
        'SM2 verify on 1 worker vs one thread (the worker path’s own cost)',
        sm2Pool1.warm,
        `calling thread ${sm2Here.toFixed(0)}/s (interleaved)`,
        `${(sm2Pool1.warm / sm2Here).toFixed(2)}×`,
      ],
      [
        'Ed25519 verify on workers, warm (for scale)',
        edPool.warm,
        `SM2 on workers is ${(edPool.warm / sm2Pool.warm).toFixed(1)}× slower`,
        `${(edPool.warm / edVerify).toFixed(2)}× of one thread`,
      ],
    ],
  ),
);

// ---- Ledger append and verify.
const noteKind: KindDefinition = { kind: 'bench/note', roles: ['officer'], validate: () => [] };
const N = quick ? 300 : 1500;
interface LedgerRates {
  append: number;
  appendPooled: number;
  verify: number;
  verifyPool: number;
}
async function ledgerRates(id: SuiteId): Promise<LedgerRates> {
  const suite = suiteById(id);
  const root = suite.createSigner(suite.generatePrivateKey());
  const officer = suite.createSigner(suite.generatePrivateKey());
  const ledger = await Ledger.create(new MemoryLevel<Uint8Array, Uint8Array>(), {
    origin: `bench.example/${id}`,
    signer: root,
    kinds: [noteKind],
  });
  await ledger.registerKey({ publicKey: officer.publicKey, principal: 'o', roles: ['officer'] }, root);
  const body = (i: number) => ({ topic: `case-${i % 50}`, text: `record ${i} `.padEnd(200, 'x') });
  let t = performance.now();
  for (let b = 0; b < N; b += 100)
    await Promise.all(
      Array.from({ length: Math.min(100, N - b) }, (_, i) =>
        ledger.append({ kind: 'bench/note', body: body(b + i) }, officer),
      ),
    );
  const append = (N * 1000) / (performance.now() - t);
  // The same appends signed on worker threads (the officer's key in a pooled signer).
  const officerKey = suite.generatePrivateKey();
  const pooledOfficer = createPooledSigner(officerKey, { suite: id });
  await ledger.registerKey({ publicKey: pooledOfficer.publicKey, principal: 'p', roles: ['officer'] }, root);
  t = performance.now();
  for (let b = 0; b < N; b += 100)
    await Promise.all(
      Array.from({ length: Math.min(100, N - b) }, (_, i) =>
        ledger.append({ kind: 'bench/note', body: body(N + b + i) }, pooledOfficer),
      ),
    );
  const appendPooled = (N * 1000) / (performance.now() - t);
  if (!pooledOfficer.usesWorkers) throw new Error(`${id}: pooled signer did not use workers`);
  await pooledOfficer.close();
  t = performance.now();
  const report = await ledger.verify({ workers: 0 });
  const verify = (ledger.size * 1000) / (performance.now() - t);
  if (report.problems.length) throw new Error(`${id}: verify found ${report.problems.length} problems`);
  t = performance.now();
  const pooled = await ledger.verify({ workers: CORES });
  const verifyPool = (ledger.size * 1000) / (performance.now() - t);
  if (pooled.problems.length)
    throw new Error(`${id}: verify on workers found ${pooled.problems.length} problems`);
  await ledger.close();
  return { append, appendPooled, verify, verifyPool };
}
const runs: Record<SuiteId, LedgerRates[]> = { 'ed25519-sha256': [], 'sm2-sm3': [] };
for (let r = 0; r < (quick ? 1 : 3); r++)
  for (const id of ['ed25519-sha256', 'sm2-sm3'] as const) runs[id].push(await ledgerRates(id));
const med = (id: SuiteId, k: keyof LedgerRates) => median(runs[id].map((x) => x[k]));
const edA = med('ed25519-sha256', 'append');
const edV = med('ed25519-sha256', 'verify');
const smA = med('sm2-sm3', 'append');
const smV = med('sm2-sm3', 'verify');
const edAP = med('ed25519-sha256', 'appendPooled');
const smAP = med('sm2-sm3', 'appendPooled');
const edVP = med('ed25519-sha256', 'verifyPool');
const smVP = med('sm2-sm3', 'verifyPool');
out.push(
  table(
    [
      `ledger, ${N} + ${N} entries in batches of 100 (memory store)`,
      'ed25519-sha256 /s',
      'sm2-sm3 /s',
      'sm2-sm3 ÷ ed25519',
    ],
    [
      ['append (sign + check signature + store)', edA, smA, `${(smA / edA).toFixed(2)}×`],
      ['append, signed by createPooledSigner', edAP, smAP, `${(smAP / edAP).toFixed(2)}×`],
      ['full verify (workers: 0)', edV, smV, `${(smV / edV).toFixed(2)}×`],
      [`full verify (workers: ${CORES})`, edVP, smVP, `${(smVP / edVP).toFixed(2)}×`],
      [
        'sm2-sm3 verify, one thread, vs one-core SM2 ceiling (openssl speed sm2)',
        '—',
        smV,
        `${(smV / ceiling.verify).toFixed(2)}× of ${ceiling.verify.toFixed(0)}/s`,
      ],
      [
        `sm2-sm3 verify on ${CORES} workers vs ${CORES}-core SM2 ceiling (openssl speed sm2 × ${CORES})`,
        '—',
        smVP,
        `${(smVP / opensslCeiling).toFixed(2)}× of ${opensslCeiling.toFixed(0)}/s`,
      ],
      [
        `sm2-sm3 verify on ${CORES} workers vs openssl speed -multi ${CORES} sm2 (measured above)`,
        '—',
        smVP,
        `${(smVP / multi.verify).toFixed(2)}× of ${multi.verify.toFixed(0)}/s`,
      ],
    ],
  ),
);
out.push(`load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
console.log(out.join('\n\n'));
