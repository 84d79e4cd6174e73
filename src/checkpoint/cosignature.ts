/**
 * c2sp.org/tlog-cosignature, Ed25519 type (cosignature/v1, signature type 0x04). The signed message is
 * "cosignature/v1\ntime <decimal seconds>\n" ‖ checkpoint note body; the signature bytes are the timestamped_signature
 * struct: u64 big-endian timestamp ‖ 64-byte Ed25519 signature.
 */
import { concatBytes, utf8 } from '../bytes';
import type { CryptoSuite, Signer } from '../crypto/types';
import { CryptoError } from '../errors';
import {
  formatSignatureLine,
  type NoteKey,
  type NoteSignature,
  noteKeyId,
  SIG_COSIGNATURE_V1,
} from './note-key';

const SIGNATURE_LENGTH = 8 + 64;

function checkTime(timeSeconds: number): void {
  if (!Number.isSafeInteger(timeSeconds) || timeSeconds < 0)
    throw new RangeError('timeSeconds must be a safe non-negative integer');
}

function checkBody(body: string): void {
  if (typeof body !== 'string') throw new TypeError('checkpoint body must be a string');
  if (!body.endsWith('\n') || body.split('\n').length < 4)
    throw new RangeError('checkpoint body must be at least three newline-terminated lines');
}

/** The exact bytes a cosigner signs (tlog-cosignature "Ed25519 signed message"). */
export function cosignatureMessage(checkpointBody: string, timeSeconds: number): Uint8Array {
  checkBody(checkpointBody);
  checkTime(timeSeconds);
  return utf8(`cosignature/v1\ntime ${timeSeconds}\n${checkpointBody}`);
}

/** Cosigns a checkpoint body at `timeSeconds` (POSIX seconds, injected). Returns the note signature line. */
export async function cosign(
  checkpointBody: string,
  name: string,
  signer: Signer,
  timeSeconds: number,
): Promise<string> {
  const message = cosignatureMessage(checkpointBody, timeSeconds);
  const keyId = noteKeyId(name, signer.publicKey, SIG_COSIGNATURE_V1);
  let sig: Uint8Array;
  try {
    sig = await signer.sign(message);
  } catch (err) {
    throw new CryptoError('CRYPTO_SIGNER_FAILED', 'cosigner failed to sign', { cause: err });
  }
  if (!(sig instanceof Uint8Array) || sig.length !== 64)
    throw new CryptoError('CRYPTO_SIGNER_FAILED', 'cosigner returned a signature that is not 64 bytes');
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, BigInt(timeSeconds));
  return formatSignatureLine({ name, keyId, signature: concatBytes(ts, sig) });
}

/** The timestamp of a cosignature/v1 signature (the bytes after the key id). Throws CRYPTO_BAD_NOTE if malformed. */
export function cosignatureTimestamp(signature: Uint8Array): number {
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_LENGTH)
    throw new CryptoError('CRYPTO_BAD_NOTE', `cosignature must be ${SIGNATURE_LENGTH} bytes`);
  const t = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
  if (t > BigInt(Number.MAX_SAFE_INTEGER))
    throw new CryptoError('CRYPTO_BAD_NOTE', 'cosignature timestamp is out of range');
  return Number(t);
}

/**
 * Checks one cosignature line of `key` (type 0x04) over `checkpointBody`. Returns the timestamp when the
 * signature verifies, undefined when it does not; throws CRYPTO_BAD_NOTE when the signature is malformed.
 */
export function verifyCosignature(
  checkpointBody: string,
  sig: NoteSignature,
  key: NoteKey,
  suite: CryptoSuite,
): number | undefined {
  if (key.type !== SIG_COSIGNATURE_V1) throw new RangeError('key is not a cosignature/v1 key');
  if (sig.name !== key.name || sig.keyId !== key.keyId) return undefined;
  const time = cosignatureTimestamp(sig.signature);
  let message: Uint8Array;
  try {
    message = cosignatureMessage(checkpointBody, time);
  } catch (err) {
    throw new CryptoError('CRYPTO_BAD_NOTE', 'cosigned note is not a checkpoint', { cause: err });
  }
  return suite.verify(key.publicKey, message, sig.signature.subarray(8)) ? time : undefined;
}
