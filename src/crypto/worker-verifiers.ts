/**
 * Signature verifiers for the worker pool (src/ledger/sig-pool.ts): what a bare worker can check with node:crypto,
 * per algorithm, and its calling-thread twin. Kept here so that no file outside src/crypto/ names an algorithm
 * (test/architecture-suites.test.ts).
 *
 * Only Ed25519 has one: SM2 cannot be checked in a worker (node:crypto's SM2 has no GM/T 0009 user id, and the SM2
 * package cannot be loaded from an eval'd worker), so sm2-sm3 signatures are verified on the calling thread
 * (docs/design/workers.md §SM2).
 */
import { isCanonicalScalar, isStrictPublicKey } from './ed25519-strict';
import { nodeSuite } from './node';
import type { CryptoSuite } from './types';

/** A signature algorithm a worker can check. Adding one: a verifier in WORKER_VERIFIERS and one in MAIN_VERIFIERS. */
export type WorkerAlgorithm = 'ed25519';

/** The algorithm the pool uses by default. */
export const DEFAULT_WORKER_ALGORITHM: WorkerAlgorithm = 'ed25519';

/**
 * Worker side, per algorithm: `key(raw)` turns a raw public key into what `verify(key, message, signature)` takes.
 * Plain JavaScript over node:crypto (`c`); it runs in a bare worker (see src/workers/pool.ts).
 */
export const WORKER_VERIFIERS = `{
  ed25519: {
    key: (raw) => c.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(raw)]), format: 'der', type: 'spki' }),
    verify: (key, message, signature) => c.verify(null, message, key, signature),
  },
}`;

/** Calling-thread twin of WORKER_VERIFIERS (used when no worker can start). */
export const MAIN_VERIFIERS: Record<
  WorkerAlgorithm,
  (key: Uint8Array, message: Uint8Array, sig: Uint8Array) => boolean
> = {
  ed25519: (key, message, sig) => nodeSuite.verify(key, message, sig),
};

/**
 * The worker algorithm that gives exactly `suite.verify`'s answers, when there is one: only for the Node
 * implementation of ed25519-sha256 (the same OpenSSL call); undefined for any other suite or implementation.
 */
export function workerAlgorithmOf(suite: CryptoSuite): WorkerAlgorithm | undefined {
  return suite === nodeSuite ? 'ed25519' : undefined;
}

/**
 * The strict checks `suite.verify` makes before the curve check, which the worker does not repeat (RFC 8032 strict:
 * canonical S, a strict public key). False means the signature is wrong without asking a worker.
 */
export function passesWorkerPrechecks(alg: WorkerAlgorithm, publicKey: Uint8Array, sig: Uint8Array): boolean {
  switch (alg) {
    case 'ed25519':
      return isCanonicalScalar(sig.subarray(32, 64)) && isStrictPublicKey(publicKey);
  }
}
