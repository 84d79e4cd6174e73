/**
 * Crypto suite bench: SHA-256 (64-byte messages, 16 MiB buffers) and Ed25519 sign / verify, node:crypto vs @noble.
 * Each cell is the median of 5 timed runs after a warm-up. Run: npx tsx bench/crypto.ts [--quick]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createNodeSigner, nodeSuite } from '../src/crypto/node';
import { ed } from '../src/crypto/noble';
import { createPortableSigner, portableSuite } from '../src/crypto/portable';
import type { CryptoSuite, Signer } from '../src/crypto/types';
import { header, opsPerSecond, table } from './util';

const quick = process.argv.includes('--quick');
const loadAtStart = loadavg()[0]!;
const RUNS = 5;
const RUN_MS = quick ? 100 : 500;

const rate = (op: () => unknown, batch = 1) => opsPerSecond(op, { batch, runs: RUNS, runMs: RUN_MS });

const small = Array.from({ length: 1024 }, () => new Uint8Array(randomBytes(64)));
const big = new Uint8Array(randomBytes(16 * 2 ** 20));
const message = new Uint8Array(randomBytes(256));
const seed = new Uint8Array(randomBytes(32));

function hashSmall(suite: CryptoSuite): () => void {
  return () => {
    for (const m of small) suite.hash(m);
  };
}
function signRate(signer: Signer): () => Promise<unknown> {
  return () => signer.sign(message);
}

const nodeSigner = createNodeSigner(seed);
const nobleSigner = createPortableSigner(seed);
const signature = await nodeSigner.sign(message);
const verifyWith = (suite: CryptoSuite) => () => {
  if (!suite.verify(nodeSigner.publicKey, message, signature)) throw new Error('verify failed');
};

const rows: Array<[string, number, number, string]> = [];
async function row(
  name: string,
  node: () => unknown,
  noble: () => unknown,
  batch: number,
  unit: number,
  fmt: string,
) {
  const a = (await rate(node, batch)) / unit;
  const b = (await rate(noble, batch)) / unit;
  rows.push([`${name} (${fmt})`, a, b, `${(a / b).toFixed(1)}×`]);
}

await row(
  'SHA-256, 64-byte messages',
  hashSmall(nodeSuite),
  hashSmall(portableSuite),
  small.length,
  1e6,
  'M ops/s',
);
await row(
  'SHA-256, 16 MiB buffers',
  () => nodeSuite.hash(big),
  () => portableSuite.hash(big),
  big.length,
  1e9,
  'GB/s',
);
await row('Ed25519 sign, 256-byte message', signRate(nodeSigner), signRate(nobleSigner), 1, 1e3, 'k ops/s');
await row(
  'Ed25519 verify, 256-byte message',
  verifyWith(nodeSuite),
  verifyWith(portableSuite),
  1,
  1e3,
  'k ops/s',
);

// Our cofactorless portable verify vs noble's own strict (cofactored) verify, to show what agreement costs.
const nobleOwn = await rate(() => ed.verify(signature, message, nodeSigner.publicKey, { zip215: false }));
const ours = await rate(verifyWith(portableSuite));

console.log(header('Crypto suite: node:crypto vs @noble', 'npx tsx bench/crypto.ts'));
console.log(
  `Median of ${RUNS} runs of ${RUN_MS} ms each; Signer.sign measured through its async API. ` +
    `1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end.\n`,
);
console.log(
  table(
    ['operation', 'node:crypto', '@noble', 'node/noble'],
    rows.map(([n, a, b, r]) => [n, a, b, r]),
  ),
);
console.log(
  `\nportableSuite.verify ${(ours / 1e3).toFixed(2)} k ops/s vs noble ed.verify({ zip215: false }) ${(nobleOwn / 1e3).toFixed(2)} k ops/s.`,
);
