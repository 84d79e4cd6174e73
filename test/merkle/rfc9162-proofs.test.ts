/**
 * Plans + materialize against the RFC 9162 oracle (oracle.ts): same proofs, they verify, and any single change to
 * proof, leaf, root, index or size makes verification fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, utf8 } from '../../src/bytes';
import { CryptoError } from '../../src/errors';
import {
  consistencyProofPlan,
  foldNodes,
  inclusionProofPlan,
  materialize,
  materializeAsync,
  type NodeId,
  rootFromInclusionProof,
  rootFromLeafHashes,
  rootPlan,
  verifyConsistency,
  verifyInclusion,
} from '../../src/merkle';
import { leaf, mth, path, proof, sha256 } from './oracle';

const MAX = 2000;
const leaves = Array.from({ length: MAX }, (_, i) => leaf(utf8(`entry ${i}`)));

// Perfect-node store of the one growing log: a node's hash does not depend on the tree size.
const store = new Map<string, Uint8Array>();
function get(id: NodeId): Uint8Array {
  const key = `${id.level}/${id.index}`;
  let h = store.get(key);
  if (!h) {
    h =
      id.level === 0
        ? leaves[id.index]!
        : mth(leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level));
    store.set(key, h);
  }
  return h;
}

const roots: Uint8Array[] = [];
function rootOf(n: number): Uint8Array {
  roots[n] ??= mth(leaves.slice(0, n));
  return roots[n]!;
}

const eqList = (a: readonly Uint8Array[], b: readonly Uint8Array[]) =>
  a.length === b.length && a.every((x, i) => bytesEqual(x, b[i]!));

function flip(b: Uint8Array, bit: number): Uint8Array {
  const c = b.slice();
  c[(bit >> 3) % c.length]! ^= 1 << (bit & 7);
  return c;
}

/** true / false, or 'bad' for a coded structural rejection; anything else is a test failure. */
function run(f: () => boolean): boolean | 'bad' {
  try {
    return f();
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'CRYPTO_BAD_PROOF') return 'bad';
    throw err;
  }
}

function checkInclusion(i: number, n: number, bit: number): void {
  const got = materialize(sha256, inclusionProofPlan(i, n), get);
  const want = path(i, leaves.slice(0, n));
  expect(eqList(got, want)).toBe(true);
  const root = rootOf(n);
  expect(verifyInclusion(sha256, i, n, leaves[i]!, got, root)).toBe(true);
  expect(bytesEqual(rootFromInclusionProof(sha256, i, n, leaves[i]!, got), root)).toBe(true);
  // Every single-bit flip of every proof element.
  for (let e = 0; e < got.length; e++) {
    const bad = got.slice();
    bad[e] = flip(got[e]!, bit);
    expect(verifyInclusion(sha256, i, n, leaves[i]!, bad, root)).toBe(false);
  }
  expect(verifyInclusion(sha256, i, n, flip(leaves[i]!, bit), got, root)).toBe(false);
  expect(verifyInclusion(sha256, i, n, leaves[i]!, got, flip(root, bit))).toBe(false);
  // Another index (with that index's own leaf): the proof of i is not a proof of j.
  for (const j of [i - 1, i + 1, i ^ 1]) {
    if (j < 0 || j >= n || j === i) continue;
    expect(run(() => verifyInclusion(sha256, j, n, leaves[j]!, got, root))).not.toBe(true);
    expect(run(() => verifyInclusion(sha256, j, n, leaves[i]!, got, root))).not.toBe(true);
  }
  // Another size, against that size's true root: accepted only if the proofs are the same list.
  for (const m of [n - 1, n + 1, n * 2]) {
    if (m <= i || m > MAX || m === n) continue;
    const r = run(() => verifyInclusion(sha256, i, m, leaves[i]!, got, rootOf(m)));
    expect(r).toBe(r === 'bad' ? 'bad' : eqList(got, path(i, leaves.slice(0, m))));
  }
}

function checkConsistency(m: number, n: number, bit: number): void {
  const got = materialize(sha256, consistencyProofPlan(m, n), get);
  const want = proof(m, leaves.slice(0, n));
  expect(eqList(got, want)).toBe(true);
  const r1 = rootOf(m);
  const r2 = rootOf(n);
  expect(verifyConsistency(sha256, m, n, got, r1, r2)).toBe(true);
  for (let e = 0; e < got.length; e++) {
    const bad = got.slice();
    bad[e] = flip(got[e]!, bit);
    expect(verifyConsistency(sha256, m, n, bad, r1, r2)).toBe(false);
  }
  expect(verifyConsistency(sha256, m, n, got, flip(r1, bit), r2)).toBe(false);
  expect(verifyConsistency(sha256, m, n, got, r1, flip(r2, bit))).toBe(false);
  if (m !== n) expect(verifyConsistency(sha256, m, n, got, r2, r1)).toBe(false);
  // Other sizes with their true roots: accepted only if the proof is that pair's proof.
  for (const [a, b] of [
    [m - 1, n],
    [m + 1, n],
    [m, n - 1],
    [m, n + 1],
  ] as const) {
    if (a < 1 || a > b || b > MAX) continue;
    const r = run(() => verifyConsistency(sha256, a, b, got, rootOf(a), rootOf(b)));
    expect(r).toBe(r === 'bad' ? 'bad' : eqList(got, proof(a, leaves.slice(0, b))));
  }
}

describe('RFC 9162 oracle', () => {
  it('roots: rootPlan fold = MTH = rootFromLeafHashes for every n ≤ 300', () => {
    for (let n = 1; n <= 300; n++) {
      const want = rootOf(n);
      expect(bytesEqual(foldNodes(sha256, rootPlan(n).map(get)), want)).toBe(true);
      expect(bytesEqual(rootFromLeafHashes(sha256, leaves.slice(0, n)), want)).toBe(true);
    }
    expect(rootPlan(0)).toEqual([]);
    expect(bytesEqual(rootFromLeafHashes(sha256, []), mth([]))).toBe(true);
  });

  it('exhaustive for n ≤ 40: every i < n, every m ≤ n', () => {
    for (let n = 1; n <= 40; n++) {
      for (let i = 0; i < n; i++) checkInclusion(i, n, (i * 37 + n) % 256);
      for (let m = 1; m <= n; m++) checkConsistency(m, n, (m * 53 + n) % 256);
    }
  });

  it('fast-check: n ≤ 2000, sampled i < n and m ≤ n', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            is: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 12 }),
            ms: fc.array(fc.integer({ min: 1, max: n }), { minLength: 1, maxLength: 12 }),
            bit: fc.integer({ min: 0, max: 255 }),
          }),
        ),
        ({ n, is, ms, bit }) => {
          for (const i of [...is, 0, n - 1]) checkInclusion(i, n, bit);
          for (const m of [...ms, 1, n]) checkConsistency(m, n, bit);
        },
      ),
      { numRuns: 45 },
    );
  });

  it('materializeAsync makes one batched read and gives the same proof', async () => {
    const plan = consistencyProofPlan(123, 1000);
    let calls = 0;
    const got = await materializeAsync(sha256, plan, async (ids) => {
      calls++;
      return ids.map(get);
    });
    expect(calls).toBe(1);
    expect(eqList(got, proof(123, leaves.slice(0, 1000)))).toBe(true);
    await expect(materializeAsync(sha256, plan, async () => [])).rejects.toThrow(RangeError);
  });
});

describe('structural rejections are coded', () => {
  const h = leaves[0]!;
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err instanceof CryptoError ? err.code : (err as Error).name;
    }
    return 'no throw';
  };
  it('inclusion', () => {
    expect(code(() => verifyInclusion(sha256, 1, 1, h, [], h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, -1, 1, h, [], h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, 0.5, 2, h, [h], h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, 0, 2 ** 53, h, [], h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, 0, 2, h, [], h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, 0, 2, h, [h, h], h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, 0, 2, h, [h.subarray(1)], h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, 0, 2, h, [h], h.subarray(1)))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyInclusion(sha256, 0, 2, h, 'x' as never, h))).toBe('TypeError');
  });
  it('consistency', () => {
    expect(code(() => verifyConsistency(sha256, 2, 1, [], h, h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyConsistency(sha256, 0, 0, [], h, h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyConsistency(sha256, 0, 3, [], h, h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyConsistency(sha256, 3, 3, [h], h, h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyConsistency(sha256, 3, 4, [h], h, h))).toBe('CRYPTO_BAD_PROOF');
    expect(code(() => verifyConsistency(sha256, 3, 4, [h, h, h], h, new Uint8Array(31)))).toBe(
      'CRYPTO_BAD_PROOF',
    );
    expect(verifyConsistency(sha256, 3, 3, [], h, h)).toBe(true);
  });
  it('plans refuse impossible sizes with RangeError', () => {
    expect(() => inclusionProofPlan(3, 3)).toThrow(RangeError);
    expect(() => consistencyProofPlan(0, 3)).toThrow(RangeError);
    expect(() => consistencyProofPlan(4, 3)).toThrow(RangeError);
    expect(() => rootPlan(2 ** 53)).toThrow(RangeError);
    expect(consistencyProofPlan(5, 5)).toEqual([]);
  });
});
