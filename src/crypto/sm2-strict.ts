/**
 * The input rules of SM2 (GB/T 32918.2-2016) that both `sm2-sm3` implementations apply, as cheap byte checks before
 * any curve arithmetic (no node: imports). Curve arithmetic itself is sm-crypto-v2's (on @noble/curves).
 *
 * - Public keys are the 65-byte uncompressed point encoding `04 ‖ X ‖ Y` (GB/T 32918.1 §4.2.9; GM/T 0009 §7.1);
 *   whether the point is on the curve is checked when it is decoded (a failed check, not malformed input).
 * - Signatures are raw `r ‖ s`, 32 bytes each, big-endian (docs/FORMAT.md "sm2-sm3"); §7.1 B1–B2: r, s ∈ [1, n−1].
 * - Private keys are 32 bytes big-endian, d ∈ [1, n−2] (§6.1: (1 + d)⁻¹ mod n must exist).
 */

import { CryptoError } from '../errors';

export const PUBLIC_KEY_LENGTH = 65;
export const PRIVATE_KEY_LENGTH = 32;
export const SIGNATURE_LENGTH = 64;

/** n, the order of the base point of the recommended curve (GB/T 32918.5-2017 §3), big-endian. */
const N_BE = Uint8Array.from([
  0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x72, 0x03,
  0xdf, 0x6b, 0x21, 0xc6, 0x05, 0x2b, 0x53, 0xbb, 0xf4, 0x09, 0x39, 0xd5, 0x41, 0x23,
]);

/** −1, 0 or 1 as the 32-byte big-endian `a` is below, equal to or above n − `minus`, for minus ∈ {1, 2}. */
function compareToNMinus(a: Uint8Array, minus: number): number {
  // n ends in 0x23, so n − 1 and n − 2 differ from n only in the last byte.
  for (let i = 0; i < 32; i++) {
    const b = i === 31 ? N_BE[i]! - minus : N_BE[i]!;
    if (a[i] !== b) return a[i]! < b ? -1 : 1;
  }
  return 0;
}

function isZero(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** 1 ≤ x ≤ n − 1 for a 32-byte big-endian x (r and s of a signature, §7.1 B1–B2). */
export function isScalarInRange(x: Uint8Array): boolean {
  return x.length === 32 && !isZero(x) && compareToNMinus(x, 1) <= 0;
}

/** 1 ≤ d ≤ n − 2 for a 32-byte big-endian private key (§6.1). */
export function isPrivateKeyInRange(d: Uint8Array): boolean {
  return d.length === 32 && !isZero(d) && compareToNMinus(d, 2) <= 0;
}

/** Argument checks of `verify`: TypeError for non-bytes, CryptoError for wrong lengths. */
export function checkVerifyArgs(publicKey: unknown, message: unknown, signature: unknown): void {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
  if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
  if (!(signature instanceof Uint8Array)) throw new TypeError('signature must be a Uint8Array');
  if (publicKey.length !== PUBLIC_KEY_LENGTH)
    throw new CryptoError(
      'CRYPTO_BAD_KEY',
      `public key must be ${PUBLIC_KEY_LENGTH} bytes, got ${publicKey.length}`,
    );
  if (signature.length !== SIGNATURE_LENGTH)
    throw new CryptoError('CRYPTO_BAD_SIGNATURE', `signature must be 64 bytes, got ${signature.length}`);
}

/** An SM2 public key: 65 bytes starting 0x04 (whether it is on the curve is checked where it is used). */
export function checkPublicKey(publicKey: unknown, name = 'publicKey'): asserts publicKey is Uint8Array {
  if (!(publicKey instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (publicKey.length !== PUBLIC_KEY_LENGTH)
    throw new CryptoError(
      'CRYPTO_BAD_KEY',
      `${name} must be ${PUBLIC_KEY_LENGTH} bytes, got ${publicKey.length}`,
    );
  if (publicKey[0] !== 0x04)
    throw new CryptoError('CRYPTO_BAD_KEY', `${name} must be an uncompressed point (first byte 0x04)`);
}

/** An SM2 private key: 32 bytes, 1 ≤ d ≤ n − 2. */
export function checkPrivateKey(privateKey: unknown, name = 'privateKey'): asserts privateKey is Uint8Array {
  if (!(privateKey instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (privateKey.length !== PRIVATE_KEY_LENGTH)
    throw new CryptoError('CRYPTO_BAD_KEY', `${name} must be 32 bytes, got ${privateKey.length}`);
  if (!isPrivateKeyInRange(privateKey))
    throw new CryptoError('CRYPTO_BAD_KEY', `${name} is not in [1, n-2] (GB/T 32918.2 §6.1)`);
}
