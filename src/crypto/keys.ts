/**
 * Ed25519 key material: seeds, public keys and their PEM forms (RFC 8410 §4 SubjectPublicKeyInfo, §7 PKCS#8 v1
 * OneAsymmetricKey, as `openssl genpkey -algorithm ed25519` writes them). No node: imports.
 */

import { bytesEqual, concatBytes } from '../bytes';
import { CryptoError } from '../errors';
import { checkPublicKey, checkSeed } from './ed25519-strict';
import { decodePem, encodePem } from './pem';
import { ed } from './noble';

/** SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }, RFC 8410 §7. */
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);
/** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits, 32 bytes) }, RFC 8410 §4. */
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** 32 random bytes from `globalThis.crypto.getRandomValues` (Web Crypto; Node ≥ 19 and browsers). */
export function generateSeed(): Uint8Array {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (typeof c?.getRandomValues !== 'function')
    throw new Error('globalThis.crypto.getRandomValues is not available');
  return c.getRandomValues(new Uint8Array(32));
}

/** RFC 8032 §5.1.5: the public key of a 32-byte seed. */
export function publicKeyFromSeed(seed: Uint8Array): Uint8Array {
  checkSeed(seed);
  return ed.getPublicKey(seed);
}

function unwrap(der: Uint8Array, prefix: Uint8Array, what: string): Uint8Array {
  if (der.length !== prefix.length + 32 || !bytesEqual(der.subarray(0, prefix.length), prefix))
    throw new CryptoError('CRYPTO_BAD_PEM', `not an Ed25519 ${what} (expected the RFC 8410 DER form)`);
  return der.slice(prefix.length);
}

export function seedToPkcs8Pem(seed: Uint8Array): string {
  checkSeed(seed);
  const der = concatBytes(PKCS8_PREFIX, seed);
  const pem = encodePem('PRIVATE KEY', der);
  der.fill(0);
  return pem;
}

/** The seed of an Ed25519 `PRIVATE KEY` PEM; CryptoError CRYPTO_BAD_PEM on anything else. */
export function pkcs8PemToSeed(pem: string): Uint8Array {
  const der = decodePem('PRIVATE KEY', pem);
  try {
    return unwrap(der, PKCS8_PREFIX, 'PKCS#8 private key');
  } finally {
    der.fill(0);
  }
}

export function publicKeyToSpkiPem(publicKey: Uint8Array): string {
  checkPublicKey(publicKey);
  return encodePem('PUBLIC KEY', concatBytes(SPKI_PREFIX, publicKey));
}

/** The raw 32-byte key of an Ed25519 `PUBLIC KEY` PEM; CryptoError CRYPTO_BAD_PEM on anything else. */
export function spkiPemToPublicKey(pem: string): Uint8Array {
  return unwrap(decodePem('PUBLIC KEY', pem), SPKI_PREFIX, 'SubjectPublicKeyInfo');
}
