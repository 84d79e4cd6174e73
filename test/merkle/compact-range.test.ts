import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, utf8 } from '../../src/bytes';
import { CompactRange, type NewNode, rootFromLeafHashes, rootPlan } from '../../src/merkle';
import { leaf, mth, sha256 } from './oracle';

const N = 600;
const leaves = Array.from({ length: N }, (_, i) => leaf(utf8(`cr ${i}`)));
const span = (n: { level: number; index: number }) =>
  [n.index * 2 ** n.level, (n.index + 1) * 2 ** n.level] as const;

describe('CompactRange', () => {
  it('root equals rootFromLeafHashes and MTH for every prefix; emits exactly the completed perfect nodes', () => {
    const range = new CompactRange(sha256);
    expect(bytesEqual(range.root(), sha256(new Uint8Array(0)))).toBe(true);
    const emitted = new Map<string, Uint8Array>();
    for (let n = 0; n < N; n++) {
      const out = range.append(leaves[n]!);
      // Bottom up, starting with the leaf itself, each the parent of the previous one.
      expect(out[0]).toEqual({ level: 0, index: n, hash: leaves[n] });
      out.forEach((node: NewNode, k) => {
        expect(node.level).toBe(k);
        expect(node.index).toBe(Math.floor(n / 2 ** k));
        const [a, b] = span(node);
        expect(b).toBe(n + 1); // completed by this leaf
        expect(bytesEqual(node.hash, mth(leaves.slice(a, b)))).toBe(true);
        const key = `${node.level}/${node.index}`;
        expect(emitted.has(key)).toBe(false);
        emitted.set(key, node.hash);
      });
      const size = n + 1;
      expect(range.size).toBe(size);
      expect(bytesEqual(range.root(), rootFromLeafHashes(sha256, leaves.slice(0, size)))).toBe(true);
      expect(range.nodes.map(({ level, index }) => ({ level, index }))).toEqual(rootPlan(size));
    }
    // A tree of n leaves has 2n − popcount(n) perfect nodes.
    expect(emitted.size).toBe(2 * N - N.toString(2).replace(/0/g, '').length);
  });

  it('fromFrontier(rootPlan hashes) continues exactly like the range it was taken from', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 200 }), (cut, more) => {
        const a = new CompactRange(sha256);
        for (let i = 0; i < cut; i++) a.append(leaves[i]!);
        const b = CompactRange.fromFrontier(
          sha256,
          cut,
          a.nodes.map((n) => n.hash),
        );
        expect(bytesEqual(b.root(), a.root())).toBe(true);
        for (let i = cut; i < cut + more; i++) expect(b.append(leaves[i]!)).toEqual(a.append(leaves[i]!));
        expect(bytesEqual(b.root(), mth(leaves.slice(0, cut + more)))).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('clone is independent', () => {
    const a = new CompactRange(sha256);
    for (let i = 0; i < 5; i++) a.append(leaves[i]!);
    const b = a.clone();
    b.append(leaves[5]!);
    expect(a.size).toBe(5);
    expect(bytesEqual(a.root(), mth(leaves.slice(0, 5)))).toBe(true);
    expect(bytesEqual(b.root(), mth(leaves.slice(0, 6)))).toBe(true);
  });

  it('refuses malformed input', () => {
    const h = leaves[0]!;
    expect(() => CompactRange.fromFrontier(sha256, 3, [h])).toThrow(RangeError);
    expect(() => CompactRange.fromFrontier(sha256, 3, [h, h.subarray(1)])).toThrow(RangeError);
    expect(() => CompactRange.fromFrontier(sha256, -1, [])).toThrow(RangeError);
    expect(() => new CompactRange(sha256).append(new Uint8Array(31))).toThrow(RangeError);
    const full = CompactRange.fromFrontier(
      sha256,
      Number.MAX_SAFE_INTEGER,
      rootPlan(Number.MAX_SAFE_INTEGER).map(() => h),
    );
    expect(() => full.append(h)).toThrow(RangeError);
  });
});
