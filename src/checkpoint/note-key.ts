/**
 * C2SP signed-note keys (c2sp.org/signed-note, "Signatures" and "Signature types"): key names, key ids and the
 * verifier key text `<name>+<hex key id>+<base64(type ‖ public key)>` of golang.org/x/mod/sumdb/note.
 * Key ids are SHA-256 by specification, whatever the log's suite, so SHA-256 is fixed here.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromBase64, toBase64, utf8 } from '../bytes';

/** Ed25519 over the note text. */
export const SIG_ED25519 = 0x01;
/** Timestamped Ed25519 witness cosignature, c2sp.org/tlog-cosignature (cosignature/v1). */
export const SIG_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIG_ED25519 | typeof SIG_COSIGNATURE_V1;

/** A trusted key: name, signature type and public key; `keyId` is derived (uint32). */
export interface NoteKey {
  readonly name: string;
  readonly type: SignatureType;
  readonly publicKey: Uint8Array;
  readonly keyId: number;
}

/** A key as callers hold it: the key id is derived when absent and checked when present. */
export interface NoteKeyInput {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly type?: SignatureType;
  readonly keyId?: number;
}

/** Normalizes a NoteKeyInput (type defaults to `defaultType`); RangeError when it is malformed or its keyId wrong. */
export function toNoteKey(input: NoteKeyInput, defaultType: SignatureType = SIG_ED25519): NoteKey {
  if (typeof input !== 'object' || input === null) throw new TypeError('key must be an object');
  const key = noteKey(input.name, input.publicKey, input.type ?? defaultType);
  if (input.keyId !== undefined && input.keyId !== key.keyId)
    throw new RangeError(`key ${input.name} has a wrong keyId`);
  return key;
}

/** One signature line: `— <name> base64(keyId(4, big-endian) ‖ signature)`. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string that UTF-8 can carry unchanged (no unpaired surrogate). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

/** True when `s` holds an ASCII control character (below U+0020; signed-note §Format), newline excepted if allowed. */
export function hasControl(s: string, allowNewline: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && !(allowNewline && c === 0x0a)) return true;
  }
  return false;
}

// Go's unicode.IsSpace plus U+FEFF (JS \s); names never hold '+', spaces or control characters.
const BAD_NAME = /[\s\u0085+]/u;

/** Key names are non-empty and hold no Unicode space, no plus and no control character. */
export function isValidKeyName(name: string): boolean {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    !BAD_NAME.test(name) &&
    !hasControl(name, false) &&
    isWellFormed(name)
  );
}

function checkName(name: string): void {
  if (!isValidKeyName(name))
    throw new RangeError('key name must be non-empty with no spaces, "+" or control characters');
}

/** key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4], as a big-endian uint32. */
export function noteKeyId(name: string, publicKey: Uint8Array, type: SignatureType = SIG_ED25519): number {
  checkName(name);
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
  const d = sha256(concatBytes(utf8(name), new Uint8Array([0x0a, type]), publicKey));
  return d[0]! * 0x1000000 + ((d[1]! << 16) | (d[2]! << 8) | d[3]!);
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

export function keyIdBytes(keyId: number): Uint8Array {
  return new Uint8Array([
    Math.floor(keyId / 0x1000000),
    (keyId >> 16) & 255,
    (keyId >> 8) & 255,
    keyId & 255,
  ]);
}

export function noteKey(name: string, publicKey: Uint8Array, type: SignatureType = SIG_ED25519): NoteKey {
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) throw new RangeError('type must be 0x01 or 0x04');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32)
    throw new RangeError('publicKey must be a 32-byte Ed25519 key');
  return Object.freeze({ name, type, publicKey: publicKey.slice(), keyId: noteKeyId(name, publicKey, type) });
}

/** `<name>+<8 lowercase hex>+<base64(type ‖ key)>`. */
export function formatVerifierKey(key: NoteKey): string {
  return `${key.name}+${keyIdHex(key.keyId)}+${toBase64(concatBytes(new Uint8Array([key.type]), key.publicKey))}`;
}

/**
 * Parses a verifier key strictly: valid name, exactly 8 lowercase hex digits that equal the derived key id,
 * canonical base64 of a known type byte (0x01 or 0x04) and a 32-byte key. Throws RangeError otherwise.
 */
export function parseVerifierKey(vkey: string): NoteKey {
  if (typeof vkey !== 'string') throw new TypeError('vkey must be a string');
  // The base64 part may itself contain '+': split at the first two only.
  const a = vkey.indexOf('+');
  const b = a < 0 ? -1 : vkey.indexOf('+', a + 1);
  if (b < 0) throw new RangeError('vkey must be <name>+<hex key id>+<base64 key>');
  const name = vkey.slice(0, a);
  const hex = vkey.slice(a + 1, b);
  const b64 = vkey.slice(b + 1);
  checkName(name);
  if (!/^[0-9a-f]{8}$/.test(hex)) throw new RangeError('vkey key id must be 8 lowercase hex digits');
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64);
  } catch {
    throw new RangeError('vkey key is not canonical base64');
  }
  const type = raw[0];
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1)
    throw new RangeError('vkey has an unknown signature type');
  const key = noteKey(name, raw.subarray(1), type);
  if (keyIdHex(key.keyId) !== hex) throw new RangeError('vkey key id does not match its name and key');
  return key;
}

/** `— <name> <base64(keyId ‖ signature)>\n` (U+2014 em dash). */
export function formatSignatureLine(sig: NoteSignature): string {
  checkName(sig.name);
  return `\u2014 ${sig.name} ${toBase64(concatBytes(keyIdBytes(sig.keyId), sig.signature))}\n`;
}
