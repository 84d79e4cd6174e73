/**
 * Whether a retrieval (Art. 24 internal, Art. 25 external) or a disclosure (Art. 26) is covered by a valid approval at a
 * point of the log: the right kind of approval, approved, for this requester and these records, inside its validity
 * window, not used up, and signed by someone holding the roles the policy and the records' sensitivity labels require.
 * Used by `retrieve`/`disclose` before appending, by the kinds' append-time checks, and by `verifyAccess`.
 */
import { bytesEqual } from '../bytes';
import { KIND } from '../domain/kind-names';
import { INDEX } from '../domain/spec';
import type { StoredEntry } from '../ledger/types';
import type { RetentionPolicy } from '../retention/policy';
import type { LogReader } from '../retention/reader';
import { type RecordIdentity, identify, scopeCovers } from '../retention/records';
import { ACC, APPROVAL_USE_INDEX } from './kind-names';

export type AccessProblemCode =
  | 'RETRIEVAL_NO_APPROVAL'
  | 'RETRIEVAL_APPROVAL_REJECTED'
  | 'RETRIEVAL_WRONG_REQUESTER'
  | 'RETRIEVAL_NOT_YET_VALID'
  | 'RETRIEVAL_APPROVAL_EXPIRED'
  | 'RETRIEVAL_WRONG_RECORD'
  | 'RETRIEVAL_APPROVER_ROLE'
  | 'RETRIEVAL_USED_UP'
  | 'DISCLOSURE_NO_APPROVAL'
  | 'DISCLOSURE_APPROVAL_REJECTED'
  | 'DISCLOSURE_WRONG_CASE'
  | 'DISCLOSURE_APPROVER_ROLE';

export interface AccessProblem {
  readonly code: AccessProblemCode;
  readonly message: string;
  readonly seqs: readonly number[];
}

const b = (e: StoredEntry) => e.body as Record<string, unknown>;

async function resolveApproval(r: LogReader, id: unknown, kind: string): Promise<StoredEntry | undefined> {
  if (typeof id !== 'string') return undefined;
  const [seq] = await r.lookup(INDEX.id('approval'), id);
  if (seq === undefined) return undefined;
  const e = await r.get(seq);
  return e.kind === kind ? e : undefined;
}

/** Sensitivity labels on a record (every `acc/label` of its case covering it). */
export async function labelsOf(r: LogReader, rec: RecordIdentity): Promise<string[]> {
  if (!rec.caseId) return [];
  const out = new Set<string>();
  for (const s of await r.lookup(INDEX.case, rec.caseId)) {
    const e = await r.get(s);
    if (e.kind === ACC.label && scopeCovers(b(e), rec)) for (const l of b(e).labels as string[]) out.add(l);
  }
  return [...out].sort();
}

/** Role sets the approver must meet (one role of each), with the reason of each set. */
function requiredRoleSets(
  policy: RetentionPolicy,
  base: readonly string[],
  baseWhy: string,
  labels: readonly string[],
) {
  const sets: Array<{ roles: readonly string[]; why: string }> = [{ roles: base, why: baseWhy }];
  for (const l of labels) {
    const roles = policy.access.labelApproverRoles[l];
    if (roles) sets.push({ roles, why: `label ${l}` });
  }
  return sets;
}

async function roleProblem(
  r: LogReader,
  approval: StoredEntry,
  sets: ReturnType<typeof requiredRoleSets>,
): Promise<string | undefined> {
  const who = await r.signatory(approval.signer);
  for (const s of sets)
    if (!who || !s.roles.some((x) => who.roles.includes(x)))
      return `approver ${who?.principal ?? approval.signer.slice(0, 16)} holds none of ${s.roles.join(', ')} (${s.why})`;
  return undefined;
}

export interface RetrievalClaim {
  readonly approvalId?: string | undefined;
  readonly requesterId: string;
  readonly target: { readonly seq: number; readonly digest: Uint8Array };
}

/** Every reason the retrieval is not covered at `at`; empty when it is. */
export async function evaluateRetrieval(
  r: LogReader,
  claim: RetrievalClaim,
  at: number,
  policy: RetentionPolicy,
): Promise<AccessProblem[]> {
  const out: AccessProblem[] = [];
  const add = (code: AccessProblemCode, message: string, seqs: number[] = []) =>
    out.push({ code, message, seqs });
  const approval = await resolveApproval(r, claim.approvalId, KIND.approvalRetrieval);
  if (!approval) {
    add('RETRIEVAL_NO_APPROVAL', `no retrieval approval ${claim.approvalId ?? '(none given)'}`);
    return out;
  }
  const a = b(approval);
  const seqs = [approval.seq];
  if (a.decision !== 'approved')
    add('RETRIEVAL_APPROVAL_REJECTED', `approval ${a.approvalId} was rejected`, seqs);
  const from = (a.validFrom ?? a.decidedAt) as number;
  const until = (a.validUntil as number | undefined) ?? from + policy.access.defaultValidityMs;
  if (at < from)
    add(
      'RETRIEVAL_NOT_YET_VALID',
      `approval ${a.approvalId} is valid from ${new Date(from).toISOString()}`,
      seqs,
    );
  else if (at >= until)
    add(
      'RETRIEVAL_APPROVAL_EXPIRED',
      `approval ${a.approvalId} expired at ${new Date(until).toISOString()}`,
      seqs,
    );

  // Scope: the request the approval names, else the approval's case.
  let scope: Record<string, unknown> | undefined =
    typeof a.caseId === 'string' ? { caseId: a.caseId } : undefined;
  let kind: 'internal' | 'external' = 'internal';
  // Who may use the approval: its requester, or the requester of the request it approves.
  let requester: unknown = a.requesterId;
  if (typeof a.requestId === 'string') {
    const [rs] = await r.lookup(INDEX.id('retrieval-request'), a.requestId);
    const req = rs === undefined ? undefined : await r.get(rs);
    if (!req || req.kind !== ACC.retrievalRequest) scope = undefined;
    else {
      const q = b(req);
      seqs.push(req.seq);
      kind = q.scope === 'external' ? 'external' : 'internal';
      // External: the approval names the staff contact; the external requester uses it.
      const named = kind === 'external' ? q.contactId : q.requesterId;
      if (named !== a.requesterId)
        add(
          'RETRIEVAL_WRONG_REQUESTER',
          `request ${a.requestId} is by ${String(named)}, approval names ${a.requesterId}`,
          seqs,
        );
      requester = q.requesterId;
      scope = typeof a.caseId === 'string' && a.caseId !== q.caseId ? undefined : q;
    }
  }
  if (requester !== claim.requesterId)
    add(
      'RETRIEVAL_WRONG_REQUESTER',
      `approval ${a.approvalId} is for ${String(requester)}, not ${claim.requesterId}`,
      seqs,
    );
  const entry =
    claim.target.seq >= 0 && claim.target.seq < r.size ? await r.get(claim.target.seq) : undefined;
  const rec = entry ? identify(entry) : undefined;
  if (
    !entry ||
    !rec ||
    !entry.content.some((c) => bytesEqual(c.digest, claim.target.digest)) ||
    !scope ||
    !scopeCovers(scope, rec)
  )
    add('RETRIEVAL_WRONG_RECORD', `approval ${a.approvalId} does not cover entry ${claim.target.seq}`, [
      ...seqs,
      claim.target.seq,
    ]);
  const labels = rec ? await labelsOf(r, rec) : [];
  const base =
    kind === 'external' ? policy.access.externalApproverRoles : policy.access.internalApproverRoles;
  const why = await roleProblem(r, approval, requiredRoleSets(policy, base, `${kind} retrieval`, labels));
  if (why) add('RETRIEVAL_APPROVER_ROLE', why, seqs);
  const uses = (await r.lookup(APPROVAL_USE_INDEX, String(a.approvalId))).length;
  const max = (a.maxUses as number | undefined) ?? policy.access.defaultMaxUses;
  if (uses >= max)
    add('RETRIEVAL_USED_UP', `approval ${a.approvalId} allowed ${max} retrieval(s), used ${uses}`, seqs);
  return out;
}

export interface DisclosureClaim {
  readonly approvalId?: string | undefined;
  readonly caseId: string;
  readonly documentIds?: readonly string[];
  readonly segmentIds?: readonly string[];
  readonly dataIds?: readonly string[];
}

/** Every reason a disclosure is not approved by the head (Art. 26) at this point; empty when it is. */
export async function evaluateDisclosure(
  r: LogReader,
  claim: DisclosureClaim,
  policy: RetentionPolicy,
): Promise<AccessProblem[]> {
  const out: AccessProblem[] = [];
  const approval = await resolveApproval(r, claim.approvalId, KIND.approvalDisclosure);
  if (!approval)
    return [
      {
        code: 'DISCLOSURE_NO_APPROVAL',
        message: `no disclosure approval ${claim.approvalId ?? '(none given)'}`,
        seqs: [],
      },
    ];
  const a = b(approval);
  const seqs = [approval.seq];
  if (a.decision !== 'approved')
    out.push({
      code: 'DISCLOSURE_APPROVAL_REJECTED',
      message: `approval ${a.approvalId} was rejected`,
      seqs,
    });
  if (a.caseId !== claim.caseId)
    out.push({
      code: 'DISCLOSURE_WRONG_CASE',
      message: `approval ${a.approvalId} is for case ${a.caseId}`,
      seqs,
    });
  // Labels of the disclosed records: every record of the case in scope.
  const labels = new Set<string>();
  for (const s of await r.lookup(INDEX.case, claim.caseId)) {
    const e = await r.get(s);
    if (e.kind !== ACC.label) continue;
    const lb = b(e);
    const all = !['documentIds', 'segmentIds', 'dataIds'].some((k) => Array.isArray(lb[k]));
    const claimAll = !claim.documentIds && !claim.segmentIds && !claim.dataIds;
    const overlap = (['documentIds', 'segmentIds', 'dataIds'] as const).some(
      (k) =>
        Array.isArray(lb[k]) && (claimAll || (claim[k] ?? []).some((id) => (lb[k] as string[]).includes(id))),
    );
    if (all || overlap) for (const l of lb.labels as string[]) labels.add(l);
  }
  const why = await roleProblem(
    r,
    approval,
    requiredRoleSets(policy, policy.access.disclosureApproverRoles, 'disclosure', [...labels].sort()),
  );
  if (why) out.push({ code: 'DISCLOSURE_APPROVER_ROLE', message: why, seqs });
  return out;
}
