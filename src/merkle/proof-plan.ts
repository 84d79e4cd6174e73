import type { HashFn } from '../crypto/types';
import { splitPoint } from './hash';
import { checkSize, foldNodes, type NodeId, rangeNodes } from './node-id';

/**
 * Node ids of the RFC 9162 §2.1.3.1 inclusion proof PATH(index, D[size]): one group per proof element, leaf to
 * root. Each group is a perfect decomposition whose fold is that element. At most one group has more than one id.
 */
export function inclusionProofPlan(index: number, size: number): NodeId[][] {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw new RangeError('index must be < size');
  const groups: NodeId[][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      groups.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      groups.push(rangeNodes(lo, lo + k));
      lo += k;
    }
  }
  return groups.reverse();
}

/** Number of elements of PATH(index, D[size]) (no ids built): the depth of the leaf in the RFC tree. */
export function inclusionProofLength(index: number, size: number): number {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw new RangeError('index must be < size');
  let n = 0;
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) hi = lo + k;
    else lo += k;
    n++;
  }
  return n;
}

/** Number of elements of PROOF(size1, D[size2]) (no ids built). */
export function consistencyProofLength(size1: number, size2: number): number {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size1 === 0) throw new RangeError('size1 must be > 0');
  if (size1 > size2) throw new RangeError('size1 must be <= size2');
  let n = 0;
  let lo = 0;
  let hi = size2;
  let m = size1;
  let complete = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) hi = lo + k;
    else {
      lo += k;
      m -= k;
      complete = false;
    }
    n++;
  }
  return complete ? n : n + 1;
}

/**
 * Node ids of the RFC 9162 §2.1.4.1 consistency proof PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true),
 * one group per proof element in proof order. 0 < size1 ≤ size2; size1 = size2 gives an empty proof.
 */
export function consistencyProofPlan(size1: number, size2: number): NodeId[][] {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size1 === 0) throw new RangeError('size1 must be > 0');
  if (size1 > size2) throw new RangeError('size1 must be <= size2');
  const groups: NodeId[][] = [];
  let lo = 0;
  let hi = size2;
  let m = size1;
  let complete = true; // SUBPROOF's b: still on the path of the old tree's own root
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      groups.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      groups.push(rangeNodes(lo, lo + k));
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) groups.push(rangeNodes(lo, hi));
  return groups.reverse();
}

/** Hashes a plan into proof elements, reading each node through `get`. */
export function materialize(
  hash: HashFn,
  plan: readonly (readonly NodeId[])[],
  get: (id: NodeId) => Uint8Array,
): Uint8Array[] {
  return plan.map((group) => foldNodes(hash, group.map(get)));
}

/** As materialize, with one batched read of every id of the plan (e.g. LevelDB getMany), in plan order. */
export async function materializeAsync(
  hash: HashFn,
  plan: readonly (readonly NodeId[])[],
  getMany: (ids: NodeId[]) => Promise<Uint8Array[]>,
): Promise<Uint8Array[]> {
  const ids = plan.flat();
  const hashes = await getMany(ids);
  if (!Array.isArray(hashes) || hashes.length !== ids.length)
    throw new RangeError('getMany must return one hash per id');
  let at = 0;
  return plan.map((group) => {
    const part = hashes.slice(at, at + group.length);
    at += group.length;
    return foldNodes(hash, part);
  });
}
