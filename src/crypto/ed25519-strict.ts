/**
 * The input rules of strict Ed25519 verification that both suites apply, as cheap byte checks (no node: imports).
 *
 * RFC 8032 §5.1.7 leaves implementations some latitude; OpenSSL (nodeSuite) and @noble/ed25519 strict mode
 * (portableSuite) use it differently, so both paths apply these same rules before any curve arithmetic and then
 * check the same (cofactorless) equation. Measured differences that these rules remove, on OpenSSL 3.0 / noble 3.2:
 * - OpenSSL accepts a public key A whose y ≥ p (it reduces y mod p) or whose x = 0 with the sign bit set; noble
 *   strict rejects both (RFC 8032 §5.1.3 decoding fails);
 * - OpenSSL accepts small-order public keys, for which anyone can forge (A = identity: R = [S]B verifies for every
 *   message); noble strict rejects them, as libsodium does.
 */

import { fromHex } from '../bytes';
import { CryptoError } from '../errors';

export const PUBLIC_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;

/** L = 2^252 + 27742317777372353535851937790883648493, the order of the base point (RFC 8032 §5.1), little-endian. */
const L_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

/**
 * Encodings (with y < p) of the 8 points of order dividing 8, plus the two x = 0 points written with the sign bit
 * set. Together with the y < p rule this is exactly the set of 32-byte strings noble strict decodes to a small-order
 * point or refuses for x = 0 / sign = 1.
 */
const SMALL_ORDER_HEX = [
  '0100000000000000000000000000000000000000000000000000000000000000', // identity (order 1)
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // (0, -1), order 2
  '0000000000000000000000000000000000000000000000000000000000000000', // order 4
  '0000000000000000000000000000000000000000000000000000000000000080', // order 4
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', // order 8
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85', // order 8
  '0100000000000000000000000000000000000000000000000000000000000080', // identity, x = 0 with sign bit
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', // (0, -1), x = 0 with sign bit
];

const SMALL_ORDER: readonly Uint8Array[] = SMALL_ORDER_HEX.map(fromHex);

/** The encodings `isStrictPublicKey` refuses even though y < p (for tests and documentation). */
export const SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = SMALL_ORDER.map((b) => b.slice());

/** S < L (RFC 8032 §5.1.7 step 1): `s` is the 32-byte little-endian second half of a signature. */
export function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    const a = s[i]!;
    const l = L_LE[i]!;
    if (a !== l) return a < l;
  }
  return false; // S = L
}

/** The y coordinate, with the sign bit masked, is below p = 2^255 - 19 (RFC 8032 §5.1.3 step 1). */
function isCanonicalY(b: Uint8Array): boolean {
  if ((b[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (b[i] !== 0xff) return true;
  return b[0]! < 0xed;
}

function isSmallOrderEncoding(b: Uint8Array): boolean {
  outer: for (const s of SMALL_ORDER) {
    for (let i = 0; i < 32; i++) if (s[i] !== b[i]) continue outer;
    return true;
  }
  return false;
}

/**
 * A public key encoding that strict verification may accept: canonical y and not a small-order point. It may still
 * fail to decode (no square root); that is a failed check, found by the curve code.
 */
export function isStrictPublicKey(publicKey: Uint8Array): boolean {
  return isCanonicalY(publicKey) && !isSmallOrderEncoding(publicKey);
}

/** Argument checks shared by both suites' `verify`: TypeError for non-bytes, CryptoError for wrong lengths. */
export function checkVerifyArgs(publicKey: unknown, message: unknown, signature: unknown): void {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
  if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
  if (!(signature instanceof Uint8Array)) throw new TypeError('signature must be a Uint8Array');
  if (publicKey.length !== PUBLIC_KEY_LENGTH)
    throw new CryptoError('CRYPTO_BAD_KEY', `public key must be 32 bytes, got ${publicKey.length}`);
  if (signature.length !== SIGNATURE_LENGTH)
    throw new CryptoError('CRYPTO_BAD_SIGNATURE', `signature must be 64 bytes, got ${signature.length}`);
}

/** Public key check for `keyId` and signers: TypeError for non-bytes, CryptoError CRYPTO_BAD_KEY for wrong length. */
export function checkPublicKey(publicKey: unknown, name = 'publicKey'): asserts publicKey is Uint8Array {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (publicKey.length !== PUBLIC_KEY_LENGTH)
    throw new CryptoError('CRYPTO_BAD_KEY', `${name} must be 32 bytes, got ${publicKey.length}`);
}

/** Ed25519 private key seed check (RFC 8032 §5.1.5: 32 bytes). */
export function checkSeed(seed: unknown): asserts seed is Uint8Array {
  if (!(seed instanceof Uint8Array)) throw new TypeError('seed must be a Uint8Array');
  if (seed.length !== 32)
    throw new CryptoError('CRYPTO_BAD_KEY', `seed must be 32 bytes, got ${seed.length}`);
}
