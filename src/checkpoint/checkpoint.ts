/**
 * c2sp.org/tlog-checkpoint note text: `<origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]*`, signed as a
 * signed note. Parsing is strict: decimal size without leading zeros, canonical base64 of a 32-byte root.
 */
import { fromBase64, toBase64 } from '../bytes';
import type { CryptoSuite, Signer } from '../crypto/types';
import { CryptoError } from '../errors';
import { type NoteKey, type NoteKeyInput, SIG_COSIGNATURE_V1, SIG_ED25519, toNoteKey } from './note-key';
import { parseNote, signNote, type VerifiedSignature, verifyNote } from './note';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** Opaque extension lines (not recommended by the spec); absent or empty when none. */
  readonly extensions?: readonly string[];
}

export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The checkpoint's note text (what was signed). */
  readonly body: string;
  /** Log keys (type 0x01) whose signatures verified. */
  readonly signers: readonly NoteKey[];
  /** Witness keys (type 0x04) whose cosignatures verified, with their timestamps. */
  readonly cosigners: readonly VerifiedSignature[];
}

const SIZE = /^(0|[1-9][0-9]*)$/;

function bad(message: string, cause?: unknown): CryptoError {
  return new CryptoError('CRYPTO_BAD_NOTE', message, cause === undefined ? undefined : { cause });
}

function checkLine(line: string, name: string): void {
  if (typeof line !== 'string' || line.length === 0 || line.includes('\n'))
    throw new RangeError(`${name} must be a non-empty single line`);
}

export function formatCheckpoint(cp: Checkpoint): string {
  checkLine(cp.origin, 'origin');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0)
    throw new RangeError('size must be a safe non-negative integer');
  if (!(cp.rootHash instanceof Uint8Array) || cp.rootHash.length !== 32)
    throw new RangeError('rootHash must be 32 bytes');
  const ext = cp.extensions ?? [];
  for (let i = 0; i < ext.length; i++) checkLine(ext[i]!, `extensions[${i}]`);
  return [cp.origin, String(cp.size), toBase64(cp.rootHash), ...ext].map((l) => `${l}\n`).join('');
}

/** Parses checkpoint note text (not a whole note). Throws CRYPTO_BAD_NOTE when it is not a strict checkpoint. */
export function parseCheckpoint(body: string): Checkpoint {
  if (typeof body !== 'string') throw new TypeError('checkpoint body must be a string');
  if (!body.endsWith('\n')) throw bad('checkpoint must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw bad('checkpoint must have origin, size and root hash lines');
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw bad('checkpoint origin must be non-empty');
  if (!SIZE.test(size)) throw bad('checkpoint size must be decimal without leading zeros');
  const n = Number(size);
  if (!Number.isSafeInteger(n)) throw bad('checkpoint size exceeds 2^53 - 1');
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(root);
  } catch (err) {
    throw bad('checkpoint root hash is not canonical base64', err);
  }
  if (rootHash.length !== 32) throw bad('checkpoint root hash must be 32 bytes');
  if (extensions.some((l) => l.length === 0)) throw bad('checkpoint extension lines must be non-empty');
  return extensions.length ? { origin, size: n, rootHash, extensions } : { origin, size: n, rootHash };
}

/** Formats and signs a checkpoint as a signed note under key `name` (by convention the origin). */
export async function signCheckpoint(cp: Checkpoint, name: string, signer: Signer): Promise<string> {
  return signNote(formatCheckpoint(cp), name, signer);
}

/**
 * Verifies a checkpoint note: at least one valid signature by a trusted log key (type 0x01, the default) is
 * required; witness keys (type 0x04, the default there) in `witnesses` have their cosignatures checked and reported; other signatures are ignored.
 * Throws CRYPTO_BAD_NOTE when the note or body is malformed, a known key's signature fails, or no log key signed.
 */
export function verifyCheckpoint(
  noteText: string | Uint8Array,
  trustedKeys: readonly NoteKeyInput[],
  suite: CryptoSuite,
  witnesses: readonly NoteKeyInput[] = [],
): VerifiedCheckpoint {
  const logKeys = trustedKeys.map((k) => toNoteKey(k, SIG_ED25519, suite.id));
  const witnessKeys = witnesses.map((k) => toNoteKey(k, SIG_COSIGNATURE_V1, suite.id));
  if (logKeys.some((k) => k.type !== SIG_ED25519))
    throw new RangeError('trustedKeys must be type 0x01 log keys');
  if (witnessKeys.some((k) => k.type !== SIG_COSIGNATURE_V1))
    throw new RangeError('witnesses must be type 0x04 keys');
  const body = parseNote(noteText).text;
  const checkpoint = parseCheckpoint(body);
  const note = verifyNote(noteText, [...logKeys, ...witnessKeys], suite);
  const signers = note.verified.filter((v) => v.key.type === SIG_ED25519).map((v) => v.key);
  if (signers.length === 0) throw bad('checkpoint has no valid signature by a trusted log key');
  const cosigners = note.verified.filter((v) => v.key.type === SIG_COSIGNATURE_V1);
  return { checkpoint, body, signers, cosigners };
}
