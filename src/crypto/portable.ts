/**
 * `ed25519-sha256` on @noble/hashes and @noble/ed25519: runs in browsers (no node: imports, no Buffer).
 * Gives the same answer as `nodeSuite` on every input (test/crypto/agreement.test.ts).
 */

import { bytesEqual, toHex } from '../bytes';
import { CryptoError } from '../errors';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  checkPublicKey,
  checkSeed,
  checkVerifyArgs,
  isCanonicalScalar,
  isStrictPublicKey,
} from './ed25519-strict';
import { generateSeed, pkcs8PemToSeed, publicKeyToSpkiPem, seedToPkcs8Pem, spkiPemToPublicKey } from './keys';
import { ed, sha512 } from './noble';
import type { CryptoSuite, Signer } from './types';

/** What both `ed25519-sha256` implementations share: lengths, note types, key generation and key files. */
export const ED25519_SHA256 = Object.freeze({
  id: 'ed25519-sha256' as const,
  hashName: 'SHA-256',
  signatureName: 'Ed25519',
  hashLength: 32,
  publicKeyLength: 32,
  privateKeyLength: 32,
  signatureLength: 64,
  noteSignatureType: '01',
  cosignatureType: '04',
  checkPublicKey,
  generatePrivateKey: generateSeed,
  privateKeyToPem: seedToPkcs8Pem,
  privateKeyFromPem: pkcs8PemToSeed,
  publicKeyToPem: publicKeyToSpkiPem,
  publicKeyFromPem: spkiPemToPublicKey,
});

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function numberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function hash(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  return sha256(data);
}

/**
 * Strict RFC 8032 §5.1.7 verification with the cofactorless equation: encode([S]B - [k]A) must equal R's bytes.
 *
 * Why not `ed.verify(sig, msg, pub, { zip215: false })`: noble's strict branch checks the cofactored equation
 * [8][S]B = [8]R + [8][k]A, while OpenSSL (nodeSuite) checks [S]B = R + [k]A by comparing encodings. §5.1.7
 * allows both, but they disagree when R or A carries a small-order component (a key holder can make such a
 * signature that noble accepts and OpenSSL refuses; see agreement.test.ts). The two paths must give one answer, so
 * this path checks the same equation as OpenSSL, with noble's audited point arithmetic. Cost is the same two
 * scalar multiplications as noble's verify; decoding R (a square root) is traded for one encoding (an inversion).
 */
function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  checkVerifyArgs(publicKey, message, signature);
  const r = signature.subarray(0, 32);
  const s = signature.subarray(32, 64);
  if (!isCanonicalScalar(s) || !isStrictPublicKey(publicKey)) return false;
  let A: InstanceType<typeof ed.Point>;
  try {
    A = ed.Point.fromBytes(publicKey, false); // RFC 8032 §5.1.3; throws when (y² - 1) / (dy² + 1) has no root
  } catch {
    return false;
  }
  const k = numberLE(sha512.create().update(r).update(publicKey).update(message).digest()) % L;
  const check = ed.Point.BASE.multiply(numberLE(s), false).subtract(A.multiply(k, false));
  return bytesEqual(check.toBytes(), r);
}

function keyId(publicKey: Uint8Array): string {
  checkPublicKey(publicKey);
  return toHex(sha256(publicKey));
}

/** RFC 8032 §5.1.5 public key of a 32-byte seed. */
export function portablePublicKey(seed: Uint8Array): Uint8Array {
  checkSeed(seed);
  return ed.getPublicKey(seed);
}

/** A Signer holding the seed in memory, signing with @noble/ed25519 (RFC 8032 §5.1.6, deterministic). */
export function createPortableSigner(seed: Uint8Array): Signer {
  checkSeed(seed);
  const secret = seed.slice();
  const publicKey = ed.getPublicKey(secret);
  return Object.freeze({
    suite: 'ed25519-sha256' as const,
    keyId: toHex(sha256(publicKey)),
    publicKey,
    async sign(message: Uint8Array): Promise<Uint8Array> {
      if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
      try {
        return ed.sign(message, secret);
      } catch (cause) {
        throw new CryptoError('CRYPTO_SIGNER_FAILED', 'Ed25519 signing failed', { cause });
      }
    },
  });
}

export const portableSuite: CryptoSuite = Object.freeze({
  ...ED25519_SHA256,
  hash,
  verify,
  keyId,
  publicKeyFromPrivateKey: portablePublicKey,
  createSigner: createPortableSigner,
});
