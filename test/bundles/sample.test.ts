/** Reproducible sampling (docs/FORMAT.md §Sampling): an independent re-implementation, pinned vectors, chi-square. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portableSuite } from '../../src/crypto/portable';
import { sampleIndices, sampleSeed, selectSample } from '../../src/bundles/sample';

const BODY = 'ledger.jcwjw.example/penalty\n79\ntMbVUbVhcG8+IvBak1WFifK48nQ+RX4ppMbLqy4+/4U=\n';
const NONCE = new Uint8Array(16).map((_, i) => i + 1);

/** Written from the FORMAT.md text with node:crypto and BigInt, sharing no code with src/bundles/sample.ts. */
function reference(body: string, nonce: Uint8Array, n: number, k: number): number[] {
  const b = Buffer.from(body, 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUInt64BE(BigInt(b.length));
  const seed = createHash('sha256')
    .update(Buffer.concat([Buffer.from('enforcement-ledger/sample/v1\0'), len, b, Buffer.from(nonce)]))
    .digest();
  let stream = Buffer.alloc(0);
  let counter = 0n;
  let pos = 0;
  const take = (nb: number): bigint => {
    while (stream.length - pos < nb) {
      const c = Buffer.alloc(8);
      c.writeBigUInt64BE(counter++);
      stream = Buffer.concat([
        stream.subarray(pos),
        createHash('sha256')
          .update(Buffer.concat([seed, c]))
          .digest(),
      ]);
      pos = 0;
    }
    const v = BigInt(`0x${stream.subarray(pos, pos + nb).toString('hex')}`);
    pos += nb;
    return v;
  };
  const below = (m: number): number => {
    if (m === 1) return 0;
    const bits = (m - 1).toString(2).length;
    const nb = Math.ceil(bits / 8);
    for (;;) {
      const v = take(nb) & ((1n << BigInt(bits)) - 1n);
      if (v < BigInt(m)) return Number(v);
    }
  };
  const a = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + below(n - i);
    const vj = a.get(j) ?? j;
    a.set(j, a.get(i) ?? i);
    out.push(vj);
  }
  return out;
}

describe('sampleSeed and sampleIndices', () => {
  it('match an independent implementation of the documented algorithm', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 12 }),
        (nonce, n, k0) => {
          const k = Math.min(k0, n);
          const seed = sampleSeed(BODY, nonce);
          expect(sampleIndices(seed, n, k)).toEqual(reference(BODY, nonce, n, k));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same selection on any machine (pinned vector) and with either hash implementation', () => {
    const seed = sampleSeed(BODY, NONCE);
    expect(Buffer.from(seed).toString('hex')).toBe(
      createHash('sha256')
        .update(
          Buffer.concat([
            Buffer.from('enforcement-ledger/sample/v1\0'),
            Buffer.from([0, 0, 0, 0, 0, 0, 0, BODY.length]),
            Buffer.from(BODY),
            NONCE,
          ]),
        )
        .digest('hex'),
    );
    const pinned = sampleIndices(seed, 1000, 8);
    expect(pinned).toEqual(PINNED);
    expect(sampleIndices(sampleSeed(BODY, NONCE, portableSuite.hash), 1000, 8, portableSuite.hash)).toEqual(
      pinned,
    );
  });

  it('changes with the checkpoint or the nonce', () => {
    const pop = Array.from({ length: 500 }, (_, i) => `C-${String(i).padStart(4, '0')}`);
    const base = selectSample(pop, BODY, NONCE, 10).selected;
    const otherBody = BODY.replace('\n79\n', '\n80\n');
    const otherNonce = NONCE.slice();
    otherNonce[15]! ^= 1;
    expect(selectSample(pop, otherBody, NONCE, 10).selected).not.toEqual(base);
    expect(selectSample(pop, BODY, otherNonce, 10).selected).not.toEqual(base);
    expect(selectSample(pop, BODY, NONCE, 10).selected).toEqual(base);
  });

  it('draws k distinct members within range', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 300 }),
        fc.nat(),
        (seed, n, k0) => {
          const k = n === 0 ? 0 : k0 % (n + 1);
          const idx = sampleIndices(seed, n, k);
          expect(idx).toHaveLength(k);
          expect(new Set(idx).size).toBe(k);
          for (const i of idx) expect(i >= 0 && i < n).toBe(true);
          if (k === n) expect([...idx].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
    );
  });

  it('is uniform: chi-square over 20,000 seeds, per member and per ordered first pair', () => {
    // N = 10 (not a power of two: a modulo shortcut would be biased), k = 3.
    const N = 10;
    const K = 3;
    const SEEDS = 20_000;
    const member = new Array(N).fill(0);
    const first = new Array(N).fill(0);
    const pair = new Array(N * N).fill(0);
    for (let s = 0; s < SEEDS; s++) {
      const nonce = new Uint8Array(16);
      new DataView(nonce.buffer).setUint32(12, s);
      const idx = sampleIndices(sampleSeed(BODY, nonce), N, K);
      for (const i of idx) member[i]++;
      first[idx[0]!]++;
      pair[idx[0]! * N + idx[1]!]++;
    }
    const chi2 = (obs: number[], expected: number) =>
      obs.reduce((a, o) => a + (o - expected) ** 2 / expected, 0);
    // Critical values at p = 0.001: df 9 → 27.88; df 89 → 136.0.
    expect(chi2(member, (SEEDS * K) / N)).toBeLessThan(27.88);
    expect(chi2(first, SEEDS / N)).toBeLessThan(27.88);
    const pairs = pair.filter((_, i) => Math.floor(i / N) !== i % N);
    expect(chi2(pairs, SEEDS / (N * (N - 1)))).toBeLessThan(136.0);
    // And a biased selector (modulo of one byte) is caught by the same bound with this many draws at N = 96.
    const biased = new Array(96).fill(0);
    for (let s = 0; s < SEEDS; s++) {
      const nonce = new Uint8Array(16);
      new DataView(nonce.buffer).setUint32(12, s);
      biased[sampleSeed(BODY, nonce)[0]! % 96]++;
    }
    expect(chi2(biased, SEEDS / 96)).toBeGreaterThan(124.1 /* df 95, p = 0.025 */);
  });

  it('refuses an unsorted population, a short nonce and k beyond the population', () => {
    expect(() => selectSample(['b', 'a'], BODY, NONCE, 1)).toThrow(RangeError);
    expect(() => selectSample(['a', 'a'], BODY, NONCE, 1)).toThrow(RangeError);
    expect(() => selectSample(['a'], BODY, NONCE.subarray(0, 15), 1)).toThrow(RangeError);
    expect(() => selectSample(['a'], BODY, NONCE, 2)).toThrow(RangeError);
  });
});

/** Computed with Python hashlib from the FORMAT.md text (independent of both TypeScript implementations). */
const PINNED: number[] = [638, 808, 977, 143, 363, 402, 316, 10];
