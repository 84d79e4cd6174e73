/**
 * 国密 bench (issue 15): the sm2-sm3 suite beside ed25519-sha256, each number beside its floor or peer measured in
 * the same run.
 * - SM3 throughput on 16 MiB buffers: node:crypto (OpenSSL) and sm-crypto-v2 against `openssl speed -elapsed -evp sm3`
 *   (the same OpenSSL code without Node; the floor for media hashing), SHA-256 beside it;
 * - SM2 sign and verify (fresh key, and with the key's precomputed tables) against `openssl speed sm2` (native
 *   OpenSSL SM2 on one core: the ceiling for verify), Ed25519 on node:crypto beside it;
 * - ledger append and full verify of an sm2-sm3 ledger against an ed25519-sha256 one (memory store, same bodies).
 * Run: npx tsx bench/gm.ts [--quick]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { MemoryLevel } from 'memory-level';
import { utf8 } from '../src/bytes';
import { nodeSuite } from '../src/crypto/node';
import { nodeSm3 } from '../src/crypto/node-sm2';
import { suiteById } from '../src/crypto/node-registry';
import { portableSm3 } from '../src/crypto/sm3';
import type { SuiteId } from '../src/crypto/types';
import { Ledger } from '../src/ledger';
import type { KindDefinition } from '../src/ledger/types';
import { header, median, opsPerSecond, table } from './util';

const quick = process.argv.includes('--quick');
const loadAtStart = loadavg()[0]!;
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
function opensslSm2(): { sign: number; verify: number } {
  const m = /SM2 \(CurveSM2\)\s+\S+s\s+\S+s\s+([0-9.]+)\s+([0-9.]+)/.exec(opensslSpeed(['sm2']));
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

// ---- Ledger append and verify.
const noteKind: KindDefinition = { kind: 'bench/note', roles: ['officer'], validate: () => [] };
const N = quick ? 300 : 1500;
async function ledgerRates(id: SuiteId): Promise<{ append: number; verify: number }> {
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
  t = performance.now();
  const report = await ledger.verify({ workers: 0 });
  const verify = (ledger.size * 1000) / (performance.now() - t);
  if (report.problems.length) throw new Error(`${id}: verify found ${report.problems.length} problems`);
  await ledger.close();
  return { append, verify };
}
const runs: Record<SuiteId, { append: number[]; verify: number[] }> = {
  'ed25519-sha256': { append: [], verify: [] },
  'sm2-sm3': { append: [], verify: [] },
};
for (let r = 0; r < (quick ? 1 : 3); r++)
  for (const id of ['ed25519-sha256', 'sm2-sm3'] as const) {
    const x = await ledgerRates(id);
    runs[id].append.push(x.append);
    runs[id].verify.push(x.verify);
  }
const edA = median(runs['ed25519-sha256'].append);
const edV = median(runs['ed25519-sha256'].verify);
const smA = median(runs['sm2-sm3'].append);
const smV = median(runs['sm2-sm3'].verify);
out.push(
  table(
    [
      `ledger, ${N} entries in batches of 100 (memory store, one thread)`,
      'ed25519-sha256 /s',
      'sm2-sm3 /s',
      'sm2-sm3 ÷ ed25519',
    ],
    [
      ['append (sign + check signature + store)', edA, smA, `${(smA / edA).toFixed(2)}×`],
      ['full verify (workers: 0)', edV, smV, `${(smV / edV).toFixed(2)}×`],
      [
        'verify vs SM2 verify ceiling (openssl speed sm2)',
        '—',
        smV,
        `${(smV / ceiling.verify).toFixed(2)}× of ${ceiling.verify.toFixed(0)}/s`,
      ],
    ],
  ),
);
out.push(`load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
console.log(out.join('\n\n'));
