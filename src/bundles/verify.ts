/**
 * Offline verification of a proof bundle (docs/FORMAT.md §Proof bundle) from its bytes alone: no storage, no Node
 * builtin, so it runs in a browser. `verifyBundle` reads as its checklist (sigstore-js's Verifier is the model): an
 * ordered list of small named checks, each reporting its problems; the report carries one status per check.
 *
 * Trust: a bundle proves nothing by itself — anyone can make a ledger and a bundle of it. Its tree is anchored only by
 * what the inspector brings: the log's key (`logKey`), a quorum of at least one trusted witness (`witnesses`), or a
 * checkpoint held from before (`checkpoint`), or by the explicit choice to trust the bundle's own log key
 * (`trustBundleKeys`). Without one, the checks that need an anchor say `not_anchored`, the report gives the keys to
 * compare out of band (`keys`), and the verdict is never `ok`.
 *
 * Nothing is thrown for bad bytes (a malformed bundle is a failed `format` check); misuse of `trust` throws
 * TypeError / RangeError.
 */
import { field } from '../guards';
import { bytesEqual, toHex } from '../bytes';
import { verifyCheckpoint } from '../checkpoint/checkpoint';
import { parseNote } from '../checkpoint/note';
import { type NoteKeyInput, SIG_ED25519, formatVerifierKey, keyIdHex, noteKey } from '../checkpoint/note-key';
import type { WorkingDayCalendar } from '../compliance/calendar';
import { defaultCalendar } from '../compliance/default-calendar';
import type { Finding } from '../compliance/finding';
import { checkCase } from '../compliance/report';
import {
  JINCHENG_RULE_SET,
  type RuleSet,
  type RuleSetId,
  identifyRuleSet,
  validateRuleSet,
} from '../compliance/rule-set';
import { isSuiteId, portableSuiteById } from '../crypto/registry';
import type { CryptoSuite, SuiteId } from '../crypto/types';
import { caseReferenceProblems } from '../domain/case-refs';
import { KIND } from '../domain/kind-names';
import { decodeCanonical, encodeCanonical } from '../encoding/cbor';
import { LedgerError } from '../errors';
import { decodeSignedEntry } from '../ledger/format';
import { type KeyRecord, type ManifestBody, SUITE_ID } from '../ledger/registry';
import type { CborValue, Entry } from '../ledger/types';
import { hashLeaf } from '../merkle/hash';
import { verifyConsistency, verifyInclusion } from '../merkle/verify';
import type { CheckResult, CheckStatus, ProblemCode } from '../problems';
import { type WitnessPolicy, checkWitnessQuorum } from '../witness/policy';
import { contentRefOfBytes } from './content-ref';
import { type BundleCase, type DecodedBundle, bundleSigningMessage, decodeBundle } from './format';
import {
  ORGANISATION_KINDS,
  organisationIdsOf,
  type ReplayEntry,
  type ReplayResult,
  belongsToCase,
  caseViewFrom,
  replayEntries,
} from './replay';
import { selectSample } from './sample';

export type { CheckResult, CheckStatus };

/** The checklist, in the order the checks run. */
export const BUNDLE_CHECKS = [
  'format',
  'suite',
  'signers',
  'exporter',
  'checkpoint',
  'witnesses',
  'consistency',
  'inclusion',
  'completeness',
  'rules',
  'compliance',
  'content',
  'sample',
] as const;
export type BundleCheck = (typeof BUNDLE_CHECKS)[number];

/** The checks that anchor the bundle's tree to something the inspector trusts. */
export const ANCHOR_CHECKS: readonly BundleCheck[] = ['checkpoint', 'witnesses', 'consistency'];

export interface BundleProblem {
  readonly check: BundleCheck;
  readonly code: ProblemCode;
  readonly message: string;
  /** The entry concerned, when there is one. */
  readonly seq?: number;
  readonly caseId?: string;
}

export interface BundleTrust {
  /** Trusted witnesses and quorum (at least 1: a quorum of zero anchors nothing). */
  readonly witnesses?: WitnessPolicy;
  /** Pins the log's checkpoint key (compare `report.keys.log` out of band). */
  readonly logKey?: NoteKeyInput;
  /**
   * Trust the log key the bundle itself carries (its manifest's), without comparing it: the inspector's explicit
   * choice, for a bundle from a source they already trust. Default false.
   */
  readonly trustBundleKeys?: boolean;
  /** Pins the log origin. */
  readonly origin?: string;
  /** A checkpoint the inspector already holds: a signed note (checked with the log key) or a size and root. */
  readonly checkpoint?: string | { readonly size: number; readonly rootHash: Uint8Array };
  /** The inspector's sampling nonce: the bundle must be that sample. */
  readonly nonce?: Uint8Array;
  /**
   * Trusted rule-set hashes (hex, `identifyRuleSet`). Default: the built-in Jincheng rule set only; a bundle whose
   * findings were computed with any other is flagged (`RULE_SET_UNTRUSTED`).
   */
  readonly ruleSetHashes?: readonly string[];
  /** Roles one of which the exporter's key must hold at the checkpoint. Default `admin`, `archivist`. */
  readonly exporterRoles?: readonly string[];
  /** Content files the inspector holds (document scans, media): each is matched to an entry's content ref. */
  readonly content?: readonly Uint8Array[];
  readonly calendar?: WorkingDayCalendar;
  /**
   * An implementation of the suite the bundle's manifest names, e.g. `suiteById(id)` on Node (same answers, faster).
   * Default, and whenever this one is of another suite: the registry's portable implementation (`portableSuiteById`)
   * of the manifest's suite.
   */
  readonly suite?: CryptoSuite;
}

export interface BundleCaseResult {
  readonly caseId: string;
  readonly findings: readonly Finding[];
  /** Re-evaluated findings equal the exported ones. */
  readonly matches: boolean;
}

export interface BundleReport {
  /** Verified: every check passed (or did not apply), none failed, and the tree is anchored. */
  readonly ok: boolean;
  /** At least one anchor check passed (the log key pinned or trusted by choice, a witness quorum, a held checkpoint). */
  readonly anchored: boolean;
  /** One result per check, in checklist order (BUNDLE_CHECKS). */
  readonly checks: Readonly<Record<BundleCheck, CheckResult<BundleCheck>>>;
  readonly problems: readonly BundleProblem[];
  readonly origin?: string;
  /** The crypto suite the carried manifest names (once it was read), which every check used. */
  readonly suite?: SuiteId;
  readonly size?: number;
  readonly rootHash?: Uint8Array;
  readonly exporter?: { readonly keyId: string; readonly principal: string };
  /** The keys the bundle claims, to compare out of band: exactly what `logKey` / `--log-key` take. */
  readonly keys: {
    /** The manifest's checkpoint key as a C2SP verifier key (`name+hexid+base64`). */
    readonly log?: string;
    /** Other signature lines of the checkpoint (witnesses): name and key id (the bundle carries no witness key). */
    readonly cosignatures: ReadonlyArray<{ readonly name: string; readonly keyId: string }>;
  };
  /** Trusted witnesses whose cosignature verified. */
  readonly cosigners: readonly string[];
  /** The rule set the bundle's findings were computed with, and whether the inspector trusts it. */
  readonly ruleSet?: RuleSetId & { readonly trusted: boolean };
  readonly entries: number;
  readonly cases: readonly BundleCaseResult[];
  /** Content refs checked against files (in the bundle or given in `trust.content`), and refs without a file. */
  readonly content: { readonly checked: number; readonly unchecked: number };
}

const DEFAULT_EXPORTER_ROLES = ['admin', 'archivist'];

type Carried = ReplayEntry & { readonly bytes: Uint8Array; readonly proof: readonly Uint8Array[] };

/** What the checks learn, in order; each check reads what the ones before it set. */
interface State {
  readonly bytes: Uint8Array;
  readonly trust: BundleTrust;
  /** The suite of the carried manifest, once the suite check has read it (until then the default). */
  suite: CryptoSuite;
  bundle?: DecodedBundle;
  entries: Carried[];
  bySeq: Map<number, Entry>;
  replay?: ReplayResult;
  manifest?: ManifestBody;
  exporterKey?: KeyRecord;
  /** The checkpoint, once its log signature verified. */
  checkpoint?: { size: number; rootHash: Uint8Array; body: string };
  cosigners: string[];
  ruleSet?: RuleSet;
  ruleSetId?: RuleSetId & { trusted: boolean };
  /** Cases whose records are complete (evaluated by `compliance`). */
  completeCases: Set<string>;
  cases: BundleCaseResult[];
  content: { checked: number; unchecked: number };
  /** Checks that failed so far. */
  readonly failed: Set<BundleCheck>;
}

type Report = (p: Omit<BundleProblem, 'check'>) => void;

/** What a check says beyond its problems: it did not apply, or cannot be anchored; `halt` stops the checklist. */
interface Outcome {
  readonly status?: 'not_checked' | 'not_anchored';
  readonly detail?: string;
  readonly halt?: boolean;
}

interface Check {
  readonly name: BundleCheck;
  run(s: State, report: Report): Outcome | undefined;
}

const builtIn = new WeakMap<CryptoSuite['hash'], string>();
/** The built-in Jincheng rule set's hash under the suite's hash function (computed once per function). */
function builtInRuleSetHash(suite: CryptoSuite): string {
  let h = builtIn.get(suite.hash);
  if (h === undefined) {
    h = identifyRuleSet(JINCHENG_RULE_SET, suite.hash).hash;
    builtIn.set(suite.hash, h);
  }
  return h;
}

const notChecked = (detail: string): Outcome => ({ status: 'not_checked', detail });

/** Runs `fn`, turning a LedgerError (or the listed error classes) into a problem; anything else is a bug: rethrown. */
function guarded(
  fn: () => void,
  onError: (err: Error) => void,
  also: ReadonlyArray<new (...a: never[]) => Error> = [],
): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof LedgerError) && !also.some((c) => err instanceof c)) throw err;
    onError(err as Error);
  }
}

// ---------------------------------------------------------------- the checks

/** Bytes → bundle → entries, ascending by seq. */
const format: Check = {
  name: 'format',
  run(s, report) {
    let halt = false;
    guarded(
      () => {
        const bundle = decodeBundle(s.bytes);
        for (const be of bundle.payload.entries) {
          const d = decodeSignedEntry(be.entry);
          const last = s.entries[s.entries.length - 1];
          if (last && d.entry.seq <= last.entry.seq) {
            report({
              code: 'BUNDLE_ENTRY_ORDER',
              seq: d.entry.seq,
              message: 'entries must be ascending by seq',
            });
            halt = true;
            return;
          }
          s.entries.push({ ...d, bytes: be.entry, proof: be.proof });
        }
        s.bundle = bundle;
        s.bySeq = new Map(s.entries.map((e) => [e.entry.seq, e.entry]));
      },
      (err) => {
        report({ code: 'BUNDLE_MALFORMED', message: `${(err as LedgerError).code}: ${err.message}` });
        halt = true;
      },
    );
    return halt ? { halt } : undefined;
  },
};

const SUITE_CODES = new Set<string>([
  'SUITE_UNKNOWN',
  'VERSION_UNKNOWN',
  'MANIFEST_MISSING',
  'MANIFEST_INVALID',
]);

/** The manifest (entry 0) names a known suite and the bundle's origin; the inspector's origin when pinned. */
const suiteCheck: Check = {
  name: 'suite',
  run(s, report) {
    const genesis = s.entries[0]?.entry;
    const named = genesis?.seq === 0 ? field(genesis.body, 'suite') : undefined;
    if (isSuiteId(named) && s.suite.id !== named) s.suite = portableSuiteById(named);
    s.replay = replayEntries(s.entries, s.suite);
    for (const p of s.replay.problems)
      if (SUITE_CODES.has(p.code)) report({ code: p.code, seq: p.seq, message: p.message });
    const manifest = s.replay.manifest;
    if (!manifest) return { halt: true };
    s.manifest = manifest;
    const origin = s.bundle!.payload.origin;
    if (manifest.origin !== origin)
      report({
        code: 'ORIGIN_MISMATCH',
        message: `bundle origin ${origin} is not the manifest's ${manifest.origin}`,
      });
    if (s.trust.origin !== undefined && s.trust.origin !== manifest.origin)
      report({
        code: 'ORIGIN_UNTRUSTED',
        message: `log origin ${manifest.origin} is not the trusted ${s.trust.origin}`,
      });
    return undefined;
  },
};

/** Every carried entry's signature, and its signer registered, unrevoked and holding the kind's role then. */
const signers: Check = {
  name: 'signers',
  run(s, report) {
    for (const p of s.replay!.problems)
      if (!SUITE_CODES.has(p.code)) report({ code: p.code, seq: p.seq, message: p.message });
    return undefined;
  },
};

/** A registered, unrevoked key with an exporter role at the checkpoint signed the payload. */
const exporter: Check = {
  name: 'exporter',
  run(s, report) {
    const bundle = s.bundle!;
    const key = s.replay!.registry.keys.get(bundle.exporter);
    if (!key) {
      report({
        code: 'EXPORTER_UNKNOWN',
        message: 'the exporter key is not registered in the carried entries',
      });
      return undefined;
    }
    s.exporterKey = key;
    const roles = s.trust.exporterRoles ?? DEFAULT_EXPORTER_ROLES;
    if (key.revokedAt !== undefined)
      report({
        code: 'EXPORTER_REVOKED',
        seq: key.revokedAt,
        message: `exporter ${key.principal} was revoked`,
      });
    if (!key.roles.some((r) => roles.includes(r)))
      report({
        code: 'EXPORTER_ROLE',
        message: `exporter ${key.principal} holds none of [${roles.join(', ')}]`,
      });
    if (!s.suite.verify(key.publicKey, bundleSigningMessage(bundle.payloadBytes), bundle.signature))
      report({ code: 'EXPORTER_SIGNATURE', message: 'the exporter signature does not verify' });
    return undefined;
  },
};

/** The log's signature on the checkpoint: with the pinned key, or the manifest's (anchored only by choice). */
const checkpoint: Check = {
  name: 'checkpoint',
  run(s, report) {
    const manifest = s.manifest!;
    const own = { name: manifest.checkpointKey.name, publicKey: manifest.checkpointKey.publicKey };
    const pinned = s.trust.logKey;
    const mismatch = pinned && (pinned.name !== own.name || !bytesEqual(pinned.publicKey, own.publicKey));
    if (mismatch)
      report({
        code: 'LOG_KEY_UNTRUSTED',
        message: "the manifest's checkpoint key is not the trusted log key",
      });
    guarded(
      () => {
        const v = verifyCheckpoint(s.bundle!.payload.checkpoint, [own], s.suite);
        if (v.checkpoint.origin !== manifest.origin)
          report({
            code: 'CHECKPOINT_ORIGIN',
            message: `checkpoint origin ${v.checkpoint.origin} is not the log's`,
          });
        s.checkpoint = { size: v.checkpoint.size, rootHash: v.checkpoint.rootHash, body: v.body };
      },
      (err) => report({ code: 'CHECKPOINT_INVALID', message: err.message }),
      // The manifest's checkpoint key is not a valid note key (its name or key).
      [RangeError],
    );
    if (!s.checkpoint || pinned) return undefined;
    if (s.trust.trustBundleKeys)
      return { detail: "the bundle's own log key, trusted by the inspector's choice" };
    return {
      status: 'not_anchored',
      detail: "signed by the bundle's own log key: compare it out of band and pin it (logKey / --log-key)",
    };
  },
};

/** A quorum (at least one) of the inspector's witnesses cosigned the same checkpoint. */
const witnesses: Check = {
  name: 'witnesses',
  run(s, report) {
    const policy = s.trust.witnesses;
    if (!policy || policy.witnesses.length === 0)
      return { status: 'not_anchored', detail: 'no trusted witness given' };
    if (policy.quorum < 1) return { status: 'not_anchored', detail: 'a quorum of zero anchors nothing' };
    if (!s.checkpoint) return notChecked('the checkpoint did not verify');
    guarded(
      () => {
        const q = checkWitnessQuorum(s.bundle!.payload.checkpoint, policy, s.suite);
        s.cosigners = q.cosigners.map((c) => c.name);
        for (const name of q.invalid)
          report({ code: 'COSIGNATURE_INVALID', message: `the cosignature of ${name} does not verify` });
        if (!q.ok)
          report({
            code: 'WITNESS_QUORUM',
            message: `${q.cosigners.length} trusted witness(es) cosigned; ${q.quorum} required`,
          });
      },
      (err) => report({ code: 'COSIGNATURE_INVALID', message: err.message }),
    );
    return undefined;
  },
};

/** The bundle's checkpoint is consistent with the one the inspector holds. */
const consistency: Check = {
  name: 'consistency',
  run(s, report) {
    const trusted = s.trust.checkpoint;
    if (trusted === undefined) return notChecked('no checkpoint held by the inspector');
    const cp = s.checkpoint;
    if (!cp) return notChecked('the checkpoint did not verify');
    let held: { size: number; rootHash: Uint8Array } | undefined;
    if (typeof trusted === 'string') {
      const manifest = s.manifest!;
      const key = s.trust.logKey ?? manifest.checkpointKey;
      guarded(() => {
        const v = verifyCheckpoint(trusted, [key], s.suite);
        if (v.checkpoint.origin === manifest.origin) held = v.checkpoint;
      }, () => {}, [RangeError]);
      if (!held) {
        report({
          code: 'TRUSTED_CHECKPOINT_INVALID',
          message: "the inspector's checkpoint does not verify for this log",
        });
        return undefined;
      }
    } else held = trusted;
    const p = s.bundle!.payload;
    const [a, b] = held.size <= cp.size ? [held, cp] : [cp, held];
    let ok: boolean | undefined;
    if (a.size === b.size) ok = bytesEqual(a.rootHash, b.rootHash);
    else if (a.size === 0) ok = true;
    else if (!p.consistency || p.consistency.size !== held.size) {
      report({
        code: 'CONSISTENCY_MISSING',
        message: `the bundle has no consistency proof from size ${held.size}`,
      });
      return undefined;
    } else {
      const proof = p.consistency.proof;
      ok = false;
      guarded(
        () => {
          ok = verifyConsistency(s.suite.hash, a.size, b.size, proof, a.rootHash, b.rootHash);
        },
        () => {},
      );
    }
    if (!ok)
      report({
        code: 'CONSISTENCY_FAILED',
        message: `the log at ${cp.size} is not consistent with the inspector's checkpoint at ${held.size}`,
      });
    return undefined;
  },
};

/**
 * Every carried entry is included in the checkpoint's tree (its position is proven by the tree; the hash chain
 * between neighbours adds nothing the proofs do not already bind).
 */
const inclusion: Check = {
  name: 'inclusion',
  run(s, report) {
    const cp = s.checkpoint;
    if (!cp) return notChecked('the checkpoint did not verify');
    for (const e of s.entries) {
      const seq = e.entry.seq;
      let ok = false;
      guarded(
        () => {
          ok =
            seq < cp.size &&
            verifyInclusion(
              s.suite.hash,
              seq,
              cp.size,
              hashLeaf(s.suite.hash, e.bytes),
              e.proof,
              cp.rootHash,
            );
        },
        () => {},
      );
      if (!ok)
        report({
          code: seq < cp.size ? 'INCLUSION_FAILED' : 'INCLUSION_BEYOND_CHECKPOINT',
          seq,
          message: `entry ${seq} is not proven included in the checkpoint of size ${cp.size}`,
        });
    }
    return undefined;
  },
};

/**
 * A case's organisation records (when it lists any): each carried, of an organisation kind and about the case — its
 * agency or the one entrusting it, a device its segments name or that device's events — and the record of every
 * device its segments name among them (without it the Art. 20 rule would be silent about that device).
 */
function organisationProblems(
  c: BundleCase,
  records: readonly Entry[],
  bySeq: ReadonlyMap<number, Entry>,
): Array<{
  code: 'CASE_ENTRY_MISSING' | 'CASE_MISMATCH' | 'CASE_INCOMPLETE';
  seq?: number;
  message: string;
}> {
  if (!c.organisation) return [];
  const out: ReturnType<typeof organisationProblems> = [];
  const { agencies, devices } = organisationIdsOf(records);
  const org = c.organisation.flatMap((seq) => {
    const e = bySeq.get(seq);
    if (!e)
      out.push({
        code: 'CASE_ENTRY_MISSING',
        seq,
        message: `organisation entry ${seq} is not in the bundle`,
      });
    return e ? [e] : [];
  });
  for (const e of org) {
    const by = field(e.body, 'entrustedBy');
    if (e.kind === KIND.agency && typeof by === 'string' && agencies.has(String(field(e.body, 'agencyId'))))
      agencies.add(by);
  }
  const carried = new Set<string>();
  for (const e of org) {
    const about =
      ORGANISATION_KINDS.has(e.kind) &&
      (e.kind === KIND.agency
        ? agencies.has(String(field(e.body, 'agencyId')))
        : devices.has(String(field(e.body, 'deviceId'))));
    if (!about)
      out.push({
        code: 'CASE_MISMATCH',
        seq: e.seq,
        message: `entry ${e.seq} (${e.kind}) is not an organisation record of this case`,
      });
    if (e.kind === KIND.device) carried.add(String(field(e.body, 'deviceId')));
  }
  for (const d of devices)
    if (!carried.has(d))
      out.push({
        code: 'CASE_INCOMPLETE',
        message: `the record of device ${d}, which its segments name, is not carried`,
      });
  return out;
}

/**
 * Every carried entry is accounted for (a core entry, or listed by a case), each case lists only its own records,
 * and each case's records are closed under their references: an action, document, segment, approval or session a
 * record names is carried and listed too. A record left out could be the one that proves a violation.
 */
const completeness: Check = {
  name: 'completeness',
  run(s, report) {
    const p = s.bundle!.payload;
    const listed = new Set<number>();
    const seen = new Set<string>();
    for (const c of p.cases) {
      if (seen.has(c.caseId))
        report({ code: 'CASE_DUPLICATE', caseId: c.caseId, message: `case ${c.caseId} appears twice` });
      seen.add(c.caseId);
      let bad = false;
      for (const seq of c.seqs) {
        listed.add(seq);
        const e = s.bySeq.get(seq);
        if (!e) {
          bad = true;
          report({
            code: 'CASE_ENTRY_MISSING',
            caseId: c.caseId,
            seq,
            message: `entry ${seq} of case ${c.caseId} is not in the bundle`,
          });
        } else if (!belongsToCase(e, c.caseId)) {
          bad = true;
          report({
            code: 'CASE_MISMATCH',
            caseId: c.caseId,
            seq,
            message: `entry ${seq} does not belong to case ${c.caseId}`,
          });
        }
      }
      const records = c.seqs.flatMap((seq) => {
        const e = s.bySeq.get(seq);
        return e ? [e] : [];
      });
      for (const p of organisationProblems(c, records, s.bySeq)) {
        bad = true;
        report({ ...p, caseId: c.caseId, message: `case ${c.caseId}: ${p.message}` });
      }
      for (const seq of c.organisation ?? []) listed.add(seq);
      for (const r of caseReferenceProblems(records)) {
        bad = true;
        report({
          code: 'CASE_INCOMPLETE',
          caseId: c.caseId,
          seq: r.seq,
          message: `case ${c.caseId}: ${r.message}`,
        });
      }
      if (!bad) s.completeCases.add(c.caseId);
    }
    for (const e of s.entries)
      if (!e.entry.kind.startsWith('core/') && !listed.has(e.entry.seq))
        report({
          code: 'ENTRY_UNACCOUNTED',
          seq: e.entry.seq,
          message: `entry ${e.entry.seq} (${e.entry.kind}) is carried but listed by no case`,
        });
    return p.cases.length === 0 && s.entries.every((e) => e.entry.kind.startsWith('core/'))
      ? notChecked('no case in the bundle')
      : undefined;
  },
};

/** The rule set the findings were computed with: valid, and one the inspector trusts (by default the built-in). */
const rules: Check = {
  name: 'rules',
  run(s, report) {
    const p = s.bundle!.payload;
    if (p.cases.length === 0) return notChecked('no case in the bundle');
    guarded(
      () => {
        if (!p.ruleSet) throw new TypeError('no rule set');
        const rs = decodeCanonical(p.ruleSet) as unknown as RuleSet;
        validateRuleSet(rs);
        s.ruleSet = rs;
      },
      (err) =>
        report({
          code: 'RULE_SET_INVALID',
          message: `the bundle's rule set is missing or invalid: ${err.message}`,
        }),
      [TypeError, RangeError],
    );
    if (!s.ruleSet || !p.ruleSet) return undefined;
    // The carried bytes decoded canonically: they are the rule set's canonical CBOR, whose hash identifies it.
    const id = { name: s.ruleSet.name, version: s.ruleSet.version, hash: toHex(s.suite.hash(p.ruleSet)) };
    const trusted = s.trust.ruleSetHashes ?? [builtInRuleSetHash(s.suite)];
    s.ruleSetId = { ...id, trusted: trusted.includes(id.hash) };
    if (!s.ruleSetId.trusted)
      report({
        code: 'RULE_SET_UNTRUSTED',
        message: `rule set ${id.name} v${id.version} (${id.hash.slice(0, 16)}…) is not a trusted one`,
      });
    const calendar = s.trust.calendar ?? defaultCalendar;
    if (p.calendar !== calendar.version)
      report({
        code: 'CALENDAR_MISMATCH',
        message: `exported with calendar ${p.calendar}, verified with ${calendar.version}`,
      });
    return { detail: `${id.name} v${id.version} ${id.hash}` };
  },
};

const AUTHENTICITY: readonly BundleCheck[] = ['signers', 'exporter', 'checkpoint', 'inclusion'];

/** Every complete case re-evaluated with the carried rule set gives the exported findings. */
const compliance: Check = {
  name: 'compliance',
  run(s, report) {
    const p = s.bundle!.payload;
    if (p.cases.length === 0) return notChecked('no case in the bundle');
    const ruleSet = s.ruleSet;
    if (!ruleSet || !s.ruleSetId) return notChecked('no valid rule set');
    // Findings of records that are not authentic would mean nothing (and re-evaluating them costs the most).
    const broken = AUTHENTICITY.filter((c) => s.failed.has(c));
    if (broken.length) return notChecked(`the records are not authentic (${broken.join(', ')} failed)`);
    if (s.completeCases.size === 0) return notChecked('no complete case to evaluate');
    const calendar = s.trust.calendar ?? defaultCalendar;
    for (const c of p.cases) {
      if (!s.completeCases.has(c.caseId)) continue;
      let findings: Finding[] = [];
      let evaluated = false;
      guarded(
        () => {
          const view = caseViewFrom(c.seqs, s.bySeq, s.replay!.signers, c.organisation);
          if (view.case.body.caseId !== c.caseId) throw new RangeError('case record names another case');
          findings = [
            ...checkCase(view, { ruleSet, calendar, asOf: c.asOf, ruleSetId: s.ruleSetId }).findings,
          ];
          evaluated = true;
        },
        (err) =>
          report({
            code: 'CASE_INVALID',
            caseId: c.caseId,
            message: `case ${c.caseId} cannot be evaluated: ${err.message}`,
          }),
        [TypeError, RangeError],
      );
      if (!evaluated) continue;
      let matches = false;
      guarded(
        () => {
          matches = bytesEqual(
            encodeCanonical(findings as unknown as CborValue),
            encodeCanonical(c.findings as unknown as CborValue),
          );
        },
        () => {},
      );
      if (!matches)
        report({
          code: 'FINDINGS_MISMATCH',
          caseId: c.caseId,
          message: `case ${c.caseId}: ${findings.length} finding(s) re-evaluated, ${c.findings.length} exported, and they differ`,
        });
      s.cases.push({ caseId: c.caseId, findings, matches });
    }
    return undefined;
  },
};

/** Files in the bundle and files the inspector brings match the entries' content refs. */
const content: Check = {
  name: 'content',
  run(s, report) {
    const refs = new Map<string, { seq: number; ref: Entry['content'][number] }>();
    for (const e of s.entries)
      for (const r of e.entry.content) refs.set(toHex(r.digest), { seq: e.entry.seq, ref: r });
    const checked = new Set<string>();
    const files = [
      ...s.bundle!.payload.content.map((b) => ({ b, inBundle: true })),
      ...(s.trust.content ?? []).map((b) => ({ b, inBundle: false })),
    ];
    for (const { b, inBundle } of files) {
      const got = contentRefOfBytes(b, s.suite.hash);
      const hex = toHex(got.digest);
      const want = refs.get(hex);
      if (!want) {
        report({
          code: inBundle ? 'CONTENT_UNREFERENCED' : 'CONTENT_UNKNOWN',
          message: `${inBundle ? 'bundled' : 'given'} file ${hex.slice(0, 16)}… is referenced by no carried entry`,
        });
        continue;
      }
      if (got.size !== want.ref.size || !bytesEqual(got.chunkRoot, want.ref.chunkRoot))
        report({
          code: 'CONTENT_MISMATCH',
          seq: want.seq,
          message: `file ${hex.slice(0, 16)}… does not match the size or chunk root of entry ${want.seq}`,
        });
      checked.add(hex);
    }
    s.content = { checked: checked.size, unchecked: [...refs.keys()].filter((k) => !checked.has(k)).length };
    return files.length ? undefined : notChecked('no file in the bundle or given');
  },
};

/** The cases are the selection the checkpoint and the nonce give. */
const sample: Check = {
  name: 'sample',
  run(s, report) {
    const p = s.bundle!.payload;
    if (!p.sample) {
      if (s.trust.nonce)
        report({
          code: 'SAMPLE_MISSING',
          message: 'the inspector asked for a sample; the bundle holds none',
        });
      return s.trust.nonce ? undefined : notChecked('not a sample');
    }
    const smp = p.sample;
    if (s.trust.nonce && !bytesEqual(s.trust.nonce, smp.nonce))
      report({ code: 'SAMPLE_NONCE_MISMATCH', message: "the bundle's sample was drawn with another nonce" });
    if (!s.checkpoint) return notChecked('the checkpoint did not verify');
    const body = s.checkpoint.body;
    guarded(
      () => {
        const sel = selectSample(smp.population, body, smp.nonce, smp.k, s.suite.hash);
        const want = [...sel.selected].sort();
        const got = p.cases.map((c) => c.caseId).sort();
        if (want.length !== got.length || want.some((x, i) => x !== got[i]))
          report({
            code: 'SAMPLE_MISMATCH',
            message: `the cases are not the selection [${want.join(', ')}]`,
          });
      },
      (err) => report({ code: 'SAMPLE_INVALID', message: `sample parameters are invalid: ${err.message}` }),
      [TypeError, RangeError],
    );
    return undefined;
  },
};

const CHECKLIST: readonly Check[] = [
  format,
  suiteCheck,
  signers,
  exporter,
  checkpoint,
  witnesses,
  consistency,
  inclusion,
  completeness,
  rules,
  compliance,
  content,
  sample,
];

// ---------------------------------------------------------------- the verifier

function checkTrust(trust: BundleTrust): void {
  if (!trust || typeof trust !== 'object') throw new TypeError('trust must be an object');
  if (trust.witnesses !== undefined && (!trust.witnesses || typeof trust.witnesses !== 'object'))
    throw new TypeError('trust.witnesses must be { witnesses, quorum }');
  if (trust.nonce !== undefined && !(trust.nonce instanceof Uint8Array))
    throw new TypeError('trust.nonce must be a Uint8Array');
  if (
    trust.content !== undefined &&
    (!Array.isArray(trust.content) || !trust.content.every((c) => c instanceof Uint8Array))
  )
    throw new TypeError('trust.content must be an array of Uint8Array');
}

/** The keys a bundle claims, in the form an inspector passes them back (`--log-key`), read without trusting them. */
function claimedKeys(s: State): BundleReport['keys'] {
  const m = s.manifest;
  let log: string | undefined;
  let logKeyId: number | undefined;
  if (m)
    guarded(() => {
      const k = noteKey(m.checkpointKey.name, m.checkpointKey.publicKey, SIG_ED25519);
      log = formatVerifierKey(k);
      logKeyId = k.keyId;
    }, () => {}, [RangeError, TypeError]);
  const cosignatures: Array<{ name: string; keyId: string }> = [];
  if (s.bundle)
    guarded(
      () => {
        for (const sig of parseNote(s.bundle!.payload.checkpoint).signatures)
          if (!(sig.name === m?.checkpointKey.name && sig.keyId === logKeyId))
            cosignatures.push({ name: sig.name, keyId: keyIdHex(sig.keyId) });
      },
      () => {},
    );
  return { ...(log ? { log } : {}), cosignatures };
}

/** Verifies a proof bundle offline: the checklist BUNDLE_CHECKS, in order. See BundleTrust for the anchors. */
export function verifyBundle(bytes: Uint8Array, trust: BundleTrust): BundleReport {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  checkTrust(trust);
  const s: State = {
    bytes,
    trust,
    suite: trust.suite ?? portableSuiteById(SUITE_ID),
    entries: [],
    bySeq: new Map(),
    cosigners: [],
    completeCases: new Set(),
    cases: [],
    failed: new Set(),
    content: { checked: 0, unchecked: 0 },
  };
  const problems: BundleProblem[] = [];
  const checks = {} as Record<BundleCheck, CheckResult<BundleCheck>>;
  let halted: BundleCheck | undefined;
  for (const check of CHECKLIST) {
    const name = check.name;
    if (halted) {
      checks[name] = { name, status: 'not_checked', problems: 0, detail: `the ${halted} check failed` };
      continue;
    }
    const before = problems.length;
    const out = check.run(s, (p) => problems.push({ check: name, ...p }));
    const n = problems.length - before;
    const status: CheckStatus = n > 0 ? 'failed' : (out?.status ?? 'passed');
    checks[name] = { name, status, problems: n, ...(out?.detail ? { detail: out.detail } : {}) };
    if (status === 'failed') s.failed.add(name);
    if (out?.halt) halted = name;
  }
  const anchored = ANCHOR_CHECKS.some((c) => checks[c].status === 'passed');
  const failed = BUNDLE_CHECKS.some((c) => checks[c].status === 'failed');
  return {
    ok: anchored && !failed && !halted,
    anchored,
    checks,
    problems,
    ...(s.manifest ? { origin: s.manifest.origin, suite: s.suite.id } : {}),
    ...(s.checkpoint ? { size: s.checkpoint.size, rootHash: s.checkpoint.rootHash } : {}),
    ...(s.exporterKey
      ? { exporter: { keyId: s.exporterKey.keyId, principal: s.exporterKey.principal } }
      : {}),
    keys: claimedKeys(s),
    cosigners: s.cosigners,
    ...(s.ruleSetId ? { ruleSet: s.ruleSetId } : {}),
    entries: s.entries.length,
    cases: s.cases,
    content: s.content,
  };
}
