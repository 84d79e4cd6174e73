import type { HashFn } from '../crypto/types';
import { bytesEqual } from '../bytes';
import { CryptoError } from '../errors';
import { hashChildren } from './hash';
import { HASH_SIZE } from './node-id';
import { consistencyProofLength, inclusionProofLength } from './proof-plan';

/*
 * RFC 9162 §2.1.3.2 and §2.1.4.2 verification. Structurally impossible input (index ≥ size, wrong proof length for
 * the sizes, hashes that are not 32 bytes, bad sizes) throws CryptoError('CRYPTO_BAD_PROOF'); a proof that is well
 * formed but does not check gives false. Bit tests use % 2 and halving: exact for every size up to 2^53 − 1.
 */

function bad(message: string): CryptoError {
  return new CryptoError('CRYPTO_BAD_PROOF', message);
}

function checkSize(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw bad(`${name} must be a safe non-negative integer`);
}

function checkHash(value: unknown, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (value.length !== HASH_SIZE) throw bad(`${name} must be ${HASH_SIZE} bytes, got ${value.length}`);
}

function checkProof(proof: unknown, expected: number): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw new TypeError('proof must be an array of Uint8Array');
  if (proof.length !== expected)
    throw bad(`proof must have ${expected} hashes for these sizes, got ${proof.length}`);
  for (let i = 0; i < proof.length; i++) checkHash(proof[i], `proof[${i}]`);
}

const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2 steps 1–5: the root that `proof` implies for `leafHash` at `index` in a tree of `size`. */
export function rootFromInclusionProof(
  hash: HashFn,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size) throw bad(`index ${index} is not below size ${size}`);
  checkHash(leafHash, 'leafHash');
  checkProof(proof, inclusionProofLength(index, size));
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw bad('proof is longer than the path'); // unreachable after the length check
    if (odd(fn) || fn === sn) {
      r = hashChildren(hash, p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashChildren(hash, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw bad('proof is shorter than the path'); // unreachable after the length check
  return r;
}

/** RFC 9162 §2.1.3.2: true iff `proof` shows `leafHash` at `index` in the tree of `size` with root `root`. */
export function verifyInclusion(
  hash: HashFn,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  checkHash(root, 'root');
  return bytesEqual(rootFromInclusionProof(hash, index, size, leafHash, proof), root);
}

/**
 * RFC 9162 §2.1.4.2: true iff `proof` shows the tree of `size1` with root `root1` is a prefix of the tree of `size2`
 * with root `root2`. size1 = size2 needs an empty proof and equal roots. size1 = 0 throws: every tree extends the
 * empty tree, so such a "proof" proves nothing (and RFC 9162 defines none).
 */
export function verifyConsistency(
  hash: HashFn,
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): boolean {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size1 > size2) throw bad(`size1 ${size1} is greater than size2 ${size2}`);
  if (size1 === 0) throw bad('no consistency proof exists from the empty tree');
  checkHash(root1, 'root1');
  checkHash(root2, 'root2');
  checkProof(proof, consistencyProofLength(size1, size2));
  if (size1 === size2) return bytesEqual(root1, root2);

  // Step 1: when size1 is a power of two the old root is the first node of the path.
  let path = proof;
  let isPow2 = size1;
  while (isPow2 % 2 === 0) isPow2 /= 2;
  if (isPow2 === 1) path = [root1, ...proof];

  // Steps 2–3.
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Steps 4–6.
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = hashChildren(hash, c, fr);
      sr = hashChildren(hash, c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashChildren(hash, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}
