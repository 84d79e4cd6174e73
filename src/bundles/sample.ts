/**
 * Reproducible inspection sampling (Art. 29), docs/FORMAT.md §Sampling. Pure: runs in browsers.
 *
 * seed   = SHA-256(SAMPLE_CONTEXT ‖ u64(len(body)) ‖ body ‖ nonce)   body = checkpoint note text (UTF-8)
 * stream = SHA-256(seed ‖ u64(0)) ‖ SHA-256(seed ‖ u64(1)) ‖ …   (read front to back)
 * below(m): b = bit length of m − 1; read ceil(b / 8) bytes big-endian, keep the low b bits; retry while ≥ m.
 * select k of N: partial Fisher–Yates over [0, N): for i in 0..k−1, j = i + below(N − i), swap(i, j); output 0..k−1.
 */
import { portableSuiteById } from '../crypto/registry';
import { SUITE_ID } from '../ledger/registry';
import { concatBytes, utf8 } from '../bytes';
import type { HashFn } from '../crypto/types';

/** The hash of the default suite (`ed25519-sha256`: SHA-256); callers pass the ledger suite's. */
const defaultHash: HashFn = (b) => portableSuiteById(SUITE_ID).hash(b);

/** Domain separation of the sampling seed. */
export const SAMPLE_CONTEXT = utf8('enforcement-ledger/sample/v1\u0000');
export const MIN_NONCE_BYTES = 16;
export const MAX_NONCE_BYTES = 64;

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

/** The sampling seed of a checkpoint (its note text, or only the checkpoint body) and the inspector's nonce. */
export function sampleSeed(
  checkpointBody: string,
  nonce: Uint8Array,
  hash: HashFn = defaultHash,
): Uint8Array {
  if (typeof checkpointBody !== 'string' || checkpointBody.length === 0)
    throw new TypeError('checkpointBody must be a non-empty string');
  if (!(nonce instanceof Uint8Array)) throw new TypeError('nonce must be a Uint8Array');
  if (nonce.length < MIN_NONCE_BYTES || nonce.length > MAX_NONCE_BYTES)
    throw new RangeError(`nonce must be ${MIN_NONCE_BYTES}..${MAX_NONCE_BYTES} bytes`);
  const body = utf8(checkpointBody);
  return hash(concatBytes(SAMPLE_CONTEXT, u64(body.length), body, nonce));
}

/** The SHA-256 counter stream of a seed, read byte by byte. */
class Stream {
  #block: Uint8Array = new Uint8Array(0);
  #pos = 0;
  #counter = 0;
  constructor(
    private readonly seed: Uint8Array,
    private readonly hash: HashFn,
  ) {}

  byte(): number {
    if (this.#pos === this.#block.length) {
      this.#block = this.hash(concatBytes(this.seed, u64(this.#counter++)));
      this.#pos = 0;
    }
    return this.#block[this.#pos++]!;
  }

  /** Uniform integer in [0, m), m ≥ 1, by rejection (no modulo bias). */
  below(m: number): number {
    if (m === 1) return 0;
    const bits = (m - 1).toString(2).length;
    const nbytes = Math.ceil(bits / 8);
    const topMask = 0xff >> (nbytes * 8 - bits);
    for (;;) {
      let v = 0;
      for (let i = 0; i < nbytes; i++) {
        const b = this.byte();
        v = v * 256 + (i === 0 ? b & topMask : b); // exact: v < 2^53 since m ≤ 2^53 − 1
      }
      if (v < m) return v;
    }
  }
}

/** `k` distinct indices in [0, n), in draw order, from `seed` (see the file comment). */
export function sampleIndices(seed: Uint8Array, n: number, k: number, hash: HashFn = defaultHash): number[] {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new TypeError('seed must be 32 bytes');
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('n must be a safe non-negative integer');
  if (!Number.isSafeInteger(k) || k < 0 || k > n) throw new RangeError('k must be an integer in [0, n]');
  const stream = new Stream(seed, hash);
  const swapped = new Map<number, number>();
  const at = (i: number) => swapped.get(i) ?? i;
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + stream.below(n - i);
    const vj = at(j);
    swapped.set(j, at(i));
    swapped.set(i, vj);
    out.push(vj);
  }
  return out;
}

export interface SampleSelection<T> {
  readonly seed: Uint8Array;
  /** Indices into the sorted population, in draw order. */
  readonly indices: readonly number[];
  /** The selected members, in draw order. */
  readonly selected: readonly T[];
}

/**
 * Selects `k` members of `population` (case ids or record seqs, sorted ascending and distinct: the caller's order is
 * refused otherwise, so every party indexes the same list) from a checkpoint and a nonce.
 */
export function selectSample<T extends string | number>(
  population: readonly T[],
  checkpointBody: string,
  nonce: Uint8Array,
  k: number,
  hash: HashFn = defaultHash,
): SampleSelection<T> {
  if (!Array.isArray(population)) throw new TypeError('population must be an array');
  for (let i = 1; i < population.length; i++)
    if (!(population[i - 1]! < population[i]!))
      throw new RangeError('population must be sorted ascending with no duplicates');
  if (!Number.isSafeInteger(k) || k < 0 || k > population.length)
    throw new RangeError('k must be an integer in [0, population.length]');
  const seed = sampleSeed(checkpointBody, nonce, hash);
  const indices = sampleIndices(seed, population.length, k, hash);
  return { seed, indices, selected: indices.map((i) => population[i]!) };
}
