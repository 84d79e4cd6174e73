/**
 * Index maths at sizes up to 2^53 − 1, where 32-bit bitwise operators would silently wrap. Two checks: coverage
 * (each plan group is the perfect decomposition of the range the RFC recursion names) and a uniform-tree oracle:
 * with every leaf equal, the RFC 9162 MTH / PATH / SUBPROOF of any size can be computed recursively in O(log² n), so
 * proofs for huge trees can be materialized, compared and verified.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../src/bytes';
import {
  consistencyProofLength,
  consistencyProofPlan,
  foldNodes,
  hashChildren,
  inclusionProofLength,
  inclusionProofPlan,
  materialize,
  type NodeId,
  rangeNodes,
  rootPlan,
  verifyConsistency,
  verifyInclusion,
} from '../../src/merkle';
import { leaf, sha256 } from './oracle';

const MAX = Number.MAX_SAFE_INTEGER;
const big = fc.oneof(
  fc.integer({ min: 1, max: MAX }),
  fc.integer({ min: 0, max: 52 }).map((e) => 2 ** e),
  fc.integer({ min: 1, max: 53 }).map((e) => 2 ** e - 1),
  fc.integer({ min: 1, max: 52 }).map((e) => 2 ** e + 1),
);

function k(n: number): number {
  let p = 1;
  while (p * 2 < n) p *= 2;
  return p;
}

// Uniform tree: every leaf is L, the perfect node of level l is P[l].
const L = leaf(new Uint8Array([7]));
const P: Uint8Array[] = [L];
for (let l = 1; l <= 53; l++) P.push(hashChildren(sha256, P[l - 1]!, P[l - 1]!));
const memo = new Map<number, Uint8Array>();
function mth(n: number): Uint8Array {
  if (n === 1) return L;
  let h = memo.get(n);
  if (!h) {
    const s = k(n);
    h = hashChildren(sha256, mth(s), mth(n - s));
    memo.set(n, h);
  }
  return h;
}
function path(m: number, n: number): Uint8Array[] {
  if (n === 1) return [];
  const s = k(n);
  return m < s ? [...path(m, s), mth(n - s)] : [...path(m - s, n - s), mth(s)];
}
function subproof(m: number, n: number, b: boolean): Uint8Array[] {
  if (m === n) return b ? [] : [mth(n)];
  const s = k(n);
  return m <= s ? [...subproof(m, s, b), mth(n - s)] : [...subproof(m - s, n - s, false), mth(s)];
}
const getUniform = (id: NodeId) => P[id.level]!;
const eqList = (a: Uint8Array[], b: Uint8Array[]) =>
  a.length === b.length && a.every((x, i) => bytesEqual(x, b[i]!));

function covered(ids: NodeId[]): [number, number] {
  let at = ids[0]!.index * 2 ** ids[0]!.level;
  const start = at;
  for (const id of ids) {
    const w = 2 ** id.level;
    expect(id.index * w).toBe(at); // contiguous, aligned
    at += w;
  }
  return [start, at];
}

describe('index maths up to 2^53 − 1', () => {
  it('rangeNodes: aligned, contiguous, covering, maximal', () => {
    fc.assert(
      fc.property(big, big, (x, y) => {
        const [a, b] = x <= y ? [x - 1, y] : [y - 1, x];
        const ids = rangeNodes(a, b);
        if (a === b) return expect(ids).toEqual([]);
        expect(covered(ids)).toEqual([a, b]);
        for (const id of ids) expect(Number.isSafeInteger(id.index)).toBe(true);
        // maximal: no two neighbours are siblings (a left child followed by its right sibling).
        for (let i = 0; i + 1 < ids.length; i++)
          expect(ids[i]!.level === ids[i + 1]!.level && ids[i]!.index % 2 === 0).toBe(false);
        expect(ids.length).toBeLessThanOrEqual(2 * 53);
      }),
      { numRuns: 500 },
    );
  });

  it('inclusion plans: groups partition [0, size) minus the leaf; match the uniform oracle and verify', () => {
    fc.assert(
      fc.property(big, fc.double({ min: 0, max: 1, noNaN: true }), (size, f) => {
        const index = Math.min(size - 1, Math.floor(f * size));
        const plan = inclusionProofPlan(index, size);
        const spans = plan.map(covered).sort((p, q) => p[0] - q[0]);
        let at = 0;
        for (const [a, b] of spans) {
          if (at === index) at++;
          expect(a).toBe(at);
          at = b;
        }
        if (at === index) at++;
        expect(at).toBe(size);
        expect(plan.flat().length).toBeLessThanOrEqual(2 * 54);
        expect(inclusionProofLength(index, size)).toBe(plan.length);
        const proof = materialize(sha256, plan, getUniform);
        expect(eqList(proof, path(index, size))).toBe(true);
        const root = foldNodes(sha256, rootPlan(size).map(getUniform));
        expect(bytesEqual(root, mth(size))).toBe(true);
        expect(verifyInclusion(sha256, index, size, L, proof, root)).toBe(true);
        if (proof.length > 0) {
          const bad = proof.slice();
          bad[0] = leaf(new Uint8Array([8]));
          expect(verifyInclusion(sha256, index, size, L, bad, root)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('consistency plans match the uniform oracle and verify', () => {
    fc.assert(
      fc.property(big, big, (x, y) => {
        const [m, n] = x <= y ? [x, y] : [y, x];
        const plan = consistencyProofPlan(m, n);
        expect(consistencyProofLength(m, n)).toBe(plan.length);
        const proof = materialize(sha256, plan, getUniform);
        expect(eqList(proof, subproof(m, n, true))).toBe(true);
        expect(verifyConsistency(sha256, m, n, proof, mth(m), mth(n))).toBe(true);
        const other = leaf(new Uint8Array([8]));
        expect(verifyConsistency(sha256, m, n, proof, mth(m), other)).toBe(false);
        expect(verifyConsistency(sha256, m, n, proof, other, mth(n))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('the largest tree', () => {
    expect(rootPlan(MAX).length).toBe(53);
    expect(rootPlan(MAX)[52]).toEqual({ level: 0, index: MAX - 1 });
    expect(inclusionProofPlan(MAX - 1, MAX).length).toBe(52); // the last leaf hangs off the right spine
    expect(inclusionProofPlan(0, MAX).length).toBe(53);
    expect(consistencyProofPlan(MAX - 1, MAX).length).toBe(path(MAX - 1, MAX).length + 1);
    const root = mth(MAX);
    const proof = materialize(sha256, inclusionProofPlan(2 ** 52 + 12345, MAX), getUniform);
    expect(verifyInclusion(sha256, 2 ** 52 + 12345, MAX, L, proof, root)).toBe(true);
  });
});
