/** The readable JSON view of a proof bundle (for people; the CBOR bytes are what counts). Pure. */
import { toHex } from '../bytes';
import { decodeSignedEntry } from '../ledger/format';
import { decodeCanonical } from '../encoding/cbor';
import { type DecodedBundle, decodeBundle } from './format';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Byte strings become lowercase hex; everything else maps as is. */
export function toJsonValue(x: unknown): Json {
  if (x instanceof Uint8Array) return toHex(x);
  if (Array.isArray(x)) return x.map(toJsonValue);
  if (typeof x === 'bigint') return x.toString();
  if (x !== null && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, toJsonValue(v)]));
  return x as Json;
}

/** JSON view of a bundle: entries decoded (kind, seq, time, signer, body), hashes and keys in hex. Throws EncodingError. */
/**
 * A time in ms as ISO 8601, for people; a time outside the range a Date can show (±8.64e15 ms — only a forged or
 * damaged entry carries one) stays the number it is, so the JSON view never throws on what decoding accepted.
 */
function isoTime(ms: number): string | number {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? ms : d.toISOString();
}

export function bundleToJson(input: Uint8Array | DecodedBundle): Json {
  const b = input instanceof Uint8Array ? decodeBundle(input) : input;
  const p = b.payload;
  return toJsonValue({
    mediaType: b.mediaType,
    version: p.v,
    origin: p.origin,
    exporter: b.exporter,
    exported: isoTime(p.exported),
    checkpoint: p.checkpoint,
    entries: p.entries.map((e) => {
      const d = decodeSignedEntry(e.entry).entry;
      return {
        seq: d.seq,
        time: isoTime(d.time),
        kind: d.kind,
        signer: d.signer,
        body: d.body,
        content: d.content,
        proof: e.proof,
      };
    }),
    cases: p.cases,
    ruleSet: p.ruleSet ? decodeCanonical(p.ruleSet) : null,
    calendar: p.calendar,
    consistency: p.consistency,
    content: p.content.map((c) => ({ size: c.length })),
    sample: p.sample,
    signature: b.signature,
  });
}
