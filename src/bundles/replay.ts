/**
 * Replays the entries a bundle carries, in log order, through the log's state (ledger/log-state.ts, the same replay
 * `Ledger.open` and the ledger verify use): checks each entry's header, its signer's registration, revocation and role
 * at that point of the log (docs/FORMAT.md §Core kinds), its signature and a core entry's body, and records the
 * signer's principal and roles for the compliance view. Shared by the exporter and the verifier so both build the
 * same case views. Pure.
 */
import { field } from '../guards';
import type { ProblemCode } from '../problems';
import type { CaseView, ViewRecord } from '../compliance/case-view';
import { caseViewOf } from '../compliance/case-view';
import type { CryptoSuite } from '../crypto/types';
import { KIND } from '../domain/kind-names';
import { signingMessage } from '../ledger/format';
import { LogState } from '../ledger/log-state';
import { KeyRegistry, type ManifestBody } from '../ledger/registry';
import type { Entry } from '../ledger/types';

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
  const signers = new Map<number, { principal: string; roles: readonly string[] }>();
  const problems: ReplayProblem[] = [];
  const first = entries[0];
  const genesis = LogState.fromGenesis(first?.entry.seq === 0 ? first.entry : undefined, suite);
  if (!genesis.ok) {
    const { code, message } = genesis.problem;
    problems.push({
      seq: 0,
      code,
      message: code === 'MANIFEST_MISSING' ? 'the bundle does not carry the manifest (entry 0)' : message,
    });
    return { registry: new KeyRegistry((pub) => suite.keyId(pub)), manifest: undefined, signers, problems };
  }
  const state = genesis.state;
  for (const { entry, entryBytes, signature } of entries) {
    const seq = entry.seq;
    const header = state.headerProblems(entry, seq);
    if (header.length) {
      problems.push(...header);
      continue;
    }
    const signer = state.signerKey(entry);
    if ('code' in signer) {
      problems.push(signer);
      continue;
    }
    if (!suite.verify(signer.publicKey, signingMessage(entryBytes), signature)) {
      problems.push({ seq, code: 'BAD_SIGNATURE', message: `entry ${seq}: signature does not verify` });
      continue;
    }
    const body = state.coreBodyProblem(entry);
    if (body) {
      problems.push(body);
      continue;
    }
    signers.set(seq, state.signerOf(entry));
    state.apply(entry);
  }
  return { registry: state.registry, manifest: state.manifest, signers, problems };
}

/** Kinds a bundle may carry as a case's organisation records (what the Art. 20, 28 and 32 rules consult). */
export const ORGANISATION_KINDS: ReadonlySet<string> = new Set([
  KIND.agency,
  KIND.device,
  KIND.deviceCustody,
  KIND.deviceStatus,
]);

/** The agencies a case's records name (its `enf/case`) and the devices its segments name: the organisation records a
 * bundle carries for the case are theirs (export chooses them; verify checks the choice). */
export function organisationIdsOf(records: readonly Entry[]): {
  agencies: Set<string>;
  devices: Set<string>;
} {
  const agencies = new Set<string>();
  const devices = new Set<string>();
  for (const e of records) {
    const agencyId = field(e.body, 'agencyId');
    const deviceId = field(e.body, 'deviceId');
    if (e.kind === KIND.case && typeof agencyId === 'string') agencies.add(agencyId);
    if (e.kind === KIND.segment && typeof deviceId === 'string') devices.add(deviceId);
  }
  return { agencies, devices };
}

function viewRecords(
  seqs: readonly number[],
  bySeq: ReadonlyMap<number, Entry>,
  signers: ReplayResult['signers'],
): ViewRecord[] {
  const records: ViewRecord[] = [];
  for (const s of seqs) {
    const e = bySeq.get(s);
    const signer = signers.get(s);
    if (!e || !signer) continue;
    records.push({ seq: s, time: e.time, kind: e.kind, body: e.body, signer });
  }
  return records;
}

/**
 * The compliance view of one case from replayed entries (only entries whose signer checked), with the organisation
 * records `organisation` lists when given (none: the rules that need them are silent).
 */
export function caseViewFrom(
  seqs: readonly number[],
  bySeq: ReadonlyMap<number, Entry>,
  signers: ReplayResult['signers'],
  organisation?: readonly number[],
): CaseView {
  const view = caseViewOf(viewRecords(seqs, bySeq, signers));
  return organisation?.length ? { ...view, organisation: viewRecords(organisation, bySeq, signers) } : view;
}

/** True when the entry's body names the case (`caseId`), as the domain's case index does. */
export function belongsToCase(entry: Entry, caseId: string): boolean {
  return field(entry.body, 'caseId') === caseId;
}
