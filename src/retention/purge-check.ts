/**
 * Whether a purge is lawful at a point of the log (Art. 22(3)(4), 27): each target's retention has expired, no legal
 * hold is in force, the archivist requested it and the head approved it (two people, per policy), and the content is
 * not also committed by a record that is not being purged. Used by `purge` before appending, by the `ret/purge`
 * kind's append-time check, and by `verifyRetention` for each purge entry already in the log.
 */
import { isObj } from '../guards';
import { bytesEqual, toHex } from '../bytes';
import { KIND } from '../domain/kind-names';
import { INDEX } from '../domain/spec';
import { CONTENT_INDEX } from '../ledger/rows';
import type { StoredEntry } from '../ledger/types';
import { RET } from './kind-names';
import { type RetentionPolicy, policyHash } from './policy';
import type { LogReader } from './reader';
import { type RecordRetention, holdsOn, retentionOf } from './status';

export type PurgeProblemCode =
  | 'PURGE_POLICY_MISMATCH'
  | 'PURGE_NO_REQUEST'
  | 'PURGE_NO_APPROVAL'
  | 'PURGE_APPROVAL_REJECTED'
  | 'PURGE_SAME_PERSON'
  | 'PURGE_TARGET_NOT_REQUESTED'
  | 'PURGE_TARGET_NOT_APPROVED'
  | 'PURGE_TARGET_UNKNOWN'
  | 'PURGE_PERMANENT'
  | 'PURGE_RETENTION_UNKNOWN'
  | 'PURGE_BEFORE_EXPIRY'
  | 'PURGE_UNDER_HOLD'
  | 'PURGE_SHARED_CONTENT'
  | 'PURGE_RULE_MISMATCH';

export interface PurgeProblem {
  readonly code: PurgeProblemCode;
  readonly message: string;
  /** Index of the target concerned, when one. */
  readonly target?: number;
  /** Seqs of the entries concerned (the request, the approval, the record, the hold…). */
  readonly seqs: readonly number[];
}

export interface PurgeTarget {
  readonly seq: number;
  readonly digest: Uint8Array;
}

export interface PurgeClaim {
  readonly requestId?: string | undefined;
  readonly approvalId?: string | undefined;
  /** Policy hash the purge cites; checked when given. */
  readonly policy?: string | undefined;
  readonly targets: readonly (PurgeTarget & { readonly expiresAt?: number })[];
}

export interface PurgeEvaluation {
  readonly problems: PurgeProblem[];
  /** Retention of each target (undefined for an unknown target). */
  readonly retention: Array<RecordRetention | undefined>;
}

/** An entry's body as a map of fields; a body that is not a map has none (read, never cast). */
const b = (e: StoredEntry): Record<string, unknown> => (isObj(e.body) ? e.body : {});

function listed(list: unknown, t: PurgeTarget): boolean {
  return (
    Array.isArray(list) &&
    list.some(
      (x) =>
        x &&
        typeof x === 'object' &&
        (x as PurgeTarget).seq === t.seq &&
        bytesEqual((x as PurgeTarget).digest, t.digest),
    )
  );
}

async function resolve(
  r: LogReader,
  space: 'purge-request' | 'approval',
  id: string | undefined,
  kind: string,
) {
  if (id === undefined) return undefined;
  const [seq] = await r.lookup(INDEX.id(space), id);
  if (seq === undefined) return undefined;
  const e = await r.get(seq);
  return e.kind === kind ? e : undefined;
}

/** Every reason the purge `claim` is unlawful at `at` with the visible log `r`; empty when lawful. */
export async function evaluatePurge(
  r: LogReader,
  claim: PurgeClaim,
  at: number,
  policy: RetentionPolicy,
): Promise<PurgeEvaluation> {
  const problems: PurgeProblem[] = [];
  const add = (code: PurgeProblemCode, message: string, seqs: number[] = [], target?: number) =>
    problems.push({ code, message, seqs, ...(target === undefined ? {} : { target }) });

  if (claim.policy !== undefined && claim.policy !== policyHash(policy, (await r.suite()).hash))
    add(
      'PURGE_POLICY_MISMATCH',
      `the purge cites policy ${claim.policy.slice(0, 16)}…, not ${policy.name} v${policy.version}`,
    );

  const request = await resolve(r, 'purge-request', claim.requestId, RET.purgeRequest);
  const approval = await resolve(r, 'approval', claim.approvalId, KIND.approvalPurge);
  const requester = request && (await r.signatory(request.signer));
  const approver = approval && (await r.signatory(approval.signer));
  if (policy.purge.requireRequest && (!request || !requester?.roles.includes('archivist')))
    add(
      'PURGE_NO_REQUEST',
      `no purge request ${claim.requestId ?? '(none)'} by an archivist precedes the purge`,
    );
  if (policy.purge.requireApproval) {
    if (!approval || !approver?.roles.includes('head'))
      add(
        'PURGE_NO_APPROVAL',
        `no purge approval ${claim.approvalId ?? '(none)'} by the head precedes the purge`,
      );
    else if (b(approval).decision !== 'approved')
      add('PURGE_APPROVAL_REJECTED', `purge approval ${claim.approvalId} was rejected`, [approval.seq]);
  }
  if (policy.purge.twoPerson && requester && approver && requester.principal === approver.principal)
    add(
      'PURGE_SAME_PERSON',
      `${requester.principal} both requested and approved the purge (two people are required)`,
      [request!.seq, approval!.seq],
    );

  const retention: Array<RecordRetention | undefined> = [];
  const targetKeys = new Set(claim.targets.map((t) => `${t.seq}:${toHex(t.digest)}`));
  for (const [i, t] of claim.targets.entries()) {
    if (request && policy.purge.requireRequest && !listed(b(request).targets, t))
      add(
        'PURGE_TARGET_NOT_REQUESTED',
        `target ${t.seq} is not in purge request ${claim.requestId}`,
        [request.seq, t.seq],
        i,
      );
    if (approval && policy.purge.requireApproval && !listed(b(approval).targets, t))
      add(
        'PURGE_TARGET_NOT_APPROVED',
        `target ${t.seq} is not in purge approval ${claim.approvalId}`,
        [approval.seq, t.seq],
        i,
      );
    const entry =
      Number.isSafeInteger(t.seq) && t.seq >= 0 && t.seq < r.size ? await r.get(t.seq) : undefined;
    if (!entry?.content.some((c) => bytesEqual(c.digest, t.digest))) {
      add('PURGE_TARGET_UNKNOWN', `entry ${t.seq} commits no such content`, [], i);
      retention.push(undefined);
      continue;
    }
    const ret = await retentionOf(r, entry, t.digest, policy);
    retention.push(ret);
    if (ret.state === 'permanent')
      add('PURGE_PERMANENT', `entry ${t.seq} is kept permanently (${ret.retentionClass})`, [t.seq], i);
    else if (ret.state === 'pending')
      add('PURGE_RETENTION_UNKNOWN', `entry ${t.seq} has no expiry yet (${ret.pendingReason})`, [t.seq], i);
    else if (at < ret.expiresAt!)
      add(
        'PURGE_BEFORE_EXPIRY',
        `entry ${t.seq} (${ret.retentionClass}) is retained until ${new Date(ret.expiresAt!).toISOString()}`,
        [t.seq],
        i,
      );
    else if (t.expiresAt !== undefined && t.expiresAt !== ret.expiresAt)
      add(
        'PURGE_RULE_MISMATCH',
        `entry ${t.seq}: cited expiry ${t.expiresAt} is not the computed ${ret.expiresAt}`,
        [t.seq],
        i,
      );
    const holds = await holdsOn(r, entry);
    if (holds.length)
      add(
        'PURGE_UNDER_HOLD',
        `entry ${t.seq} is under legal hold (seq ${holds.join(', ')})`,
        [t.seq, ...holds],
        i,
      );
    const hex = toHex(t.digest);
    const others = (await r.lookup(CONTENT_INDEX, hex)).filter((s) => !targetKeys.has(`${s}:${hex}`));
    const users = [];
    for (const s of others) if ((await r.get(s)).kind !== RET.purge) users.push(s);
    if (users.length)
      add(
        'PURGE_SHARED_CONTENT',
        `the content of entry ${t.seq} is also committed by entries ${users.join(', ')}`,
        [t.seq, ...users],
        i,
      );
  }
  return { problems, retention };
}
