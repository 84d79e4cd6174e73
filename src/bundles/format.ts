/**
 * Proof bundle format v1 (docs/FORMAT.md §Proof bundle). Pure: runs in browsers.
 *
 * bundle  = canonical CBOR array [ mediaType tstr, payload bstr, exporterKeyId bstr(32), signature bstr(64) ]
 * payload = canonical CBOR map (BundlePayload below)
 * signature = Ed25519(exporter key, BUNDLE_CONTEXT ‖ payload)
 *
 * Decoding is strict: every field is checked for type and shape, unknown fields are refused, and every error is an
 * EncodingError (codes `ENCODING_*`); semantic checks (signatures, proofs, roles) are verify's job.
 */
import { concatBytes, toHex, utf8 } from '../bytes';
import { decodeCanonical, encodeCanonical } from '../encoding/cbor';
import { EncodingError } from '../errors';
import type { Finding } from '../compliance/finding';
import type { CborValue } from '../ledger/types';
import { isBytes, isNat, isObj } from '../guards';

export const BUNDLE_MEDIA_TYPE = 'application/vnd.enforcement-ledger.bundle+cbor; v=1';
export const BUNDLE_VERSION = 1;
/** Domain separation of the exporter's signature: context string with version, then a NUL. */
export const BUNDLE_CONTEXT = utf8('enforcement-ledger/bundle/v1\u0000');

/** An entry of the log with its RFC 9162 inclusion proof against the bundle's checkpoint. */
export interface BundleEntry {
  /** Signed entry bytes (the Merkle leaf data), docs/FORMAT.md §Entry. */
  readonly entry: Uint8Array;
  readonly proof: readonly Uint8Array[];
}

export interface BundleCase {
  readonly caseId: string;
  /** Seqs of the case's records in the bundle, ascending. */
  readonly seqs: readonly number[];
  /** The compliance rules were evaluated as of this time (ms). */
  readonly asOf: number;
  /** Findings exported by the agency (compliance rules of the bundle's rule set, in compareFindings order). */
  readonly findings: readonly Finding[];
  /**
   * Seqs of the organisation records the case's rules consult (its agency and the entrusting one, Art. 32; the
   * devices its segments name with their custody and status events, Art. 20, 28), ascending, all carried. Absent
   * (older bundles, or none): those rules cannot judge and are silent.
   */
  readonly organisation?: readonly number[];
}

export interface BundleSample {
  readonly nonce: Uint8Array;
  readonly k: number;
  /** Case ids of the log at the checkpoint, sorted: the population the sample was drawn from (attested). */
  readonly population: readonly string[];
}

export interface BundlePayload {
  readonly v: 1;
  readonly origin: string;
  /** Signed checkpoint note: the log's signature and the witnesses' cosignature lines. */
  readonly checkpoint: string;
  /** Ascending by seq, distinct; seq 0 (the manifest) first. */
  readonly entries: readonly BundleEntry[];
  readonly cases: readonly BundleCase[];
  /** Canonical CBOR of the compliance rule set (its SHA-256 is the rule-set identity); null without cases. */
  readonly ruleSet: Uint8Array | null;
  /** Version of the working-day calendar used by the exporter. */
  readonly calendar: string;
  /** Consistency proof from the inspector's checkpoint of size `size` to (or from) the bundle's checkpoint. */
  readonly consistency: { readonly size: number; readonly proof: readonly Uint8Array[] } | null;
  /** Small content files carried in the bundle (e.g. document scans), each referenced by an entry. */
  readonly content: readonly Uint8Array[];
  readonly sample: BundleSample | null;
  /** Export time (ms since epoch), attested by the exporter. */
  readonly exported: number;
}

export interface DecodedBundle {
  readonly mediaType: string;
  /** The signed payload bytes. */
  readonly payloadBytes: Uint8Array;
  readonly payload: BundlePayload;
  /** Hex key id (SHA-256 of the public key) of the exporter. */
  readonly exporter: string;
  readonly signature: Uint8Array;
}

const PAYLOAD_KEYS = [
  'v',
  'cases',
  'origin',
  'sample',
  'content',
  'entries',
  'calendar',
  'exported',
  'ruleSet',
  'checkpoint',
  'consistency',
].sort();

type Obj = Record<string, unknown>;

function bad(message: string): never {
  throw new EncodingError('ENCODING_MALFORMED', `bundle: ${message}`);
}

const isUint = isNat;
const isText = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

function exactKeys(o: Obj, keys: readonly string[], where: string): void {
  const got = Object.keys(o).sort();
  if (got.length !== keys.length || got.some((k, i) => k !== keys[i]))
    bad(`${where} must have exactly the keys ${keys.join(', ')}`);
}

function hashList(x: unknown, where: string): Uint8Array[] {
  if (!Array.isArray(x) || x.length > 64) bad(`${where} must be a list of at most 64 hashes`);
  return x.map((h, i) => {
    if (!isBytes(h, 32)) bad(`${where}[${i}] must be 32 bytes`);
    return h;
  });
}

function payloadToCbor(p: BundlePayload): CborValue {
  return {
    v: p.v,
    origin: p.origin,
    checkpoint: p.checkpoint,
    entries: p.entries.map((e) => [e.entry, [...e.proof]]),
    cases: p.cases.map((c) => ({
      caseId: c.caseId,
      seqs: [...c.seqs],
      asOf: c.asOf,
      findings: c.findings as unknown as CborValue,
      // Only when there are some: a bundle without organisation records encodes as before.
      ...(c.organisation?.length ? { organisation: [...c.organisation] } : {}),
    })),
    ruleSet: p.ruleSet,
    calendar: p.calendar,
    consistency: p.consistency ? { size: p.consistency.size, proof: [...p.consistency.proof] } : null,
    content: [...p.content],
    sample: p.sample ? { nonce: p.sample.nonce, k: p.sample.k, population: [...p.sample.population] } : null,
    exported: p.exported,
  };
}

export function encodePayload(p: BundlePayload): Uint8Array {
  return encodeCanonical(payloadToCbor(p));
}

/** The exact bytes the exporter signs. */
export function bundleSigningMessage(payloadBytes: Uint8Array): Uint8Array {
  return concatBytes(BUNDLE_CONTEXT, payloadBytes);
}

export function encodeBundle(
  payloadBytes: Uint8Array,
  exporterKeyId: Uint8Array,
  signature: Uint8Array,
): Uint8Array {
  if (!isBytes(exporterKeyId, 32)) throw new RangeError('exporterKeyId must be 32 bytes');
  if (!isBytes(signature, 64)) throw new RangeError('signature must be 64 bytes');
  return encodeCanonical([BUNDLE_MEDIA_TYPE, payloadBytes, exporterKeyId, signature]);
}

function decodeFinding(x: unknown, where: string): Finding {
  if (!isObj(x)) bad(`${where} must be a map`);
  exactKeys(x, ['article', 'code', 'evidence', 'liability', 'message', 'rule', 'seqs', 'severity'], where);
  const m = x.message;
  if (
    !isText(x.rule) ||
    !isText(x.article) ||
    !isText(x.liability) ||
    !isText(x.code) ||
    (x.severity !== 'violation' && x.severity !== 'warning' && x.severity !== 'info') ||
    !Array.isArray(x.seqs) ||
    !x.seqs.every(isUint) ||
    !isObj(m) ||
    typeof m.zh !== 'string' ||
    typeof m.en !== 'string' ||
    Object.keys(m).length !== 2 ||
    !isObj(x.evidence)
  )
    bad(`${where} is not a finding`);
  return x as unknown as Finding;
}

/** Decodes a bundle strictly. Throws EncodingError (codes ENCODING_*) on anything that is not a v1 bundle. */
export function decodeBundle(bytes: Uint8Array): DecodedBundle {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  const outer = decodeCanonical(bytes);
  if (!Array.isArray(outer) || outer.length !== 4) bad('must be a 4-element array');
  const [mediaType, payloadBytes, keyId, signature] = outer as unknown[];
  if (typeof mediaType !== 'string') bad('media type must be text');
  if (mediaType !== BUNDLE_MEDIA_TYPE)
    bad(`unsupported media type ${JSON.stringify(mediaType.slice(0, 80))}`);
  if (!isBytes(payloadBytes)) bad('payload must be a byte string');
  if (!isBytes(keyId, 32)) bad('exporter key id must be 32 bytes');
  if (!isBytes(signature, 64)) bad('signature must be 64 bytes');
  const p = decodeCanonical(payloadBytes);
  if (!isObj(p)) bad('payload must be a map');
  exactKeys(p, PAYLOAD_KEYS, 'payload');
  if (p.v !== BUNDLE_VERSION) bad(`unsupported bundle version ${String(p.v)}`);
  if (!isText(p.origin)) bad('origin must be text');
  if (!isText(p.checkpoint)) bad('checkpoint must be the signed note text');
  if (!isText(p.calendar)) bad('calendar must be text');
  if (!isUint(p.exported)) bad('exported must be ms since epoch');
  if (!Array.isArray(p.entries) || p.entries.length === 0) bad('entries must be a non-empty list');
  const entries = p.entries.map((e, i): BundleEntry => {
    if (!Array.isArray(e) || e.length !== 2 || !isBytes(e[0]))
      bad(`entries[${i}] must be [entry bstr, proof]`);
    return { entry: e[0] as Uint8Array, proof: hashList(e[1], `entries[${i}].proof`) };
  });
  if (!Array.isArray(p.cases)) bad('cases must be a list');
  const cases = p.cases.map((c, i): BundleCase => {
    const w = `cases[${i}]`;
    if (!isObj(c)) bad(`${w} must be a map`);
    exactKeys(
      c,
      Object.hasOwn(c, 'organisation')
        ? ['asOf', 'caseId', 'findings', 'organisation', 'seqs']
        : ['asOf', 'caseId', 'findings', 'seqs'],
      w,
    );
    if (!isText(c.caseId)) bad(`${w}.caseId must be text`);
    if (!isUint(c.asOf)) bad(`${w}.asOf must be ms`);
    if (!Array.isArray(c.seqs) || !c.seqs.every(isUint)) bad(`${w}.seqs must be a list of seqs`);
    for (let j = 1; j < c.seqs.length; j++)
      if ((c.seqs[j] as number) <= (c.seqs[j - 1] as number)) bad(`${w}.seqs must be ascending`);
    if (!Array.isArray(c.findings)) bad(`${w}.findings must be a list`);
    const org = c.organisation;
    if (org !== undefined) {
      if (!Array.isArray(org) || org.length === 0 || !org.every(isUint))
        bad(`${w}.organisation must be a non-empty list of seqs`);
      for (let j = 1; j < org.length; j++)
        if ((org[j] as number) <= (org[j - 1] as number)) bad(`${w}.organisation must be ascending`);
    }
    return {
      caseId: c.caseId,
      seqs: c.seqs as number[],
      asOf: c.asOf,
      findings: c.findings.map((f, j) => decodeFinding(f, `${w}.findings[${j}]`)),
      ...(org === undefined ? {} : { organisation: org as number[] }),
    };
  });
  if (p.ruleSet !== null && !isBytes(p.ruleSet)) bad('ruleSet must be bytes or null');
  let consistency: BundlePayload['consistency'] = null;
  if (p.consistency !== null) {
    const c = p.consistency;
    if (!isObj(c)) bad('consistency must be a map or null');
    exactKeys(c, ['proof', 'size'], 'consistency');
    if (!isUint(c.size)) bad('consistency.size must be a size');
    consistency = { size: c.size, proof: hashList(c.proof, 'consistency.proof') };
  }
  if (!Array.isArray(p.content) || !p.content.every((b) => isBytes(b)))
    bad('content must be a list of byte strings');
  let sample: BundleSample | null = null;
  if (p.sample !== null) {
    const s = p.sample;
    if (!isObj(s)) bad('sample must be a map or null');
    exactKeys(s, ['k', 'nonce', 'population'], 'sample');
    if (!isBytes(s.nonce)) bad('sample.nonce must be bytes');
    if (!isUint(s.k)) bad('sample.k must be a count');
    if (!Array.isArray(s.population) || !s.population.every(isText))
      bad('sample.population must be a list of case ids');
    sample = { nonce: s.nonce, k: s.k, population: s.population as string[] };
  }
  return {
    mediaType,
    payloadBytes,
    exporter: toHex(keyId),
    signature,
    payload: {
      v: 1,
      origin: p.origin,
      checkpoint: p.checkpoint,
      entries,
      cases,
      ruleSet: p.ruleSet as Uint8Array | null,
      calendar: p.calendar,
      consistency,
      content: p.content as Uint8Array[],
      sample,
      exported: p.exported,
    },
  };
}
