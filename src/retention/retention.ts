/**
 * Retention API (Art. 22(3)(4), 27): evidence marks, reclassification, legal holds, the schedule of expiries, and the
 * lawful purge: refuse before expiry, under a hold, or without the request and approval (PolicyError, nothing
 * written); otherwise append the purge entry, THEN delete the content. A crash between the two leaves "purge recorded,
 * content present"; running `purge` again with the same request (or `completePurges`) finishes it. Entries are never
 * deleted.
 */
import { fromHex, toHex } from '../bytes';
import type { Signer } from '../crypto/types';
import type { ContentStore } from '../content/store';
import { INDEX } from '../domain/spec';
import { isObj } from '../guards';
import { PolicyError } from '../errors';
import type { Ledger } from '../ledger/ledger';
import { CONTENT_INDEX } from '../ledger/rows';
import type { AppendResult, KindOf, StoredEntry } from '../ledger/types';
import { RET } from './kind-names';
import {
  type EvidenceMarkBody,
  type HoldBody,
  type HoldReleaseBody,
  PURGED_INDEX,
  type PurgeBody,
  type PurgeRequestBody,
  type ReclassifyBody,
  type RetentionBodies,
  isRetentionKind,
} from './kinds';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy, policyHash, validatePolicy } from './policy';
import { type PurgeProblem, type PurgeTarget, evaluatePurge } from './purge-check';
import { ledgerReader } from './reader';
import { ARCHIVE_KIND_INDEX } from './records';
import { type RecordRetention, holdsOn, retentionOf } from './status';
import type { Input } from '../domain/records';

export interface RetentionOptions {
  readonly policy?: RetentionPolicy;
  /** The time used to judge expiry before appending; give the ledger's clock. Default Date.now. */
  readonly clock?: () => number;
}

export interface ScheduleItem extends RecordRetention {
  /** Legal holds in force (seqs). */
  readonly holds: readonly number[];
  /** Seq of the purge entry that purged this content, if any. */
  readonly purgedBy: number | undefined;
  /** Expired at the schedule's `at`, not held and not purged: a purge may be requested. */
  readonly purgeable: boolean;
}

export interface PurgeRequestInput {
  readonly purgeId: string;
  readonly requestId: string;
  readonly approvalId?: string;
  /** Targets to purge now (default: every target of the request). */
  readonly targets?: readonly PurgeTarget[];
}

export interface PurgeResult {
  readonly purgeSeq: number;
  /** The purge entry existed already (a re-run after a crash): only the deletions were done now. */
  readonly resumed: boolean;
  /** Hex digests whose content this call removed from the store. */
  readonly removed: readonly string[];
}

export interface PurgeHooks {
  /** Called after the purge entry is durable and before any deletion (tests simulate a crash here). */
  readonly afterRecord?: (purgeSeq: number) => Promise<void> | void;
}

export class Retention {
  readonly policy: RetentionPolicy;
  readonly policyHash: string;
  private readonly clock: () => number;

  constructor(
    readonly ledger: Ledger,
    readonly store: ContentStore,
    opts: RetentionOptions = {},
  ) {
    this.policy = opts.policy ?? DEFAULT_RETENTION_POLICY;
    validatePolicy(this.policy, 'opts.policy');
    this.policyHash = policyHash(this.policy, ledger.suite.hash);
    this.clock = opts.clock ?? Date.now;
  }

  markEvidence(mark: Input<EvidenceMarkBody>, archivist: Signer): Promise<AppendResult> {
    return this.append(RET.evidence, mark, archivist);
  }

  reclassify(r: Input<ReclassifyBody>, archivist: Signer): Promise<AppendResult> {
    return this.append(RET.reclassify, r, archivist);
  }

  hold(h: Input<HoldBody>, signer: Signer): Promise<AppendResult> {
    return this.append(RET.hold, h, signer);
  }

  releaseHold(r: Input<HoldReleaseBody>, signer: Signer): Promise<AppendResult> {
    return this.append(RET.holdRelease, r, signer);
  }

  requestPurge(r: Input<PurgeRequestBody>, archivist: Signer): Promise<AppendResult> {
    return this.append(RET.purgeRequest, r, archivist);
  }

  /** Class, expiry and holds of the content `digest` committed by entry `seq` (default: its first content). */
  async recordRetention(seq: number, digest?: Uint8Array): Promise<ScheduleItem> {
    const entry = await this.ledger.get(seq);
    const d = digest ?? entry.content[0]?.digest;
    if (!d) throw new RangeError(`entry ${seq} commits no content`);
    return this.item(entry, d, this.clock());
  }

  /**
   * Every committed content with its class and expiry as of `at` (default: now), ordered by expiry (pending and
   * permanent last). `caseId` narrows to one case.
   */
  async retentionSchedule(
    at: number = this.clock(),
    filter: { caseId?: string } = {},
  ): Promise<ScheduleItem[]> {
    if (!Number.isSafeInteger(at)) throw new TypeError('at must be ms since epoch');
    const rows = await this.ledger.lookupRange(CONTENT_INDEX);
    const out: ScheduleItem[] = [];
    for (const { key, seq } of rows) {
      const entry = await this.ledger.get(seq);
      if (filter.caseId !== undefined && !(isObj(entry.body) && entry.body.caseId === filter.caseId))
        continue;
      out.push(await this.item(entry, fromHex(key), at));
    }
    const rank = (i: ScheduleItem) => i.expiresAt ?? Number.MAX_SAFE_INTEGER;
    return out.sort((a, b) => rank(a) - rank(b) || a.seq - b.seq || (a.digest < b.digest ? -1 : 1));
  }

  private async item(entry: StoredEntry, digest: Uint8Array, at: number): Promise<ScheduleItem> {
    const r = ledgerReader(this.ledger);
    const ret = await retentionOf(r, entry, digest, this.policy);
    const holds = await holdsOn(r, entry);
    const purgedBy = await this.purgeOf(entry.seq, digest);
    return {
      ...ret,
      holds,
      purgedBy,
      purgeable:
        ret.state === 'scheduled' && at >= ret.expiresAt! && holds.length === 0 && purgedBy === undefined,
    };
  }

  /** Seq of a purge entry covering (seq, digest), if any. */
  async purgeOf(seq: number, digest: Uint8Array): Promise<number | undefined> {
    for (const s of await this.ledger.lookup(PURGED_INDEX, toHex(digest))) {
      const e = await this.ledger.get(s);
      const hex = toHex(digest);
      if (
        isRetentionKind(e, RET.purge) &&
        e.body.targets.some((t) => t.seq === seq && toHex(t.digest) === hex)
      )
        return s;
    }
    return undefined;
  }

  /**
   * Purges content whose retention has expired. Refuses with PolicyError (nothing written; `details.problems` lists
   * every reason) before expiry (`PURGE_BEFORE_EXPIRY`), under a hold (`PURGE_UNDER_HOLD`), without the archivist's
   * request (`PURGE_NO_REQUEST`) or the head's approval (`PURGE_NO_APPROVAL`, `PURGE_APPROVAL_REJECTED`), by one person
   * (`PURGE_SAME_PERSON`)… Otherwise appends the purge entry, then removes each content from the store. Re-running
   * with the same `purgeId` after a crash completes the deletions.
   */
  async purge(req: PurgeRequestInput, signer: Signer, hooks: PurgeHooks = {}): Promise<PurgeResult> {
    if (!req || typeof req !== 'object') throw new TypeError('req must be an object');
    if (typeof req.purgeId !== 'string' || !req.purgeId) throw new TypeError('req.purgeId must be an id');
    const [existing] = await this.ledger.lookup(INDEX.id('purge'), req.purgeId);
    if (existing !== undefined) {
      const e = await this.ledger.get(existing);
      if (!isRetentionKind(e, RET.purge))
        throw new PolicyError('PURGE_ID_TAKEN', `${req.purgeId} names entry ${existing}, not a purge`);
      return { purgeSeq: existing, resumed: true, removed: await this.complete(e) };
    }
    const r = ledgerReader(this.ledger);
    let targets = req.targets;
    if (!targets) {
      const [rs] = await r.lookup(INDEX.id('purge-request'), req.requestId);
      const reqEntry = rs === undefined ? undefined : await r.get(rs);
      targets = reqEntry && isRetentionKind(reqEntry, RET.purgeRequest) ? reqEntry.body.targets : [];
      if (!targets.length)
        throw new PolicyError('PURGE_NO_REQUEST', `no purge request ${req.requestId}`, { problems: [] });
    }
    const at = this.clock();
    const claim = { requestId: req.requestId, approvalId: req.approvalId, targets };
    const ev = await evaluatePurge(r, claim, at, this.policy);
    if (ev.problems.length) throw refusal(ev.problems);
    const purgeBody: PurgeBody = {
      v: 1,
      purgeId: req.purgeId,
      requestId: req.requestId,
      ...(req.approvalId === undefined ? {} : { approvalId: req.approvalId }),
      policy: this.policyHash,
      targets: targets.map((t, i) => {
        const ret = ev.retention[i]!;
        return {
          seq: t.seq,
          digest: t.digest,
          retentionClass: ret.retentionClass!,
          basis: ret.basis!,
          from: ret.from!,
          expiresAt: ret.expiresAt!,
        };
      }),
      purgedAt: at,
    };
    const res = await this.ledger.append({ kind: RET.purge, body: purgeBody }, signer);
    await hooks.afterRecord?.(res.seq);
    return {
      purgeSeq: res.seq,
      resumed: false,
      removed: await this.complete({ seq: res.seq, body: purgeBody }),
    };
  }

  /** Finishes every recorded purge whose content is still in the store (after a crash). */
  async completePurges(): Promise<Array<{ purgeSeq: number; removed: string[] }>> {
    const out: Array<{ purgeSeq: number; removed: string[] }> = [];
    for (const seq of await this.ledger.lookup(ARCHIVE_KIND_INDEX, RET.purge)) {
      const e = await this.ledger.get(seq);
      if (!isRetentionKind(e, RET.purge)) continue; // the kind index names only purges
      const removed = await this.complete(e);
      if (removed.length) out.push({ purgeSeq: seq, removed });
    }
    return out;
  }

  private async complete(purge: { readonly seq: number; readonly body: PurgeBody }): Promise<string[]> {
    const removed: string[] = [];
    for (const t of purge.body.targets) {
      if (!(await this.store.has(t.digest)) && (await this.store.purgedBy(t.digest)) !== undefined) continue;
      if (await this.store.removeForPurge(t.digest, purge.seq)) removed.push(toHex(t.digest));
    }
    return removed;
  }

  private append<K extends KindOf<RetentionBodies>>(
    kind: K,
    input: Input<RetentionBodies[K]>,
    signer: Signer,
  ): Promise<AppendResult> {
    if (!input || typeof input !== 'object') throw new TypeError('body must be an object');
    return this.ledger.append({ kind, body: { ...input, v: 1 } }, signer);
  }
}

export function refusal(problems: readonly PurgeProblem[]): PolicyError {
  const first = problems[0]!;
  return new PolicyError(first.code, first.message, { problems: problems.map((p) => ({ ...p })) });
}

export type { PurgeProblem };
export { holdsOn };
