/**
 * Entry format v1 (docs/FORMAT.md §Entry). Pure: runs in browsers (the bundle verifier uses it).
 *
 * entry        = canonical CBOR map { "v": 1, "l": ledgerId(32), "s": seq, "p": prev(32), "t": time(ms),
 *                                     "k": kind, "b": body, "c": [[digest(32), size, chunkRoot(32)], ...],
 *                                     "a": signerKeyId(32) }
 * signed entry = canonical CBOR array [ entry bytes (bstr), signature (bstr, 64) ]
 * signature    = Ed25519 over ENTRY_CONTEXT ‖ entry bytes
 * leaf hash    = SHA-256(0x00 ‖ signed entry)          (RFC 9162 §2.1.1)
 * prev         = H(entry bytes of entry seq−1) — the unsigned entry map, not its leaf hash (so a batch can be
 *                signed concurrently; docs/design/chain-and-signing.md); 32 zero bytes for seq 0
 */
import { bytesEqual, concatBytes, fromHex, toHex, utf8 } from '../bytes';
import { decodeCanonical, encodeCanonical } from '../encoding/cbor';
import { EncodingError } from '../errors';
import { LEAF_PREFIX } from '../merkle/hash';
import type { CborValue, ContentRef, Entry } from './types';
import { isBytes, isNat } from '../guards';

export const FORMAT_VERSION = 1;
/** Domain separation for entry signatures: context string with version, then a NUL. */
export const ENTRY_CONTEXT = utf8('enforcement-ledger/entry/v1\u0000');
export const ZERO_HASH = new Uint8Array(32);
export const MANIFEST_KIND = 'core/manifest';

/** Key id bytes by hex key id: a ledger has few signers, and parsing 64 hex digits per entry showed in profiles. */
const keyIdBytes = new Map<string, Uint8Array>();
function signerKeyIdBytes(keyId: string): Uint8Array {
  let b = keyIdBytes.get(keyId);
  if (b === undefined) {
    b = fromHex(keyId);
    if (keyIdBytes.size >= 256) keyIdBytes.clear();
    keyIdBytes.set(keyId, b);
  }
  return b;
}

export function entryToCbor(e: Entry): CborValue {
  return {
    v: e.version,
    l: e.ledgerId,
    s: e.seq,
    p: e.prev,
    t: e.time,
    k: e.kind,
    b: e.body,
    c: e.content.map((r) => [r.digest, r.size, r.chunkRoot]),
    a: signerKeyIdBytes(e.signer),
  };
}

export function encodeEntry(e: Entry): Uint8Array {
  return encodeCanonical(entryToCbor(e));
}

export function signingMessage(entryBytes: Uint8Array): Uint8Array {
  return concatBytes(ENTRY_CONTEXT, entryBytes);
}

export function encodeSignedEntry(entryBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return frameSignedEntry(entryBytes, signature, 0);
}

/**
 * RFC 9162 leaf input of a signed entry: LEAF_PREFIX ‖ signed entry, in one buffer, so that append hashes the leaf
 * without another copy; `subarray(1)` is the signed entry itself.
 */
export function signedEntryLeaf(entryBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  const leaf = frameSignedEntry(entryBytes, signature, 1);
  leaf[0] = LEAF_PREFIX;
  return leaf;
}

/** Byte-string head (RFC 8949 §3: major type 2, shortest length argument) of a string of n bytes, n < 2^32. */
function bstrHead(out: Uint8Array, at: number, n: number): number {
  if (n < 24) out[at++] = 0x40 | n;
  else if (n < 0x100) {
    out[at++] = 0x58;
    out[at++] = n;
  } else if (n < 0x1_0000) {
    out[at++] = 0x59;
    out[at++] = n >>> 8;
    out[at++] = n & 0xff;
  } else {
    out[at++] = 0x5a;
    out[at++] = n >>> 24;
    out[at++] = (n >>> 16) & 0xff;
    out[at++] = (n >>> 8) & 0xff;
    out[at++] = n & 0xff;
  }
  return at;
}

const headLength = (n: number) => (n < 24 ? 1 : n < 0x100 ? 2 : n < 0x1_0000 ? 3 : 5);

/**
 * The canonical encoding of [entry bytes, signature] (a 2-element array of two byte strings), written directly
 * at `offset` of a fresh buffer: the same bytes as encodeCanonical gives (test/ledger/format.test.ts), without
 * walking a generic value.
 */
function frameSignedEntry(entryBytes: Uint8Array, signature: Uint8Array, offset: number): Uint8Array {
  const n = entryBytes.length;
  const m = signature.length;
  const out = new Uint8Array(offset + 1 + headLength(n) + n + headLength(m) + m);
  out[offset] = 0x82;
  let at = bstrHead(out, offset + 1, n);
  out.set(entryBytes, at);
  at = bstrHead(out, at + n, m);
  out.set(signature, at);
  return out;
}

export interface DecodedSignedEntry {
  readonly entryBytes: Uint8Array;
  readonly signature: Uint8Array;
  readonly entry: Entry;
}

const ENTRY_KEYS = ['a', 'b', 'c', 'k', 'l', 'p', 's', 't', 'v'];
const VIEWS = { views: true } as const;

/** Whether the map's own keys are exactly ENTRY_KEYS: a count and a look-up each (sorting a copy showed in profiles). */
function hasEntryKeys(m: object): boolean {
  if (Object.keys(m).length !== ENTRY_KEYS.length) return false;
  for (const k of ENTRY_KEYS) if (!Object.hasOwn(m, k)) return false;
  return true;
}

/**
 * The signed-entry frame read directly: when `bytes` is exactly what frameSignedEntry writes (0x82, a byte string
 * with its shortest head, then a 64-byte byte string, nothing after), its two parts as copies (or, with `views`,
 * plain Uint8Array views of `bytes`) — the same values the general decoder gives for those bytes. Anything else gives
 * undefined and goes through the general decoder, which names what is wrong. Spares a generic decode (and its
 * copies) per entry on verify's main thread.
 */
function unframe(bytes: Uint8Array, views: boolean): [Uint8Array, Uint8Array] | undefined {
  // A Buffer is viewed as a plain Uint8Array, so that the parts are plain Uint8Arrays (Buffer#slice gives Buffers).
  const b =
    bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  if (b.length < 1 + 1 + 2 + 64 || b[0] !== 0x82) return undefined;
  const ib = b[1]!;
  let n: number;
  let at: number;
  if (ib >= 0x40 && ib < 0x58) {
    n = ib - 0x40;
    at = 2;
  } else if (ib === 0x58) {
    n = b[2]!;
    at = 3;
    if (n < 24) return undefined;
  } else if (ib === 0x59) {
    n = (b[2]! << 8) | b[3]!;
    at = 4;
    if (n < 0x100) return undefined;
  } else if (ib === 0x5a) {
    n = ((b[2]! << 24) >>> 0) + ((b[3]! << 16) | (b[4]! << 8) | b[5]!);
    at = 6;
    if (n < 0x1_0000) return undefined;
  } else return undefined;
  const sigAt = at + n;
  if (sigAt + 2 + 64 !== b.length || b[sigAt] !== 0x58 || b[sigAt + 1] !== 64) return undefined;
  if (!views) return [b.slice(at, sigAt), b.slice(sigAt + 2)];
  // Views made by the constructor: the same as `subarray` for a plain Uint8Array, at half its cost.
  return [
    new Uint8Array(b.buffer, b.byteOffset + at, sigAt - at),
    new Uint8Array(b.buffer, b.byteOffset + sigAt + 2, 64),
  ];
}

/** Hex key ids by bytes: a ledger has few signers, so most entries repeat the last one's (no hex conversion). */
let lastKeyId: Uint8Array | undefined;
let lastKeyIdHex = '';
function keyIdHex(a: Uint8Array): string {
  if (lastKeyId === undefined || !bytesEqual(a, lastKeyId)) {
    lastKeyIdHex = toHex(a);
    lastKeyId = a;
  }
  return lastKeyIdHex;
}

const isUint = isNat;

function bad(message: string): never {
  throw new EncodingError('ENCODING_NON_CANONICAL', `entry: ${message}`);
}

/**
 * Decode and structurally check a signed entry. Throws EncodingError for bytes that are not a canonical v1 signed
 * entry; it checks no signature and no chain (that is verify's job). `views`: the entry bytes, the signature and
 * every byte string of the entry (ledger id, prev, signer, content references, those in the body) are views of `bytes`
 * rather than copies (for a caller that owns `bytes`, never changes it and keeps it as long as the parts — verify's
 * pass, which spares five copies or more per entry).
 */
export function decodeSignedEntry(
  bytes: Uint8Array,
  opts?: { readonly views?: boolean },
): DecodedSignedEntry {
  const views = opts?.views === true;
  const framed = unframe(bytes, views);
  let entryBytes: unknown;
  let signature: unknown;
  if (framed) [entryBytes, signature] = framed;
  else {
    const outer = decodeCanonical(bytes);
    if (!Array.isArray(outer) || outer.length !== 2) bad('signed entry must be a 2-element array');
    [entryBytes, signature] = outer as unknown[];
  }
  if (!isBytes(entryBytes)) bad('entry must be a byte string');
  if (!isBytes(signature, 64)) bad('signature must be a 64-byte string');
  const m = decodeCanonical(entryBytes, views ? VIEWS : undefined) as Record<string, unknown>;
  if (m === null || typeof m !== 'object' || Array.isArray(m) || m instanceof Uint8Array)
    bad('entry must be a map');
  if (!hasEntryKeys(m)) bad(`entry keys must be exactly ${ENTRY_KEYS.join(',')}`);
  if (!isUint(m.v)) bad('v must be an unsigned integer');
  if (!isBytes(m.l, 32)) bad('l (ledger id) must be 32 bytes');
  if (!isUint(m.s)) bad('s (seq) must be an unsigned integer');
  if (!isBytes(m.p, 32)) bad('p (prev) must be 32 bytes');
  if (!isUint(m.t)) bad('t (time) must be an unsigned integer');
  if (typeof m.k !== 'string' || m.k.length === 0) bad('k (kind) must be a non-empty text string');
  if (!isBytes(m.a, 32)) bad('a (signer key id) must be 32 bytes');
  if (!Array.isArray(m.c)) bad('c (content) must be an array');
  const content: ContentRef[] = (m.c as unknown[]).map((r, i) => {
    if (!Array.isArray(r) || r.length !== 3 || !isBytes(r[0], 32) || !isUint(r[1]) || !isBytes(r[2], 32))
      bad(`c[${i}] must be [digest(32), size, chunkRoot(32)]`);
    return { digest: r[0] as Uint8Array, size: r[1] as number, chunkRoot: r[2] as Uint8Array };
  });
  const entry: Entry = {
    version: m.v,
    ledgerId: m.l,
    seq: m.s,
    prev: m.p,
    time: m.t,
    kind: m.k,
    body: m.b as CborValue,
    content,
    signer: keyIdHex(m.a),
  };
  return { entryBytes, signature, entry };
}

export function contentRefEqual(a: ContentRef, b: ContentRef): boolean {
  return a.size === b.size && bytesEqual(a.digest, b.digest) && bytesEqual(a.chunkRoot, b.chunkRoot);
}
