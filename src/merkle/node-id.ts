import type { HashFn } from '../crypto/types';
import { hashChildren } from './hash';

/**
 * A perfect subtree of the log: level L, index i covers leaves [i·2^L, (i+1)·2^L). Level 0 holds leaf hashes.
 * All index maths here uses exact float arithmetic (no 32-bit bitwise operators), valid for sizes up to 2^53 − 1.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** Size of every hash in the tree (SHA-256, RFC 9162 §2.1). */
export const HASH_SIZE = 32;

export function checkSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a safe non-negative integer`);
}

/**
 * The perfect decomposition of leaves [begin, end): largest aligned subtrees, left to right. Folding it right to left
 * with hashChildren gives the RFC 9162 §2.1.1 MTH of that range whenever the range is a subtree of some RFC tree.
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  checkSize(begin, 'begin');
  checkSize(end, 'end');
  if (begin > end) throw new RangeError('begin must be <= end');
  const out: NodeId[] = [];
  while (begin < end) {
    let width = 1;
    let level = 0;
    while (begin % (width * 2) === 0 && begin + width * 2 <= end) {
      width *= 2;
      level++;
    }
    out.push({ level, index: begin / width });
    begin += width;
  }
  return out;
}

/** Nodes whose fold is the root of the tree of `size` leaves (empty for size 0: the root is then H("")). */
export function rootPlan(size: number): NodeId[] {
  return rangeNodes(0, size);
}

/** Right-to-left fold of a group of node hashes: h0 ‖ (h1 ‖ (… ‖ hk)). */
export function foldNodes(hash: HashFn, hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) throw new RangeError('hashes must not be empty');
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hash, hashes[i]!, acc);
  return acc;
}
