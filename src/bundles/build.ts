/**
 * Assembles and signs a proof bundle from its parts (entries with proofs, a cosigned checkpoint, cases, …). Pure: the
 * Node exporter (export.ts) reads the parts from a ledger; tests and other systems may assemble them otherwise. The
 * compliance findings are computed here with the same replay the verifier runs, so both see the same case views.
 */
import { decodeSignedEntry } from '../ledger/format';
import type { Entry } from '../ledger/types';
import type { WorkingDayCalendar } from '../compliance/calendar';
import { defaultCalendar } from '../compliance/default-calendar';
import { checkCase } from '../compliance/report';
import { encodeRuleSet, identifyRuleSet, type RuleSet } from '../compliance/rule-set';
import type { CryptoSuite, Signer } from '../crypto/types';
import { fromHex } from '../bytes';
import { CryptoError } from '../errors';
import {
  type BundleCase,
  type BundleEntry,
  type BundlePayload,
  type BundleSample,
  bundleSigningMessage,
  encodeBundle,
  encodePayload,
} from './format';
import { caseViewFrom, replayEntries } from './replay';

export interface BundleParts {
  readonly origin: string;
  /** Signed checkpoint note with the witnesses' cosignature lines. */
  readonly checkpoint: string;
  /** Entries with their inclusion proofs; sorted and deduplicated here. Must include the manifest (seq 0). */
  readonly entries: readonly BundleEntry[];
  /** Cases: id and the seqs of its records (all carried in `entries`). */
  readonly cases?: ReadonlyArray<{
    readonly caseId: string;
    readonly seqs: readonly number[];
    readonly asOf?: number;
    /** Seqs of the organisation records its rules consult (agencies, devices and their events; all carried). */
    readonly organisation?: readonly number[];
  }>;
  /** Required when there are cases. */
  readonly ruleSet?: RuleSet;
  readonly calendar?: WorkingDayCalendar;
  readonly consistency?: { readonly size: number; readonly proof: readonly Uint8Array[] };
  readonly content?: readonly Uint8Array[];
  readonly sample?: BundleSample;
  /** Export time, ms (injected). */
  readonly exported: number;
  readonly suite: CryptoSuite;
}

export async function buildBundle(parts: BundleParts, exporter: Signer): Promise<Uint8Array> {
  if (!parts || typeof parts !== 'object') throw new TypeError('parts must be an object');
  if (!exporter || typeof exporter.sign !== 'function') throw new TypeError('exporter must be a Signer');
  const decoded = new Map<
    number,
    { be: BundleEntry; entry: Entry; entryBytes: Uint8Array; signature: Uint8Array }
  >();
  for (const be of parts.entries) {
    const d = decodeSignedEntry(be.entry);
    decoded.set(d.entry.seq, { be, ...d });
  }
  const ordered = [...decoded.values()].sort((a, b) => a.entry.seq - b.entry.seq);
  const calendar = parts.calendar ?? defaultCalendar;
  const cases: BundleCase[] = [];
  const cs = parts.cases ?? [];
  if (cs.length > 0) {
    if (!parts.ruleSet) throw new TypeError('parts.ruleSet is required with cases');
    const replay = replayEntries(ordered, parts.suite);
    const bySeq = new Map(ordered.map((d) => [d.entry.seq, d.entry]));
    const ruleSetId = identifyRuleSet(parts.ruleSet, parts.suite.hash);
    for (const c of cs) {
      const seqs = [...new Set(c.seqs)].sort((a, b) => a - b);
      const organisation = [...new Set(c.organisation ?? [])].sort((a, b) => a - b);
      const view = caseViewFrom(seqs, bySeq, replay.signers, organisation);
      const r = checkCase(view, {
        ruleSet: parts.ruleSet,
        calendar,
        ruleSetId,
        ...(c.asOf !== undefined ? { asOf: c.asOf } : {}),
      });
      cases.push({
        caseId: c.caseId,
        seqs,
        asOf: r.asOf,
        findings: r.findings,
        ...(organisation.length ? { organisation } : {}),
      });
    }
  }
  const payload: BundlePayload = {
    v: 1,
    origin: parts.origin,
    checkpoint: parts.checkpoint,
    entries: ordered.map((d) => ({ entry: d.be.entry, proof: d.be.proof })),
    cases,
    ruleSet: parts.ruleSet && cs.length > 0 ? encodeRuleSet(parts.ruleSet) : null,
    calendar: calendar.version,
    consistency: parts.consistency ?? null,
    content: parts.content ?? [],
    sample: parts.sample ?? null,
    exported: parts.exported,
  };
  const payloadBytes = encodePayload(payload);
  let signature: Uint8Array;
  try {
    signature = await exporter.sign(bundleSigningMessage(payloadBytes));
  } catch (err) {
    throw new CryptoError('CRYPTO_SIGNER_FAILED', 'the exporter failed to sign the bundle', { cause: err });
  }
  return encodeBundle(payloadBytes, fromHex(exporter.keyId), signature);
}
