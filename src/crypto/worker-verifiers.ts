/**
 * Signature verifiers for the worker pool (src/ledger/sig-pool.ts): what a bare worker can check, per algorithm,
 * and its calling-thread twin. Kept here so that no file outside src/crypto/ names an algorithm
 * (test/architecture-suites.test.ts).
 *
 * - Ed25519: node:crypto's verify, the same OpenSSL call as nodeSuite.
 * - SM2 (GM/T 0009 default user id): node:crypto's SM2 cannot set the user id, so the worker evaluates
 *   sm-crypto-v2's own UMD build, inlined as text (sm2-library.ts), and computes e = SM3(Z_A ‖ M) with node:crypto's
 *   SM3, exactly as nodeSm2Suite does on the calling thread (sm2.ts). Each worker keeps its own cache of prepared
 *   public keys (Z_A at once, the library's precomputed point tables from a key's fourth signature on, as sm2.ts).
 *   Without the library text there is no SM2 worker verifier and the pool checks on the calling thread.
 */
import { isCanonicalScalar, isStrictPublicKey } from './ed25519-strict';
import { nodeSuite } from './node';
import { nodeSm2Suite } from './node-sm2';
import { sm2LibraryText } from './sm2-library';
import { PUBLIC_KEY_LENGTH as SM2_PUBLIC_KEY_LENGTH, isScalarInRange } from './sm2-strict';
import type { CryptoSuite } from './types';

/** A signature algorithm a worker can check. Adding one: a case in workerVerifierSource and in MAIN_VERIFIERS. */
export type WorkerAlgorithm = 'ed25519' | 'sm2';

/** The algorithm the pool uses by default. */
export const DEFAULT_WORKER_ALGORITHM: WorkerAlgorithm = 'ed25519';

/**
 * Worker side of `alg`: JavaScript text of an object `{ key(raw), verify(key, message, signature) }` where
 * `key(raw)` turns a raw public key into what `verify` takes (or throws for a key that is not one). Plain
 * JavaScript over node:crypto (`c`, in scope where it is evaluated); it runs in a bare worker (src/workers/pool.ts).
 * Undefined when the worker cannot have one (SM2 without the library's text: `sm2Library` undefined).
 */
export function workerVerifierSource(
  alg: WorkerAlgorithm,
  sm2Library: string | undefined = sm2LibraryText(),
): string | undefined {
  switch (alg) {
    case 'ed25519':
      return `{
    key: (raw) => c.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(raw)]), format: 'der', type: 'spki' }),
    verify: (key, message, signature) => c.verify(null, message, key, signature),
  }`;
    case 'sm2':
      return sm2Library === undefined ? undefined : sm2WorkerSource(sm2Library);
  }
}

/**
 * JavaScript text of an expression whose value is sm-crypto-v2's `sm2` namespace, evaluated from the library's UMD
 * text (sm2-library.ts) in a worker: its wrapper sees no module system (`define`, `exports`, `module`, `require`
 * undefined), so it leaves the library on the worker's global, from where it is taken back at once.
 */
export function sm2LibraryExpression(library: string): string {
  return `(() => {
    const lib = (function (define, exports, module, require) {
${library}
;
      return globalThis.SmCryptoV2;
    })(undefined, undefined, undefined, undefined);
    delete globalThis.SmCryptoV2;
    return lib.sm2;
  })()`;
}

/**
 * The SM2 verifier of a worker: the library evaluated once (its UMD wrapper sees no module system and leaves it on
 * the worker's global, taken back at once), a bounded cache of prepared keys, and the checks of sm2.ts: r, s in
 * [1, n − 1] (GB/T 32918.2 §7.1 B1–B2), the key a point of the curve, e = SM3(Z_A ‖ M), then the library's check.
 */
function sm2WorkerSource(library: string): string {
  return `(() => {
    const sm2 = ${sm2LibraryExpression(library)};
    const N = BigInt('0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
    const inRange = (b) => { const x = BigInt('0x' + b.toString('hex')); return x >= 1n && x < N; };
    const keys = new Map();
    const prepare = (hex) => {
      let k = keys.get(hex);
      if (k === undefined) {
        if (hex.length !== ${SM2_PUBLIC_KEY_LENGTH * 2} || !hex.startsWith('04') || !sm2.verifyPublicKey(hex)) throw new Error('not a point of the curve');
        k = { z: Buffer.from(sm2.getZ(hex)), point: hex, uses: 0 };
        if (keys.size >= 64) keys.delete(keys.keys().next().value);
        keys.set(hex, k);
      }
      return k;
    };
    return {
      key: (raw) => prepare(Buffer.from(raw).toString('hex')),
      verify: (key, message, signature) => {
        if (signature.length !== 64 || !inRange(signature.subarray(0, 32)) || !inRange(signature.subarray(32, 64))) return false;
        if (++key.uses === 4 && typeof key.point === 'string') key.point = sm2.precomputePublicKey(key.point);
        const e = new Uint8Array(c.createHash('sm3').update(key.z).update(message).digest());
        return sm2.doVerifySignature(e, signature.toString('hex'), key.point, { der: false, hash: false });
      },
    };
  })()`;
}

/** Calling-thread twin of workerVerifierSource (used when no worker can start or has the verifier). */
export const MAIN_VERIFIERS: Record<
  WorkerAlgorithm,
  (key: Uint8Array, message: Uint8Array, sig: Uint8Array) => boolean
> = {
  ed25519: (key, message, sig) => nodeSuite.verify(key, message, sig),
  sm2: (key, message, sig) => nodeSm2Suite.verify(key, message, sig),
};

/**
 * The worker algorithm that gives exactly `suite.verify`'s answers, when there is one: for the Node implementation
 * of ed25519-sha256 (the same OpenSSL call) and of sm2-sm3 (the same library and the same OpenSSL SM3); undefined for
 * any other suite or implementation.
 */
export function workerAlgorithmOf(suite: CryptoSuite): WorkerAlgorithm | undefined {
  if (suite === nodeSuite) return 'ed25519';
  if (suite === nodeSm2Suite) return 'sm2';
  return undefined;
}

/**
 * How many entries a verify must cover before its checks go to workers by default. Ed25519: 4,096 (as before). SM2:
 * 1,024 — a check costs several times more, but each worker first evaluates the library and builds each key's tables
 * (~0.1 s a key, bench/gm.ts "cold"), which a few hundred checks do not repay.
 */
export function workerThreshold(alg: WorkerAlgorithm): number {
  return alg === 'sm2' ? 1024 : 4096;
}

/**
 * The strict checks `suite.verify` makes before the curve check, which the worker does not repeat (RFC 8032 strict:
 * canonical S, a strict public key). False means the signature is wrong without asking a worker.
 */
export function passesWorkerPrechecks(alg: WorkerAlgorithm, publicKey: Uint8Array, sig: Uint8Array): boolean {
  switch (alg) {
    case 'ed25519':
      return isCanonicalScalar(sig.subarray(32, 64)) && isStrictPublicKey(publicKey);
    case 'sm2':
      return (
        publicKey.length === SM2_PUBLIC_KEY_LENGTH &&
        sig.length === 64 &&
        isScalarInRange(sig.subarray(0, 32)) &&
        isScalarInRange(sig.subarray(32, 64))
      );
  }
}
