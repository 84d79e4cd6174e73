/**
 * The log's own state, replayed from its entries: the manifest (origin, suite, root and checkpoint keys), the ledger
 * id, and the keys, roles and declared kinds as of each seq. One replay shared by `Ledger.open`, ledger verification
 * and bundle verification, so the three can never disagree on what an entry's signer was allowed to do, nor name the
 * same condition differently. Pure: no storage, no Node module (it runs in the browser verifier); fed entries in log
 * order. Signatures are checked by the caller (in bulk, on workers) with the key `signerKey` returns.
 */
import { field } from '../guards';
import { bytesEqual } from '../bytes';
import type { CryptoSuite } from '../crypto/types';
import { encodeCanonical } from '../encoding/cbor';
import type { ProblemCode } from '../problems';
import { FORMAT_VERSION, MANIFEST_KIND } from './format';
import { SUITE_IDS } from '../crypto/registry';
import { KeyRegistry, type ManifestBody, isCoreKind, validateCoreBody } from './registry';
import type { Entry } from './types';

export interface StateProblem {
  readonly seq: number;
  readonly code: ProblemCode;
  readonly message: string;
}

export type GenesisResult =
  | { readonly ok: true; readonly state: LogState }
  | { readonly ok: false; readonly problem: StateProblem };

export class LogState {
  private constructor(
    readonly suite: CryptoSuite,
    readonly manifest: ManifestBody,
    /** The hash of the manifest body: every entry names it. */
    readonly ledgerId: Uint8Array,
    /** Keys, roles and kinds as of the last applied entry. */
    readonly registry: KeyRegistry,
  ) {}

  /**
   * Starts the replay from entry 0. Fails closed: no manifest, an invalid one, an unknown entry format or an unknown
   * suite gives a problem and no state (nothing after it can be checked).
   */
  static fromGenesis(genesis: Entry | undefined, suite: CryptoSuite): GenesisResult {
    const fail = (code: ProblemCode, message: string): GenesisResult => ({
      ok: false,
      problem: { seq: 0, code, message },
    });
    if (genesis === undefined) return fail('MANIFEST_MISSING', 'entry 0 (the manifest) is missing');
    if (genesis.seq !== 0 || genesis.kind !== MANIFEST_KIND)
      return fail('MANIFEST_MISSING', 'entry 0 is not a manifest');
    if (genesis.version !== FORMAT_VERSION)
      return fail('VERSION_UNKNOWN', `the manifest has entry format version ${genesis.version}`);
    const issues = validateCoreBody(MANIFEST_KIND, genesis.body);
    if (issues.some((i) => i.code === 'unknown_suite'))
      return fail(
        'SUITE_UNKNOWN',
        `the manifest names suite ${String(field(genesis.body, 'suite'))}; this verifier knows ${SUITE_IDS.join(', ')}`,
      );
    if (issues.length)
      return fail(
        'MANIFEST_INVALID',
        `manifest ${['body', ...issues[0]!.path].join('.')}: ${issues[0]!.message}`,
      );
    if (!isCoreKind(genesis, MANIFEST_KIND)) return fail('MANIFEST_MISSING', 'entry 0 is not a manifest');
    const manifest = genesis.body;
    const ledgerId = suite.hash(encodeCanonical(manifest));
    const registry = new KeyRegistry((pub) => suite.keyId(pub));
    registry.apply(genesis);
    return { ok: true, state: new LogState(suite, manifest, ledgerId, registry) };
  }

  /** Problems of the entry's header at `seq`: where it is stored, its format version and its ledger id. */
  headerProblems(entry: Entry, seq: number): StateProblem[] {
    const out: StateProblem[] = [];
    if (entry.seq !== seq)
      out.push({ seq, code: 'SEQ_MISMATCH', message: `entry stored at ${seq} says seq ${entry.seq}` });
    if (entry.version !== FORMAT_VERSION)
      out.push({ seq, code: 'VERSION_UNKNOWN', message: `entry ${seq} has format version ${entry.version}` });
    if (!bytesEqual(entry.ledgerId, this.ledgerId))
      out.push({
        seq,
        code: 'LEDGER_ID_MISMATCH',
        message:
          seq === 0
            ? 'the ledger id is not the hash of the manifest'
            : `entry ${seq} belongs to another ledger`,
      });
    return out;
  }

  /**
   * The key that must have signed `entry` at this point of the log — the manifest's root key for entry 0, else a
   * registered, unrevoked key holding a role its kind requires — or the problem that says why it may not sign.
   */
  signerKey(entry: Entry): { readonly publicKey: Uint8Array } | StateProblem {
    const seq = entry.seq;
    if (entry.kind === MANIFEST_KIND) {
      if (seq !== 0) return { seq, code: 'MANIFEST_DUPLICATE', message: `entry ${seq} is a second manifest` };
      const rk = this.manifest.rootKeys.find((k) => this.suite.keyId(k.publicKey) === entry.signer);
      return rk
        ? { publicKey: rk.publicKey }
        : { seq, code: 'MANIFEST_SIGNER', message: 'the manifest is not signed by one of its root keys' };
    }
    const problem = this.registry.checkSigner(entry);
    if (problem) return { seq, code: problem.code, message: `entry ${seq}: ${problem.message}` };
    return { publicKey: this.registry.keys.get(entry.signer)!.publicKey };
  }

  /** Schema and state problems of a core entry's body (empty for other kinds: their schemas are the caller's). */
  coreBodyProblem(entry: Entry): StateProblem | undefined {
    if (!entry.kind.startsWith('core/') || entry.kind === MANIFEST_KIND) return undefined;
    const issues = [...validateCoreBody(entry.kind, entry.body), ...this.registry.stateIssues(entry)];
    if (!issues.length) return undefined;
    return {
      seq: entry.seq,
      code: 'BODY_INVALID',
      message: `entry ${entry.seq} (${entry.kind}): ${issues.map((i) => `${['body', ...i.path].join('.')}: ${i.code}`).join('; ')}`,
    };
  }

  /** Applies a checked entry: core entries change keys, roles and declared kinds; others change nothing. */
  apply(entry: Entry): void {
    if (entry.kind.startsWith('core/') && entry.kind !== MANIFEST_KIND) this.registry.apply(entry);
  }

  /** Principal and roles of the entry's signer at this point (for the compliance view). */
  signerOf(entry: Entry): { readonly principal: string; readonly roles: readonly string[] } {
    const key = this.registry.keys.get(entry.signer);
    return { principal: key?.principal ?? '', roles: key?.roles ?? [] };
  }
}
