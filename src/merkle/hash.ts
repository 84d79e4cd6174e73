import type { HashFn } from '../crypto/types';

/**
 * RFC 9162 §2.1.1 hashing. Domain separation between leaves and interior nodes:
 * leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right).
 */
export const LEAF_PREFIX = 0x00;
export const NODE_PREFIX = 0x01;

/**
 * Scratch space for the prefixed hash input: hashing is synchronous, so one buffer serves every call (a fresh buffer
 * per leaf and node was a visible share of verify's garbage). Inputs larger than it get their own.
 */
let scratch = new Uint8Array(4096);
function input(n: number): Uint8Array {
  if (n > scratch.length) {
    if (n > 1 << 16) return new Uint8Array(n);
    scratch = new Uint8Array(1 << 16);
  }
  return new Uint8Array(scratch.buffer, 0, n); // a view as subarray makes, at half its cost
}

export function hashLeaf(hash: HashFn, data: Uint8Array): Uint8Array {
  const buf = input(data.length + 1);
  buf[0] = LEAF_PREFIX;
  buf.set(data, 1);
  return hash(buf);
}

export function hashChildren(hash: HashFn, left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = input(1 + left.length + right.length);
  buf[0] = NODE_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return hash(buf);
}

/** Largest power of two strictly less than n (n ≥ 2), RFC 9162 §2.1.1 "k". */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Merkle Tree Hash (RFC 9162 §2.1.1) over already-hashed leaves. MTH({}) = H(""). Iterative: pairs up each level,
 * carrying an odd last node upward, which yields the same tree as the recursive split definition.
 */
export function rootFromLeafHashes(hash: HashFn, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return hash(new Uint8Array(0));
  let level: Uint8Array[] = leafHashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(hash, level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}
