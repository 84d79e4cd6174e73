/**
 * C2SP signed notes (c2sp.org/signed-note, "Format" and "Signatures"): text ending in a newline, a blank line, then
 * one or more lines `— <key name> <base64(key ID ‖ signature)>\n`. Parsing is strict (the bytes have exactly one
 * reading); verification ignores unknown keys, requires one valid known signature and refuses a bad known one.
 */
import { fromBase64, fromUtf8, utf8 } from '../bytes';
import { portableSuiteById } from '../crypto/registry';
import type { CryptoSuite, Signer } from '../crypto/types';
import { CryptoError } from '../errors';
import { verifyCosignature } from './cosignature';
import {
  formatSignatureLine,
  hasControl,
  isValidKeyName,
  isWellFormed,
  keyIdHex,
  type NoteKey,
  type NoteKeyInput,
  type NoteSignature,
  noteKeyId,
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  toNoteKey,
} from './note-key';

export interface Note {
  /** The signed text, including its final newline. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface VerifiedSignature {
  readonly key: NoteKey;
  /** cosignature/v1 timestamp (POSIX seconds); undefined for plain Ed25519 signatures. */
  readonly timestamp: number | undefined;
}

export interface VerifiedNote extends Note {
  /** Known keys whose signatures verified, once each, in order of first appearance. */
  readonly verified: readonly VerifiedSignature[];
}

/** Go's sumdb/note limit; the spec asks for at least 16. */
export const MAX_SIGNATURES = 100;
const SIG_PREFIX = '\u2014 ';

function bad(message: string, cause?: unknown): CryptoError {
  return new CryptoError('CRYPTO_BAD_NOTE', message, cause === undefined ? undefined : { cause });
}

function checkText(text: string): void {
  if (typeof text !== 'string') throw new TypeError('note text must be a string');
  if (!text.endsWith('\n')) throw bad('note text must end with a newline');
  if (hasControl(text, true)) throw bad('note text must not contain control characters other than newline');
  if (!isWellFormed(text)) throw bad('note text must be valid Unicode');
}

/** Parses a signed note (string, or UTF-8 bytes decoded strictly). Throws CRYPTO_BAD_NOTE if malformed. */
export function parseNote(input: string | Uint8Array): Note {
  let msg: string;
  if (input instanceof Uint8Array) {
    try {
      msg = fromUtf8(input);
    } catch (err) {
      throw bad('note is not valid UTF-8', err);
    }
  } else if (typeof input === 'string') msg = input;
  else throw new TypeError('note must be a string or Uint8Array');
  if (hasControl(msg, true)) throw bad('note must not contain control characters other than newline');
  if (!isWellFormed(msg)) throw bad('note must be valid Unicode');
  if (!msg.endsWith('\n')) throw bad('note must end with a newline');
  // The text is separated from the signatures by the last empty line.
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw bad('note has no blank line before its signatures');
  const text = msg.slice(0, split + 1);
  const lines = msg.slice(split + 2, -1);
  if (lines.length === 0) throw bad('note has no signatures');
  const signatures: NoteSignature[] = [];
  for (const line of lines.split('\n')) {
    if (signatures.length === MAX_SIGNATURES) throw bad(`note has more than ${MAX_SIGNATURES} signatures`);
    if (!line.startsWith(SIG_PREFIX)) throw bad('signature line must start with an em dash and a space');
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) throw bad('signature line must be "— <name> <base64>"');
    const name = rest.slice(0, space);
    if (!isValidKeyName(name)) throw bad('signature line has an invalid key name');
    let raw: Uint8Array;
    try {
      raw = fromBase64(rest.slice(space + 1));
    } catch (err) {
      throw bad('signature is not canonical base64', err);
    }
    if (raw.length < 5) throw bad('signature is shorter than a key id and one byte');
    const keyId = raw[0]! * 0x1000000 + ((raw[1]! << 16) | (raw[2]! << 8) | raw[3]!);
    signatures.push({ name, keyId, signature: raw.slice(4) });
  }
  return { text, signatures };
}

/** The signed text of a note (through its final newline, without the blank line and signatures); strict as parseNote. */
export function noteText(note: string | Uint8Array): string {
  return parseNote(note).text;
}

/** The signature lines of a note, each without its newline, in order; strict as parseNote. */
export function noteSignatureLines(note: string | Uint8Array): string[] {
  return parseNote(note).signatures.map((s) => formatSignatureLine(s).slice(0, -1));
}

export function formatNote(note: Note): string {
  checkText(note.text);
  if (note.signatures.length === 0) throw new RangeError('a note needs at least one signature');
  if (note.signatures.length > MAX_SIGNATURES)
    throw new RangeError(`a note holds at most ${MAX_SIGNATURES} signatures`);
  return `${note.text}\n${note.signatures.map(formatSignatureLine).join('')}`;
}

/** Signs `text` with an Ed25519 signer under key `name` (type 0x01). Returns the note. */
export async function signNote(text: string, name: string, signer: Signer): Promise<string> {
  checkText(text);
  const suite = portableSuiteById(signer.suite);
  const keyId = noteKeyId(name, signer.publicKey, SIG_ED25519, suite.id);
  let signature: Uint8Array;
  try {
    signature = await signer.sign(utf8(text));
  } catch (err) {
    throw new CryptoError('CRYPTO_SIGNER_FAILED', 'note signer failed', { cause: err });
  }
  if (!(signature instanceof Uint8Array) || signature.length !== suite.signatureLength)
    throw new CryptoError(
      'CRYPTO_SIGNER_FAILED',
      `note signer returned a signature that is not ${suite.signatureLength} bytes`,
    );
  return formatNote({ text, signatures: [{ name, keyId, signature }] });
}

/**
 * Verifies a note against known keys (types 0x01 and 0x04; type defaults to 0x01). Signatures whose (name, key id) match no known key are
 * ignored. Throws CRYPTO_BAD_NOTE when the note is malformed, when a known key's signature fails, when two different
 * known keys share a name and key id, or when no known key signed.
 */
export function verifyNote(
  input: string | Uint8Array,
  knownKeys: readonly NoteKeyInput[],
  suite: CryptoSuite,
): VerifiedNote {
  if (!Array.isArray(knownKeys)) throw new TypeError('knownKeys must be an array');
  const keys = knownKeys.map((k) => toNoteKey(k, SIG_ED25519, suite.id));
  if (keys.some((k) => k.suite !== suite.id))
    throw new RangeError(`known keys must be of the verifying suite ${suite.id}`);
  const note = parseNote(input);
  const message = utf8(note.text);
  const verified: VerifiedSignature[] = [];
  for (const sig of note.signatures) {
    const matches = keys.filter((k) => k.name === sig.name && k.keyId === sig.keyId);
    const key = matches[0];
    if (!key) continue;
    const label = `${sig.name}+${keyIdHex(sig.keyId)}`;
    if (matches.some((k) => k.type !== key.type || k.publicKey.some((b, i) => b !== key.publicKey[i])))
      throw bad(`ambiguous key ${label}`);
    let timestamp: number | undefined;
    let ok: boolean;
    if (key.type === SIG_COSIGNATURE_V1) {
      timestamp = verifyCosignature(note.text, sig, key, suite);
      ok = timestamp !== undefined;
    } else {
      ok =
        sig.signature.length === suite.signatureLength && suite.verify(key.publicKey, message, sig.signature);
    }
    if (!ok) throw bad(`invalid signature for key ${label}`);
    if (!verified.some((v) => v.key === key)) verified.push({ key, timestamp });
  }
  if (verified.length === 0) throw bad('note has no verifiable signatures');
  return { ...note, verified };
}
