/**
 * Access API (Art. 23–26; docs/ARCHITECTURE.md invariant 5): `retrieve` returns content only under a valid approval and ALWAYS
 * appends a retrieval event first, granted or refused with its reason; a refusal then throws PolicyError with the same
 * code. `disclose` does the same for disclosures, which need the head's approval (Art. 26).
 */
import type { Readable } from 'node:stream';
import { bytesEqual } from '../bytes';
import { type ChunkRange, chunkCount } from '../content/chunk-format';
import { chunkExcerpt, readExactly } from '../content/excerpt';
import type { ChunkExcerpt } from '../content/excerpt-format';
import type { ContentStore } from '../content/store';
import type { Signer } from '../crypto/types';
import { PolicyError } from '../errors';
import type { Ledger } from '../ledger/ledger';
import type { AppendResult, CborValue, ContentRef, KindOf } from '../ledger/types';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy, validatePolicy } from '../retention/policy';
import { ledgerReader } from '../retention/reader';
import { identify } from '../retention/records';
import { type AccessProblem, evaluateDisclosure, evaluateRetrieval } from './check';
import { ACC } from './kind-names';
import type { AccessBodies, DisclosureBody, LabelBody, RetrievalBody, RetrievalRequestBody } from './kinds';
import { PURGED_INDEX } from '../retention/kinds';
import { toHex } from '../bytes';
import type { Input } from '../domain/records';

export interface AccessOptions {
  readonly policy?: RetentionPolicy;
  /** The time used to judge validity windows before appending; give the ledger's clock. Default Date.now. */
  readonly clock?: () => number;
}

export interface RetrieveOptions {
  readonly requesterId: string;
  readonly approvalId?: string;
  readonly purpose?: string;
}

export interface Retrieval {
  /** The granted retrieval event. */
  readonly event: AppendResult;
  readonly ref: ContentRef;
  readonly stream: Readable;
}

export class Access {
  readonly policy: RetentionPolicy;
  private readonly clock: () => number;

  constructor(
    readonly ledger: Ledger,
    readonly store: ContentStore,
    opts: AccessOptions = {},
  ) {
    this.policy = opts.policy ?? DEFAULT_RETENTION_POLICY;
    validatePolicy(this.policy, 'opts.policy');
    this.clock = opts.clock ?? Date.now;
  }

  /** Labels records of a case as state secret, commercial secret or personal privacy (Art. 26). */
  label(l: Input<LabelBody>, signer: Signer): Promise<AppendResult> {
    return this.append(ACC.label, l, signer);
  }

  /** Records a retrieval request (调用单), internal (Art. 24) or external (Art. 25). */
  requestRetrieval(r: Input<RetrievalRequestBody>, signer: Signer): Promise<AppendResult> {
    return this.append(ACC.retrievalRequest, r, signer);
  }

  /**
   * Retrieves the content committed by entry `target` (its first content, or the one with `digest`). Appends the
   * retrieval event (signed by `signer`, the archive's operator key) before returning; a refused retrieval is
   * appended with its reason and then throws PolicyError (`RETRIEVAL_NO_APPROVAL`, `RETRIEVAL_APPROVAL_EXPIRED`,
   * `RETRIEVAL_WRONG_REQUESTER`, `RETRIEVAL_WRONG_RECORD`, `RETRIEVAL_USED_UP`, `RETRIEVAL_APPROVER_ROLE`,
   * `RETRIEVAL_CONTENT_PURGED`, `RETRIEVAL_CONTENT_MISSING`…; `details.eventSeq` is the refusal's seq).
   */
  async retrieve(
    target: number | { seq: number; digest?: Uint8Array },
    opts: RetrieveOptions,
    signer: Signer,
  ): Promise<Retrieval> {
    const { event, ref } = await this.judgeRetrieval(target, opts, signer, undefined);
    return { event, ref, stream: this.store.get(ref.digest) };
  }

  /**
   * A partial retrieval: chunk `index` (1 MiB) of the content committed by entry `target`, as a chunk excerpt with its
   * inclusion proof against the record's chunkRoot (`verifyChunkExcerpt`). Judged and logged exactly like `retrieve`
   * (the event names the chunk; a granted one uses the approval once). RangeError, nothing written, for an index
   * beyond the content's chunks.
   */
  async retrieveExcerpt(
    target: number | { seq: number; digest?: Uint8Array },
    index: number,
    opts: RetrieveOptions,
    signer: Signer,
  ): Promise<{ event: AppendResult; ref: ContentRef; excerpt: ChunkExcerpt & ChunkRange }> {
    if (!Number.isSafeInteger(index) || index < 0)
      throw new RangeError('index must be a non-negative integer');
    const { event, ref } = await this.judgeRetrieval(target, opts, signer, index);
    return { event, ref, excerpt: await chunkExcerpt(this.store, ref, index) };
  }

  /** Judges a retrieval (whole, or of one chunk), appends its event, throws PolicyError when refused. */
  private async judgeRetrieval(
    target: number | { seq: number; digest?: Uint8Array },
    opts: RetrieveOptions,
    signer: Signer,
    chunk: number | undefined,
  ): Promise<{ event: AppendResult; ref: ContentRef }> {
    const seq = typeof target === 'number' ? target : target?.seq;
    if (!Number.isSafeInteger(seq) || seq < 0)
      throw new TypeError('target must be an entry seq or { seq, digest }');
    if (!opts || typeof opts.requesterId !== 'string' || !opts.requesterId)
      throw new TypeError('opts.requesterId must be an id');
    const entry = await this.ledger.get(seq);
    const wanted = typeof target === 'number' ? undefined : target.digest;
    const ref = entry.content.find((c) => wanted === undefined || bytesEqual(c.digest, wanted));
    if (!ref) throw new RangeError(`entry ${seq} commits no ${wanted ? 'such ' : ''}content`);
    if (chunk !== undefined && chunk >= chunkCount(ref.size))
      throw new RangeError(`chunk ${chunk} is beyond the content's ${chunkCount(ref.size)} chunk(s)`);
    const caseId = identify(entry).caseId;
    const base = {
      v: 1 as const,
      requesterId: opts.requesterId,
      ...(opts.approvalId === undefined ? {} : { approvalId: opts.approvalId }),
      ...(caseId === undefined ? {} : { caseId }),
      target: { seq, digest: ref.digest },
      ...(chunk === undefined ? {} : { chunk }),
      ...(opts.purpose === undefined ? {} : { purpose: opts.purpose }),
    };
    const at = this.clock();
    const problems: Array<{ code: string; message: string }> = await evaluateRetrieval(
      ledgerReader(this.ledger),
      { approvalId: opts.approvalId, requesterId: opts.requesterId, target: { seq, digest: ref.digest } },
      at,
      this.policy,
    );
    if (!problems.length && !(await this.store.has(ref.digest))) {
      const purged = (await this.ledger.lookup(PURGED_INDEX, toHex(ref.digest))).length > 0;
      problems.push(
        purged
          ? {
              code: 'RETRIEVAL_CONTENT_PURGED',
              message: `the content of entry ${seq} was purged after its retention expired`,
            }
          : {
              code: 'RETRIEVAL_CONTENT_MISSING',
              message: `the content of entry ${seq} is missing from the store`,
            },
      );
    }
    if (problems.length) {
      const first = problems[0]!;
      const ev = await this.appendEvent(
        ACC.retrieval,
        { ...base, outcome: 'refused', reason: first.code, at },
        signer,
      );
      throw new PolicyError(first.code, first.message, { eventSeq: ev.seq, problems });
    }
    const event = await this.appendEvent(ACC.retrieval, { ...base, outcome: 'granted', at }, signer);
    return { event, ref };
  }

  /** As `retrieve`, collecting the bytes (StorageError STORAGE_CORRUPT when the stored file is not the recorded size). */
  async retrieveBytes(
    target: number | { seq: number; digest?: Uint8Array },
    opts: RetrieveOptions,
    signer: Signer,
  ): Promise<{ event: AppendResult; ref: ContentRef; bytes: Uint8Array }> {
    const r = await this.retrieve(target, opts, signer);
    return { event: r.event, ref: r.ref, bytes: await readExactly(r.stream, r.ref.size) };
  }

  /**
   * Records a disclosure (Art. 26) of a case's records (or the listed ones) to `recipient`. Granted only under the
   * head's approval (`approvalId`, an `enf/approval.disclosure`) for this case, recipient and purpose, covering the
   * records, inside its validity window and not used up (by default valid 7 days from `decidedAt`, one disclosure:
   * the policy's `access.defaultValidityMs` / `defaultMaxUses`); otherwise the refusal is appended and PolicyError
   * thrown (`DISCLOSURE_NO_APPROVAL`, `DISCLOSURE_APPROVAL_REJECTED`, `DISCLOSURE_WRONG_CASE`,
   * `DISCLOSURE_NOT_YET_VALID`, `DISCLOSURE_APPROVAL_EXPIRED`, `DISCLOSURE_RECIPIENT_MISMATCH`,
   * `DISCLOSURE_PURPOSE_MISMATCH`, `DISCLOSURE_OUT_OF_SCOPE`, `DISCLOSURE_APPROVER_ROLE`, `DISCLOSURE_USED_UP`;
   * `details.eventSeq` is the refusal's seq).
   */
  async disclose(
    d: Omit<Input<DisclosureBody>, 'outcome' | 'reason' | 'at'>,
    signer: Signer,
  ): Promise<AppendResult> {
    if (!d || typeof d !== 'object' || typeof d.caseId !== 'string')
      throw new TypeError('d.caseId must be an id');
    if (typeof d.recipient !== 'string' || !d.recipient) throw new TypeError('d.recipient must be text');
    const at = this.clock();
    const problems: AccessProblem[] = await evaluateDisclosure(ledgerReader(this.ledger), d, at, this.policy);
    if (problems.length) {
      const first = problems[0]!;
      const ev = await this.appendEvent(
        ACC.disclosure,
        { ...d, v: 1 as const, outcome: 'refused', reason: first.code, at },
        signer,
      );
      throw new PolicyError(first.code, first.message, { eventSeq: ev.seq, problems });
    }
    return this.appendEvent(ACC.disclosure, { ...d, v: 1 as const, outcome: 'granted', at }, signer);
  }

  private appendEvent<K extends KindOf<AccessBodies>>(
    kind: K,
    body: AccessBodies[K],
    signer: Signer,
  ): Promise<AppendResult> {
    return this.ledger.append({ kind, body }, signer);
  }

  private append(
    kind: KindOf<AccessBodies>,
    input: { readonly [field: string]: CborValue },
    signer: Signer,
  ): Promise<AppendResult> {
    if (!input || typeof input !== 'object') throw new TypeError('body must be an object');
    return this.ledger.append({ kind, body: { ...input, v: 1 } }, signer);
  }
}

export type { RetrievalBody };
