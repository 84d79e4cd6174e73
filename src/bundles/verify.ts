/**
 * Offline verification of a proof bundle (docs/FORMAT.md §Proof bundle) from its bytes alone: no storage, no Node
 * builtin, so it runs in a browser. The result is a checklist: one status per check and every problem with a code.
 * Nothing is thrown for bad bytes (a malformed bundle is a failed `format` check); misuse of `trust` throws
 * TypeError / RangeError.
 */
import type { ProblemCode } from '../problems';
import { bytesEqual, toHex } from '../bytes';
import { verifyCheckpoint } from '../checkpoint/checkpoint';
import type { NoteKeyInput } from '../checkpoint/note-key';
import type { WorkingDayCalendar } from '../compliance/calendar';
import { defaultCalendar } from '../compliance/default-calendar';
import type { Finding } from '../compliance/finding';
import { checkCase } from '../compliance/report';
import { identifyRuleSet, type RuleSet, validateRuleSet } from '../compliance/rule-set';
import { portableSuite } from '../crypto/portable';
import type { CryptoSuite } from '../crypto/types';
import { decodeCanonical, encodeCanonical } from '../encoding/cbor';
import { LedgerError } from '../errors';
import { decodeSignedEntry } from '../ledger/format';
import type { CborValue, Entry } from '../ledger/types';
import { hashLeaf } from '../merkle/hash';
import { verifyConsistency, verifyInclusion } from '../merkle/verify';
import { checkWitnessQuorum, type WitnessPolicy } from '../witness/policy';
import { contentRefOfBytes } from './content-ref';
import { bundleSigningMessage, type DecodedBundle, decodeBundle } from './format';
import { belongsToCase, caseViewFrom, type ReplayEntry, replayEntries } from './replay';
import { selectSample } from './sample';

export const BUNDLE_CHECKS = [
  'format',
  'suite',
  'exporter',
  'checkpoint',
  'witnesses',
  'inclusion',
  'consistency',
  'signers',
  'compliance',
  'content',
  'sample',
] as const;
export type BundleCheck = (typeof BUNDLE_CHECKS)[number];
export type CheckStatus = 'pass' | 'fail' | 'skipped';

export interface BundleProblem {
  readonly check: BundleCheck;
  readonly code: ProblemCode;
  readonly message: string;
  /** The entry concerned, when there is one. */
  readonly seq?: number;
  readonly caseId?: string;
}

export interface BundleTrust {
  /** Trusted witnesses and quorum. */
  readonly witnesses: WitnessPolicy;
  /** Pins the log's checkpoint key; without it the manifest's key is used (anchored by the witnesses' quorum). */
  readonly logKey?: NoteKeyInput;
  /** Pins the log origin. */
  readonly origin?: string;
  /** A checkpoint the inspector already holds: a signed note (checked with the log key) or a size and root. */
  readonly checkpoint?: string | { readonly size: number; readonly rootHash: Uint8Array };
  /** The inspector's sampling nonce: the bundle must be that sample. */
  readonly nonce?: Uint8Array;
  /** Accepted rule-set hashes (hex); any rule set is accepted (and re-evaluated) when absent. */
  readonly ruleSetHashes?: readonly string[];
  /** Roles one of which the exporter's key must hold at the checkpoint. Default `admin`, `archivist`. */
  readonly exporterRoles?: readonly string[];
  /** Content files the inspector holds (document scans, media): each is matched to an entry's content ref. */
  readonly content?: readonly Uint8Array[];
  readonly calendar?: WorkingDayCalendar;
  /** Default `portableSuite` (@noble); `nodeSuite` gives the same answers faster on Node. */
  readonly suite?: CryptoSuite;
}

export interface BundleCaseResult {
  readonly caseId: string;
  readonly findings: readonly Finding[];
  /** Re-evaluated findings equal the exported ones. */
  readonly matches: boolean;
}

export interface BundleReport {
  readonly ok: boolean;
  readonly checks: Readonly<Record<BundleCheck, CheckStatus>>;
  readonly problems: readonly BundleProblem[];
  readonly origin?: string;
  readonly size?: number;
  readonly rootHash?: Uint8Array;
  readonly exporter?: { readonly keyId: string; readonly principal: string };
  readonly cosigners: readonly string[];
  readonly entries: number;
  readonly cases: readonly BundleCaseResult[];
  /** Content refs checked against files (in the bundle or given in `trust.content`), and refs without a file. */
  readonly content: { readonly checked: number; readonly unchecked: number };
}

const DEFAULT_EXPORTER_ROLES = ['admin', 'archivist'];

function checkTrust(trust: BundleTrust): void {
  if (!trust || typeof trust !== 'object') throw new TypeError('trust must be an object');
  if (!trust.witnesses || typeof trust.witnesses !== 'object')
    throw new TypeError('trust.witnesses is required');
  if (trust.nonce !== undefined && !(trust.nonce instanceof Uint8Array))
    throw new TypeError('trust.nonce must be a Uint8Array');
  if (
    trust.content !== undefined &&
    (!Array.isArray(trust.content) || !trust.content.every((c) => c instanceof Uint8Array))
  )
    throw new TypeError('trust.content must be an array of Uint8Array');
}

/** Verifies a proof bundle offline. See BundleTrust for what the inspector brings. */
export function verifyBundle(bytes: Uint8Array, trust: BundleTrust): BundleReport {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  checkTrust(trust);
  const suite = trust.suite ?? portableSuite;
  const problems: BundleProblem[] = [];
  const status = Object.fromEntries(BUNDLE_CHECKS.map((c) => [c, 'skipped'])) as Record<
    BundleCheck,
    CheckStatus
  >;
  const problem = (p: BundleProblem) => {
    problems.push(p);
    status[p.check] = 'fail';
  };
  const pass = (c: BundleCheck) => {
    if (status[c] === 'skipped') status[c] = 'pass';
  };
  const report = (extra: Partial<BundleReport> = {}): BundleReport => ({
    ok: problems.length === 0 && status.format === 'pass',
    checks: status,
    problems,
    cosigners: [],
    entries: 0,
    cases: [],
    content: { checked: 0, unchecked: 0 },
    ...extra,
  });

  // ---- format: bytes → bundle → entries.
  let bundle: DecodedBundle;
  const entries: Array<ReplayEntry & { bytes: Uint8Array; proof: readonly Uint8Array[] }> = [];
  try {
    bundle = decodeBundle(bytes);
    for (const [i, be] of bundle.payload.entries.entries()) {
      const d = decodeSignedEntry(be.entry);
      if (i > 0 && d.entry.seq <= entries[i - 1]!.entry.seq) {
        problem({
          check: 'format',
          code: 'BUNDLE_ENTRY_ORDER',
          seq: d.entry.seq,
          message: 'entries must be ascending by seq',
        });
        return report();
      }
      entries.push({ ...d, bytes: be.entry, proof: be.proof });
    }
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    problem({ check: 'format', code: 'BUNDLE_MALFORMED', message: `${err.code}: ${err.message}` });
    return report();
  }
  pass('format');
  const p = bundle.payload;
  const bySeq = new Map<number, Entry>(entries.map((e) => [e.entry.seq, e.entry]));

  // ---- suite, keys and roles: replay the carried entries in log order.
  const replay = replayEntries(entries, suite);
  for (const rp of replay.problems) {
    const check: BundleCheck =
      rp.code === 'SUITE_UNKNOWN' ||
      rp.code === 'VERSION_UNKNOWN' ||
      rp.code === 'MANIFEST_MISSING' ||
      rp.code === 'MANIFEST_INVALID'
        ? 'suite'
        : 'signers';
    problem({ check, code: rp.code, seq: rp.seq, message: rp.message });
  }
  const manifest = replay.manifest;
  if (!manifest) return report({ entries: entries.length });
  pass('suite');
  pass('signers');
  if (manifest.origin !== p.origin)
    problem({
      check: 'suite',
      code: 'ORIGIN_MISMATCH',
      message: `bundle origin ${p.origin} is not the manifest's ${manifest.origin}`,
    });
  if (trust.origin !== undefined && trust.origin !== manifest.origin)
    problem({
      check: 'suite',
      code: 'ORIGIN_UNTRUSTED',
      message: `log origin ${manifest.origin} is not the trusted ${trust.origin}`,
    });

  // ---- exporter: a registered, unrevoked key with an exporter role at the checkpoint; signature over the payload.
  const exporterKey = replay.registry.keys.get(bundle.exporter);
  const exporterRoles = trust.exporterRoles ?? DEFAULT_EXPORTER_ROLES;
  if (!exporterKey)
    problem({
      check: 'exporter',
      code: 'EXPORTER_UNKNOWN',
      message: 'the exporter key is not registered in the carried entries',
    });
  else {
    if (exporterKey.revokedAt !== undefined)
      problem({
        check: 'exporter',
        code: 'EXPORTER_REVOKED',
        seq: exporterKey.revokedAt,
        message: `exporter ${exporterKey.principal} was revoked`,
      });
    if (!exporterKey.roles.some((r) => exporterRoles.includes(r)))
      problem({
        check: 'exporter',
        code: 'EXPORTER_ROLE',
        message: `exporter ${exporterKey.principal} holds none of [${exporterRoles.join(', ')}]`,
      });
    if (!suite.verify(exporterKey.publicKey, bundleSigningMessage(bundle.payloadBytes), bundle.signature))
      problem({
        check: 'exporter',
        code: 'EXPORTER_SIGNATURE',
        message: 'the exporter signature does not verify',
      });
    pass('exporter');
  }

  // ---- checkpoint: the log's signature (manifest key, or the pinned one) and the origin.
  const logKey = { name: manifest.checkpointKey.name, publicKey: manifest.checkpointKey.publicKey };
  if (trust.logKey) {
    const pinned = { name: trust.logKey.name, publicKey: trust.logKey.publicKey };
    if (pinned.name !== logKey.name || !bytesEqual(pinned.publicKey, logKey.publicKey))
      problem({
        check: 'checkpoint',
        code: 'LOG_KEY_UNTRUSTED',
        message: "the manifest's checkpoint key is not the trusted log key",
      });
  }
  let size: number | undefined;
  let rootHash: Uint8Array | undefined;
  let body: string | undefined;
  try {
    const v = verifyCheckpoint(p.checkpoint, [logKey], suite);
    if (v.checkpoint.origin !== manifest.origin)
      problem({
        check: 'checkpoint',
        code: 'CHECKPOINT_ORIGIN',
        message: `checkpoint origin ${v.checkpoint.origin} is not the log's`,
      });
    size = v.checkpoint.size;
    rootHash = v.checkpoint.rootHash;
    body = v.body;
    pass('checkpoint');
  } catch (err) {
    // RangeError: the manifest's checkpoint key is not a valid note key (its name or key).
    if (!(err instanceof LedgerError) && !(err instanceof RangeError)) throw err;
    problem({ check: 'checkpoint', code: 'CHECKPOINT_INVALID', message: err.message });
  }

  // ---- witnesses: quorum of trusted cosignatures over the same checkpoint.
  let cosigners: string[] = [];
  if (body !== undefined) {
    try {
      const q = checkWitnessQuorum(p.checkpoint, trust.witnesses, suite);
      cosigners = q.cosigners.map((c) => c.name);
      for (const name of q.invalid)
        problem({
          check: 'witnesses',
          code: 'COSIGNATURE_INVALID',
          message: `the cosignature of ${name} does not verify`,
        });
      if (!q.ok)
        problem({
          check: 'witnesses',
          code: 'WITNESS_QUORUM',
          message: `${q.cosigners.length} trusted witness(es) cosigned; ${q.quorum} required`,
        });
      pass('witnesses');
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      problem({ check: 'witnesses', code: 'COSIGNATURE_INVALID', message: err.message });
    }
  }

  // ---- inclusion of every carried entry in the checkpoint's tree (its position is proven by the tree; the hash
  // chain between neighbours adds nothing the proofs do not already bind).
  if (size !== undefined && rootHash !== undefined) {
    for (const e of entries) {
      const seq = e.entry.seq;
      let ok = false;
      try {
        ok =
          seq < size &&
          verifyInclusion(suite.hash, seq, size, hashLeaf(suite.hash, e.bytes), e.proof, rootHash);
      } catch (err) {
        if (!(err instanceof LedgerError)) throw err;
      }
      if (!ok)
        problem({
          check: 'inclusion',
          code: seq < size ? 'INCLUSION_FAILED' : 'INCLUSION_BEYOND_CHECKPOINT',
          seq,
          message: `entry ${seq} is not proven included in the checkpoint of size ${size}`,
        });
    }
    pass('inclusion');
  }

  // ---- consistency with the inspector's checkpoint.
  if (trust.checkpoint !== undefined && size !== undefined && rootHash !== undefined) {
    let held: { size: number; rootHash: Uint8Array } | undefined;
    if (typeof trust.checkpoint === 'string') {
      try {
        const v = verifyCheckpoint(trust.checkpoint, [trust.logKey ?? logKey], suite);
        if (v.checkpoint.origin !== manifest.origin) throw new TypeError('origin');
        held = v.checkpoint;
      } catch (err) {
        if (!(err instanceof LedgerError) && !(err instanceof TypeError) && !(err instanceof RangeError))
          throw err;
        problem({
          check: 'consistency',
          code: 'TRUSTED_CHECKPOINT_INVALID',
          message: "the inspector's checkpoint does not verify for this log",
        });
      }
    } else held = trust.checkpoint;
    if (held) {
      const [a, b] = held.size <= size ? [held, { size, rootHash }] : [{ size, rootHash }, held];
      let ok: boolean | undefined;
      if (a.size === b.size) ok = bytesEqual(a.rootHash, b.rootHash);
      else if (a.size === 0) ok = true;
      else if (!p.consistency || p.consistency.size !== held.size)
        problem({
          check: 'consistency',
          code: 'CONSISTENCY_MISSING',
          message: `the bundle has no consistency proof from size ${held.size}`,
        });
      else
        try {
          ok = verifyConsistency(suite.hash, a.size, b.size, p.consistency.proof, a.rootHash, b.rootHash);
        } catch (err) {
          if (!(err instanceof LedgerError)) throw err;
          ok = false;
        }
      if (ok === false)
        problem({
          check: 'consistency',
          code: 'CONSISTENCY_FAILED',
          message: `the log at ${size} is not consistent with the inspector's checkpoint at ${held.size}`,
        });
      pass('consistency');
    }
  }

  // ---- compliance: re-evaluate every case with the carried rule set and compare with the exported findings.
  const caseResults: BundleCaseResult[] = [];
  if (p.cases.length > 0) {
    let ruleSet: RuleSet | undefined;
    try {
      if (!p.ruleSet) throw new TypeError('no rule set');
      ruleSet = decodeCanonical(p.ruleSet) as unknown as RuleSet;
      validateRuleSet(ruleSet);
    } catch (err) {
      if (!(err instanceof LedgerError) && !(err instanceof TypeError) && !(err instanceof RangeError))
        throw err;
      ruleSet = undefined;
      problem({
        check: 'compliance',
        code: 'RULE_SET_INVALID',
        message: `the bundle's rule set is missing or invalid: ${(err as Error).message}`,
      });
    }
    const calendar = trust.calendar ?? defaultCalendar;
    if (ruleSet) {
      const id = identifyRuleSet(ruleSet, suite.hash);
      if (trust.ruleSetHashes && !trust.ruleSetHashes.includes(id.hash))
        problem({
          check: 'compliance',
          code: 'RULE_SET_UNTRUSTED',
          message: `rule set ${id.name} v${id.version} (${id.hash.slice(0, 16)}…) is not trusted`,
        });
      if (p.calendar !== calendar.version)
        problem({
          check: 'compliance',
          code: 'CALENDAR_MISMATCH',
          message: `exported with calendar ${p.calendar}, verified with ${calendar.version}`,
        });
      const seen = new Set<string>();
      for (const c of p.cases) {
        if (seen.has(c.caseId))
          problem({
            check: 'compliance',
            code: 'CASE_DUPLICATE',
            caseId: c.caseId,
            message: `case ${c.caseId} appears twice`,
          });
        seen.add(c.caseId);
        let bad = false;
        for (const s of c.seqs) {
          const e = bySeq.get(s);
          if (!e) {
            bad = true;
            problem({
              check: 'compliance',
              code: 'CASE_ENTRY_MISSING',
              caseId: c.caseId,
              seq: s,
              message: `entry ${s} of case ${c.caseId} is not in the bundle`,
            });
          } else if (!belongsToCase(e, c.caseId)) {
            bad = true;
            problem({
              check: 'compliance',
              code: 'CASE_MISMATCH',
              caseId: c.caseId,
              seq: s,
              message: `entry ${s} does not belong to case ${c.caseId}`,
            });
          }
        }
        if (bad) continue;
        let findings: Finding[];
        try {
          const view = caseViewFrom(c.seqs, bySeq, replay.signers);
          if (view.case.body.caseId !== c.caseId) throw new RangeError('case record names another case');
          findings = [...checkCase(view, { ruleSet, calendar, asOf: c.asOf, ruleSetId: id }).findings];
        } catch (err) {
          if (!(err instanceof LedgerError) && !(err instanceof TypeError) && !(err instanceof RangeError))
            throw err;
          problem({
            check: 'compliance',
            code: 'CASE_INVALID',
            caseId: c.caseId,
            message: `case ${c.caseId} cannot be evaluated: ${(err as Error).message}`,
          });
          continue;
        }
        let matches = false;
        try {
          matches = bytesEqual(
            encodeCanonical(findings as unknown as CborValue),
            encodeCanonical(c.findings as unknown as CborValue),
          );
        } catch (err) {
          if (!(err instanceof LedgerError)) throw err;
        }
        if (!matches)
          problem({
            check: 'compliance',
            code: 'FINDINGS_MISMATCH',
            caseId: c.caseId,
            message: `case ${c.caseId}: ${findings.length} finding(s) re-evaluated, ${c.findings.length} exported, and they differ`,
          });
        caseResults.push({ caseId: c.caseId, findings, matches });
      }
      pass('compliance');
    }
  }

  // ---- content: files in the bundle and files the inspector brings, against the entries' content refs.
  const refs = new Map<string, { seq: number; ref: Entry['content'][number] }>();
  for (const e of entries)
    for (const r of e.entry.content) refs.set(toHex(r.digest), { seq: e.entry.seq, ref: r });
  const checked = new Set<string>();
  const files = [
    ...p.content.map((b) => ({ b, inBundle: true })),
    ...(trust.content ?? []).map((b) => ({ b, inBundle: false })),
  ];
  for (const { b, inBundle } of files) {
    const got = contentRefOfBytes(b, suite.hash);
    const hex = toHex(got.digest);
    const want = refs.get(hex);
    if (!want) {
      problem({
        check: 'content',
        code: inBundle ? 'CONTENT_UNREFERENCED' : 'CONTENT_UNKNOWN',
        message: `${inBundle ? 'bundled' : 'given'} file ${hex.slice(0, 16)}… is referenced by no carried entry`,
      });
      continue;
    }
    if (got.size !== want.ref.size || !bytesEqual(got.chunkRoot, want.ref.chunkRoot))
      problem({
        check: 'content',
        code: 'CONTENT_MISMATCH',
        seq: want.seq,
        message: `file ${hex.slice(0, 16)}… does not match the size or chunk root of entry ${want.seq}`,
      });
    checked.add(hex);
  }
  if (files.length) pass('content');

  // ---- sample: the cases are the selection the checkpoint and the nonce give.
  if (p.sample) {
    const s = p.sample;
    if (trust.nonce && !bytesEqual(trust.nonce, s.nonce))
      problem({
        check: 'sample',
        code: 'SAMPLE_NONCE_MISMATCH',
        message: "the bundle's sample was drawn with another nonce",
      });
    if (body !== undefined) {
      try {
        const sel = selectSample(s.population, body, s.nonce, s.k, suite.hash);
        const want = [...sel.selected].sort();
        const got = p.cases.map((c) => c.caseId).sort();
        if (want.length !== got.length || want.some((x, i) => x !== got[i]))
          problem({
            check: 'sample',
            code: 'SAMPLE_MISMATCH',
            message: `the cases are not the selection [${want.join(', ')}]`,
          });
      } catch (err) {
        if (!(err instanceof TypeError) && !(err instanceof RangeError)) throw err;
        problem({
          check: 'sample',
          code: 'SAMPLE_INVALID',
          message: `sample parameters are invalid: ${err.message}`,
        });
      }
      pass('sample');
    }
  } else if (trust.nonce)
    problem({
      check: 'sample',
      code: 'SAMPLE_MISSING',
      message: 'the inspector asked for a sample; the bundle holds none',
    });

  return report({
    origin: manifest.origin,
    ...(size !== undefined ? { size } : {}),
    ...(rootHash !== undefined ? { rootHash } : {}),
    ...(exporterKey ? { exporter: { keyId: exporterKey.keyId, principal: exporterKey.principal } } : {}),
    cosigners,
    entries: entries.length,
    cases: caseResults,
    content: { checked: checked.size, unchecked: [...refs.keys()].filter((k) => !checked.has(k)).length },
  });
}
