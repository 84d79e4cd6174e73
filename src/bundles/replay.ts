/**
 * Replays the entries a bundle carries, in log order, through a KeyRegistry: checks each entry's signature, its
 * signer's registration, revocation and role at that point of the log (docs/FORMAT.md §Core kinds), and records the
 * signer's principal and roles for the compliance view. Shared by the exporter and the verifier so both build the
 * same case views. Pure.
 */
import type { ProblemCode } from '../problems';
import { bytesEqual } from '../bytes';
import type { CaseView, ViewRecord } from '../compliance/case-view';
import { caseViewOf } from '../compliance/case-view';
import type { CryptoSuite } from '../crypto/types';
import { encodeCanonical } from '../encoding/cbor';
import { FORMAT_VERSION, MANIFEST_KIND, signingMessage } from '../ledger/format';
import { KeyRegistry, type ManifestBody, validateCoreBody } from '../ledger/registry';
import type { CborValue, Entry } from '../ledger/types';

export interface ReplayEntry {
  readonly entry: Entry;
  readonly entryBytes: Uint8Array;
  readonly signature: Uint8Array;
}

export interface ReplayProblem {
  readonly seq: number;
  readonly code: ProblemCode;
  readonly message: string;
}

export interface ReplayResult {
  /** Keys, roles and kinds after the last carried entry. */
  readonly registry: KeyRegistry;
  readonly manifest: ManifestBody | undefined;
  /** Principal and roles of each entry's signer at that point of the log (entries that passed the checks). */
  readonly signers: ReadonlyMap<number, { readonly principal: string; readonly roles: readonly string[] }>;
  readonly problems: readonly ReplayProblem[];
}

/** `entries` must be ascending by seq, starting with the manifest (seq 0). */
export function replayEntries(entries: readonly ReplayEntry[], suite: CryptoSuite): ReplayResult {
  const registry = new KeyRegistry((pub) => suite.keyId(pub));
  const signers = new Map<number, { principal: string; roles: readonly string[] }>();
  const problems: ReplayProblem[] = [];
  const fail = (seq: number, code: ProblemCode, message: string) => problems.push({ seq, code, message });
  const first = entries[0];
  if (first?.entry.seq !== 0 || first.entry.kind !== MANIFEST_KIND) {
    fail(0, 'MANIFEST_MISSING', 'the bundle does not carry the manifest (entry 0)');
    return { registry, manifest: undefined, signers, problems };
  }
  const issues = validateCoreBody(MANIFEST_KIND, first.entry.body);
  if (issues.length) {
    const unknownSuite = issues.some((i) => i.code === 'unknown_suite');
    fail(0, unknownSuite ? 'SUITE_UNKNOWN' : 'MANIFEST_INVALID', `manifest: ${issues[0]!.message}`);
    return { registry, manifest: undefined, signers, problems };
  }
  const manifest = first.entry.body as unknown as ManifestBody;
  const ledgerId = suite.hash(encodeCanonical(manifest as unknown as CborValue));
  for (const { entry, entryBytes, signature } of entries) {
    const seq = entry.seq;
    if (entry.version !== FORMAT_VERSION) {
      fail(seq, 'VERSION_UNKNOWN', `entry format version ${entry.version} is not supported`);
      continue;
    }
    if (!bytesEqual(entry.ledgerId, ledgerId)) {
      fail(seq, 'LEDGER_ID_MISMATCH', 'entry belongs to another ledger');
      continue;
    }
    let publicKey: Uint8Array | undefined;
    if (entry.kind === MANIFEST_KIND) {
      if (seq !== 0) {
        fail(seq, 'MANIFEST_DUPLICATE', 'a manifest may only be entry 0');
        continue;
      }
      publicKey = manifest.rootKeys.find((k) => suite.keyId(k.publicKey) === entry.signer)?.publicKey;
      if (!publicKey) {
        fail(seq, 'MANIFEST_SIGNER', 'the manifest is not signed by one of its root keys');
        continue;
      }
    } else {
      const problem = registry.checkSigner(entry);
      if (problem) {
        fail(seq, problem.code, problem.message);
        continue;
      }
      publicKey = registry.keys.get(entry.signer)!.publicKey;
    }
    if (!suite.verify(publicKey, signingMessage(entryBytes), signature)) {
      fail(seq, 'BAD_SIGNATURE', `entry ${seq}: signature does not verify`);
      continue;
    }
    if (entry.kind.startsWith('core/') && entry.kind !== MANIFEST_KIND) {
      const bodyIssues = validateCoreBody(entry.kind, entry.body);
      if (bodyIssues.length) {
        fail(seq, 'BODY_INVALID', `${entry.kind}: ${bodyIssues[0]!.message}`);
        continue;
      }
    }
    const key = registry.keys.get(entry.signer);
    signers.set(seq, { principal: key?.principal ?? '', roles: key?.roles ?? [] });
    if (entry.kind.startsWith('core/')) registry.apply(entry);
  }
  return { registry, manifest, signers, problems };
}

/** The compliance view of one case from replayed entries (only entries whose signer checked). */
export function caseViewFrom(
  seqs: readonly number[],
  bySeq: ReadonlyMap<number, Entry>,
  signers: ReplayResult['signers'],
): CaseView {
  const records: ViewRecord[] = [];
  for (const s of seqs) {
    const e = bySeq.get(s);
    const signer = signers.get(s);
    if (!e || !signer) continue;
    records.push({ seq: s, time: e.time, kind: e.kind, body: e.body, signer });
  }
  return caseViewOf(records);
}

/** True when the entry's body names the case (`caseId`), as the domain's case index does. */
export function belongsToCase(entry: Entry, caseId: string): boolean {
  const b = entry.body as { caseId?: unknown } | null;
  return b !== null && typeof b === 'object' && b.caseId === caseId;
}
