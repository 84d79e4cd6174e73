/**
 * C2SP signed-note keys (c2sp.org/signed-note, "Signatures" and "Signature types"): key names, key ids and the
 * verifier key text `<name>+<hex key id>+<base64(type ‖ public key)>` of golang.org/x/mod/sumdb/note.
 *
 * A key's signature type is its role (a log's signature over the note text, or a timestamped witness cosignature)
 * under its suite: for `ed25519-sha256` the assigned bytes 0x01 and 0x04; for suites without an assigned byte
 * (`sm2-sm3`) the spec's 0xff followed by an identifier (CryptoSuite.noteSignatureType / cosignatureType). Key ids
 * are SHA-256 by the specification's recommendation whatever the suite: they are identifiers, not security.
 */
import { concatBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from '../bytes';
import { noteKeyIdHash } from '../crypto/note-key-hash';
import { SUITE_IDS, portableSuiteById } from '../crypto/registry';
import type { SuiteId } from '../crypto/types';

/** The log's signature over the note text (type 0x01 for Ed25519). */
export const SIG_ED25519 = 0x01;
/** Timestamped witness cosignature, c2sp.org/tlog-cosignature (cosignature/v1; type 0x04 for Ed25519). */
export const SIG_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIG_ED25519 | typeof SIG_COSIGNATURE_V1;

const DEFAULT_SUITE: SuiteId = 'ed25519-sha256';

/** The signature type identifier bytes of a role under a suite (0x01 / 0x04 for Ed25519, 0xff ‖ id otherwise). */
export function signatureTypeBytes(type: SignatureType, suite: SuiteId = DEFAULT_SUITE): Uint8Array {
  const s = portableSuiteById(suite);
  return fromHex(type === SIG_ED25519 ? s.noteSignatureType : s.cosignatureType);
}

/** A trusted key: name, signature type, suite and public key; `keyId` is derived (uint32). */
export interface NoteKey {
  readonly name: string;
  readonly type: SignatureType;
  readonly suite: SuiteId;
  readonly publicKey: Uint8Array;
  readonly keyId: number;
}

/** A key as callers hold it: the key id is derived when absent and checked when present. */
export interface NoteKeyInput {
  readonly name: string;
  readonly publicKey: Uint8Array;
  readonly type?: SignatureType;
  /** Default: the suite of the verifier it is given to, else `ed25519-sha256`. */
  readonly suite?: SuiteId;
  readonly keyId?: number;
}

/** Normalizes a NoteKeyInput (type defaults to `defaultType`); RangeError when it is malformed or its keyId wrong. */
export function toNoteKey(
  input: NoteKeyInput,
  defaultType: SignatureType = SIG_ED25519,
  defaultSuite: SuiteId = DEFAULT_SUITE,
): NoteKey {
  if (typeof input !== 'object' || input === null) throw new TypeError('key must be an object');
  const key = noteKey(input.name, input.publicKey, input.type ?? defaultType, input.suite ?? defaultSuite);
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
export function noteKeyId(
  name: string,
  publicKey: Uint8Array,
  type: SignatureType = SIG_ED25519,
  suite: SuiteId = DEFAULT_SUITE,
): number {
  checkName(name);
  if (!(publicKey instanceof Uint8Array)) throw new TypeError('publicKey must be a Uint8Array');
  const d = noteKeyIdHash(
    concatBytes(utf8(name), Uint8Array.of(0x0a), signatureTypeBytes(type, suite), publicKey),
  );
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

export function noteKey(
  name: string,
  publicKey: Uint8Array,
  type: SignatureType = SIG_ED25519,
  suite: SuiteId = DEFAULT_SUITE,
): NoteKey {
  if (type !== SIG_ED25519 && type !== SIG_COSIGNATURE_V1) throw new RangeError('type must be 0x01 or 0x04');
  const s = portableSuiteById(suite);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== s.publicKeyLength)
    throw new RangeError(`publicKey must be a ${s.publicKeyLength}-byte ${s.signatureName} key`);
  return Object.freeze({
    name,
    type,
    suite: s.id,
    publicKey: publicKey.slice(),
    keyId: noteKeyId(name, publicKey, type, s.id),
  });
}

/** `<name>+<8 lowercase hex>+<base64(type ‖ key)>`. */
export function formatVerifierKey(key: NoteKey): string {
  const type = signatureTypeBytes(key.type, key.suite);
  return `${key.name}+${keyIdHex(key.keyId)}+${toBase64(concatBytes(type, key.publicKey))}`;
}

/** The role and suite whose type bytes start `raw` (a verifier key's decoded bytes), or undefined. */
function typeOf(raw: Uint8Array): { type: SignatureType; suite: SuiteId; length: number } | undefined {
  const hex = toHex(raw);
  for (const suite of SUITE_IDS)
    for (const type of [SIG_ED25519, SIG_COSIGNATURE_V1] as const) {
      const t = toHex(signatureTypeBytes(type, suite));
      if (hex.startsWith(t)) return { type, suite, length: t.length / 2 };
    }
  return undefined;
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
  const t = typeOf(raw);
  if (t === undefined) throw new RangeError('vkey has an unknown signature type');
  const key = noteKey(name, raw.subarray(t.length), t.type, t.suite);
  if (keyIdHex(key.keyId) !== hex) throw new RangeError('vkey key id does not match its name and key');
  return key;
}

/** `— <name> <base64(keyId ‖ signature)>\n` (U+2014 em dash). */
export function formatSignatureLine(sig: NoteSignature): string {
  checkName(sig.name);
  return `\u2014 ${sig.name} ${toBase64(concatBytes(keyIdBytes(sig.keyId), sig.signature))}\n`;
}
