/**
 * SM2 key files and the DER signature form (no node: imports):
 * - private keys as PKCS#8 (RFC 5208) wrapping an RFC 5915 ECPrivateKey, algorithm id-ecPublicKey
 *   (1.2.840.10045.2.1) with the SM2 curve (1.2.156.10197.1.301, GM/T 0006), exactly as `openssl genpkey -algorithm
 *   EC -pkeyopt ec_paramgen_curve:SM2` writes them;
 * - public keys as SubjectPublicKeyInfo (RFC 5480) with the same algorithm identifier and an uncompressed point;
 * - signatures as GM/T 0009 §7.3 `SM2Signature ::= SEQUENCE { R INTEGER, S INTEGER }` for tools that want DER
 *   (OpenSSL, most 国密 SDKs); the ledger's own encoding is raw r ‖ s (docs/FORMAT.md).
 */

import { bytesEqual, concatBytes, fromHex } from '../bytes';
import { CryptoError } from '../errors';
import { DerError, expectTlv, fixedToInteger, integerToFixed, readTlv, writeTlv } from './der';
import { decodePem, encodePem } from './pem';
import { sm2PublicKey } from './sm2';
import {
  PUBLIC_KEY_LENGTH,
  SIGNATURE_LENGTH,
  checkPrivateKey,
  checkPublicKey,
  isPrivateKeyInRange,
} from './sm2-strict';

/** AlgorithmIdentifier content: OID id-ecPublicKey, OID sm2 (the curve). */
const ALGORITHM = fromHex('06072a8648ce3d020106082a811ccf5501822d');
/** The curve OID TLV, as ECPrivateKey's optional [0] parameters may carry it. */
const CURVE_OID = fromHex('06082a811ccf5501822d');
const SPKI_PREFIX = fromHex('3059301306072a8648ce3d020106082a811ccf5501822d034200');

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const BIT_STRING = 0x03;

function badPem(what: string, why: string, cause?: unknown): CryptoError {
  return new CryptoError(
    'CRYPTO_BAD_PEM',
    `not an SM2 ${what}: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

/** PKCS#8 PEM with the public key in ECPrivateKey's [1] field (OpenSSL's default form). */
export function sm2PrivateKeyToPem(privateKey: Uint8Array): string {
  checkPrivateKey(privateKey);
  const publicKey = sm2PublicKey(privateKey);
  const ecPrivateKey = writeTlv(
    SEQUENCE,
    concatBytes(
      writeTlv(INTEGER, Uint8Array.of(1)),
      writeTlv(OCTET_STRING, privateKey),
      writeTlv(0xa1, writeTlv(BIT_STRING, concatBytes(Uint8Array.of(0), publicKey))),
    ),
  );
  const der = writeTlv(
    SEQUENCE,
    concatBytes(
      writeTlv(INTEGER, Uint8Array.of(0)),
      writeTlv(SEQUENCE, ALGORITHM),
      writeTlv(OCTET_STRING, ecPrivateKey),
    ),
  );
  const pem = encodePem('PRIVATE KEY', der);
  der.fill(0);
  ecPrivateKey.fill(0);
  return pem;
}

/**
 * d of an SM2 PKCS#8 `PRIVATE KEY` PEM. Accepts ECPrivateKey with or without the optional [0] curve parameters
 * (which must then name SM2) and [1] public key (which must then equal [d]G); refuses PKCS#8 attributes, other
 * curves and algorithms, d outside [1, n−2] and trailing bytes, with CryptoError CRYPTO_BAD_PEM.
 */
export function sm2PrivateKeyFromPem(pem: string): Uint8Array {
  const der = decodePem('PRIVATE KEY', pem);
  try {
    const outer = expectTlv(der, 0, SEQUENCE, 'PrivateKeyInfo');
    if (outer.end !== der.length) throw new DerError('trailing bytes');
    const body = outer.value;
    const version = expectTlv(body, 0, INTEGER, 'version');
    if (!bytesEqual(version.value, Uint8Array.of(0))) throw new DerError('PKCS#8 version is not 0');
    const alg = expectTlv(body, version.end, SEQUENCE, 'privateKeyAlgorithm');
    if (!bytesEqual(alg.value, ALGORITHM))
      throw new DerError('algorithm is not id-ecPublicKey with the SM2 curve (1.2.156.10197.1.301)');
    const wrapped = expectTlv(body, alg.end, OCTET_STRING, 'privateKey');
    if (wrapped.end !== body.length) throw new DerError('attributes or trailing bytes after privateKey');
    const ec = expectTlv(wrapped.value, 0, SEQUENCE, 'ECPrivateKey');
    if (ec.end !== wrapped.value.length) throw new DerError('trailing bytes after ECPrivateKey');
    const e = ec.value;
    const ecVersion = expectTlv(e, 0, INTEGER, 'ECPrivateKey version');
    if (!bytesEqual(ecVersion.value, Uint8Array.of(1))) throw new DerError('ECPrivateKey version is not 1');
    const d = expectTlv(e, ecVersion.end, OCTET_STRING, 'ECPrivateKey privateKey');
    if (d.value.length !== 32) throw new DerError(`private key is ${d.value.length} bytes, not 32`);
    if (!isPrivateKeyInRange(d.value)) throw new DerError('private key is not in [1, n-2]');
    const privateKey = d.value.slice();
    let at = d.end;
    if (at < e.length && e[at] === 0xa0) {
      const params = readTlv(e, at);
      if (!bytesEqual(params.value, CURVE_OID)) throw new DerError('parameters name a curve other than SM2');
      at = params.end;
    }
    if (at < e.length && e[at] === 0xa1) {
      const pub = readTlv(e, at);
      const bits = expectTlv(pub.value, 0, BIT_STRING, 'publicKey');
      if (bits.end !== pub.value.length || bits.value[0] !== 0)
        throw new DerError('publicKey is not a whole-byte BIT STRING');
      if (!bytesEqual(bits.value.subarray(1), sm2PublicKey(privateKey)))
        throw new DerError('the public key in the file does not belong to its private key');
      at = pub.end;
    }
    if (at !== e.length) throw new DerError('unexpected fields in ECPrivateKey');
    return privateKey;
  } catch (err) {
    if (err instanceof DerError) throw badPem('PKCS#8 private key', err.message, err);
    throw err;
  } finally {
    der.fill(0);
  }
}

export function sm2PublicKeyToPem(publicKey: Uint8Array): string {
  checkPublicKey(publicKey);
  return encodePem('PUBLIC KEY', concatBytes(SPKI_PREFIX, publicKey));
}

/** The 65-byte `04 ‖ X ‖ Y` of an SM2 `PUBLIC KEY` PEM (uncompressed only); CryptoError CRYPTO_BAD_PEM otherwise. */
export function sm2PublicKeyFromPem(pem: string): Uint8Array {
  const der = decodePem('PUBLIC KEY', pem);
  if (
    der.length !== SPKI_PREFIX.length + PUBLIC_KEY_LENGTH ||
    !bytesEqual(der.subarray(0, SPKI_PREFIX.length), SPKI_PREFIX)
  )
    throw badPem(
      'SubjectPublicKeyInfo',
      'expected id-ecPublicKey, the SM2 curve and a 65-byte uncompressed point',
    );
  const publicKey = der.slice(SPKI_PREFIX.length);
  if (publicKey[0] !== 0x04) throw badPem('SubjectPublicKeyInfo', 'the point is not uncompressed');
  return publicKey;
}

/** Raw r ‖ s (64 bytes) as DER `SM2Signature` (GM/T 0009 §7.3). */
export function sm2SignatureToDer(signature: Uint8Array): Uint8Array {
  if (!(signature instanceof Uint8Array)) throw new TypeError('signature must be a Uint8Array');
  if (signature.length !== SIGNATURE_LENGTH)
    throw new CryptoError('CRYPTO_BAD_SIGNATURE', `signature must be 64 bytes, got ${signature.length}`);
  return writeTlv(
    SEQUENCE,
    concatBytes(
      writeTlv(INTEGER, fixedToInteger(signature.subarray(0, 32))),
      writeTlv(INTEGER, fixedToInteger(signature.subarray(32, 64))),
    ),
  );
}

/** DER `SM2Signature` as raw r ‖ s; CryptoError CRYPTO_BAD_SIGNATURE unless strictly DER with r, s < 2²⁵⁶. */
export function sm2SignatureFromDer(der: Uint8Array): Uint8Array {
  if (!(der instanceof Uint8Array)) throw new TypeError('der must be a Uint8Array');
  try {
    const seq = expectTlv(der, 0, SEQUENCE, 'SM2Signature');
    if (seq.end !== der.length) throw new DerError('trailing bytes');
    const r = expectTlv(seq.value, 0, INTEGER, 'R');
    const s = expectTlv(seq.value, r.end, INTEGER, 'S');
    if (s.end !== seq.value.length) throw new DerError('trailing fields');
    return concatBytes(integerToFixed(r.value, 32), integerToFixed(s.value, 32));
  } catch (err) {
    if (err instanceof DerError)
      throw new CryptoError('CRYPTO_BAD_SIGNATURE', `not a DER SM2Signature: ${err.message}`, { cause: err });
    throw err;
  }
}
