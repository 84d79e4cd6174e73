/**
 * c2sp.org/tlog-cosignature, Ed25519 type (cosignature/v1, signature type 0x04). The signed message is
 * "cosignature/v1\ntime <decimal seconds>\n" ‖ checkpoint note body; the signature bytes are the timestamped_signature
 * struct: u64 big-endian timestamp ‖ 64-byte Ed25519 signature. Other suites (sm2-sm3) use the same message and
 * layout with their own signature and a 0xff signature type (note-key.ts); only this project verifies those.
 */
import { concatBytes, utf8 } from '../bytes';
import { portableSuiteById } from '../crypto/registry';
import type { CryptoSuite, Signer } from '../crypto/types';
import { CryptoError } from '../errors';
import {
  formatSignatureLine,
  type NoteKey,
  type NoteSignature,
  noteKeyId,
  SIG_COSIGNATURE_V1,
} from './note-key';

/** u64 timestamp ‖ the suite's signature. */
const TIMESTAMP_LENGTH = 8;

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
  const suite = portableSuiteById(signer.suite);
  const keyId = noteKeyId(name, signer.publicKey, SIG_COSIGNATURE_V1, suite.id);
  let sig: Uint8Array;
  try {
    sig = await signer.sign(message);
  } catch (err) {
    throw new CryptoError('CRYPTO_SIGNER_FAILED', 'cosigner failed to sign', { cause: err });
  }
  if (!(sig instanceof Uint8Array) || sig.length !== suite.signatureLength)
    throw new CryptoError(
      'CRYPTO_SIGNER_FAILED',
      `cosigner returned a signature that is not ${suite.signatureLength} bytes`,
    );
  const ts = new Uint8Array(8);
  new DataView(ts.buffer).setBigUint64(0, BigInt(timeSeconds));
  return formatSignatureLine({ name, keyId, signature: concatBytes(ts, sig) });
}

/** The timestamp of a cosignature/v1 signature (the bytes after the key id). Throws CRYPTO_BAD_NOTE if malformed. */
export function cosignatureTimestamp(signature: Uint8Array, signatureLength = 64): number {
  const length = TIMESTAMP_LENGTH + signatureLength;
  if (!(signature instanceof Uint8Array) || signature.length !== length)
    throw new CryptoError('CRYPTO_BAD_NOTE', `cosignature must be ${length} bytes`);
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
  const time = cosignatureTimestamp(sig.signature, suite.signatureLength);
  let message: Uint8Array;
  try {
    message = cosignatureMessage(checkpointBody, time);
  } catch (err) {
    throw new CryptoError('CRYPTO_BAD_NOTE', 'cosigned note is not a checkpoint', { cause: err });
  }
  return suite.verify(key.publicKey, message, sig.signature.subarray(TIMESTAMP_LENGTH)) ? time : undefined;
}
