/**
 * Whether a retrieval (Art. 24 internal, Art. 25 external) or a disclosure (Art. 26) is covered by a valid approval at a
 * point of the log: the right kind of approval, approved, for this requester and these records, inside its validity
 * window, not used up, and signed by someone holding the roles the policy and the records' sensitivity labels require.
 * Used by `retrieve`/`disclose` before appending, by the kinds' append-time checks, and by `verifyAccess`.
 */
import { isObj } from '../guards';
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
  | 'DISCLOSURE_NOT_YET_VALID'
  | 'DISCLOSURE_APPROVAL_EXPIRED'
  | 'DISCLOSURE_RECIPIENT_MISMATCH'
  | 'DISCLOSURE_PURPOSE_MISMATCH'
  | 'DISCLOSURE_OUT_OF_SCOPE'
  | 'DISCLOSURE_APPROVER_ROLE'
  | 'DISCLOSURE_USED_UP';

export interface AccessProblem {
  readonly code: AccessProblemCode;
  readonly message: string;
  readonly seqs: readonly number[];
}

/** An entry's body as a map of fields; a body that is not a map has none (read, never cast). */
const b = (e: StoredEntry): Record<string, unknown> => (isObj(e.body) ? e.body : {});

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
  readonly documentIds?: readonly string[] | undefined;
  readonly segmentIds?: readonly string[] | undefined;
  readonly dataIds?: readonly string[] | undefined;
  readonly recipient: string;
  readonly purpose?: string | undefined;
}

const LISTS = ['documentIds', 'segmentIds', 'dataIds'] as const;
const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
const list = (x: unknown) => (Array.isArray(x) ? (x as unknown[]) : undefined);

/**
 * Records the claim names outside the approval's record lists, as `list:id` (`*` for a whole-case claim); empty when
 * the approval has no lists (its free-text `scope` is for people, docs/design/retention.md "Disclosure approvals").
 */
function outOfScope(a: Record<string, unknown>, claim: DisclosureClaim): string[] {
  if (!LISTS.some((k) => list(a[k]))) return [];
  if (!LISTS.some((k) => list(claim[k]))) return ['*'];
  const out: string[] = [];
  for (const k of LISTS)
    for (const id of claim[k] ?? []) if (!list(a[k])?.includes(id)) out.push(`${k}:${id}`);
  return out;
}

/**
 * Every reason a disclosure at `at` is not covered by the head's approval (Art. 26) at this point of the log; empty
 * when it is. The approval must be approved, for this case, recipient and purpose, cover the records, be inside its
 * validity window and not used up (granted disclosures naming it before this point), and be signed by the roles the
 * policy and the records' labels require.
 */
export async function evaluateDisclosure(
  r: LogReader,
  claim: DisclosureClaim,
  at: number,
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
  const add = (code: AccessProblemCode, message: string) => out.push({ code, message, seqs });
  if (a.decision !== 'approved') add('DISCLOSURE_APPROVAL_REJECTED', `approval ${a.approvalId} was rejected`);
  if (a.caseId !== claim.caseId)
    add('DISCLOSURE_WRONG_CASE', `approval ${a.approvalId} is for case ${a.caseId}`);
  // Validity: the retrieval approvals' fields and defaults (policy.access).
  const from = num(a.validFrom) ?? num(a.decidedAt) ?? 0;
  const until = num(a.validUntil) ?? from + policy.access.defaultValidityMs;
  if (at < from)
    add('DISCLOSURE_NOT_YET_VALID', `approval ${a.approvalId} is valid from ${new Date(from).toISOString()}`);
  else if (at >= until)
    add(
      'DISCLOSURE_APPROVAL_EXPIRED',
      `approval ${a.approvalId} expired at ${new Date(until).toISOString()}`,
    );
  if (claim.recipient !== a.recipient)
    add(
      'DISCLOSURE_RECIPIENT_MISMATCH',
      `approval ${a.approvalId} is for recipient ${String(a.recipient)}, not ${String(claim.recipient)}`,
    );
  if (typeof a.purpose === 'string' && claim.purpose !== undefined && claim.purpose !== a.purpose)
    add(
      'DISCLOSURE_PURPOSE_MISMATCH',
      `approval ${a.approvalId} is for the purpose ${a.purpose}, not ${String(claim.purpose)}`,
    );
  const outside = outOfScope(a, claim);
  if (outside.length)
    add(
      'DISCLOSURE_OUT_OF_SCOPE',
      outside[0] === '*'
        ? `approval ${a.approvalId} covers listed records only, not the whole case`
        : `approval ${a.approvalId} does not cover ${outside.join(', ')}`,
    );
  // Labels of the disclosed records: every record of the case in scope.
  const labels = new Set<string>();
  const claimAll = !LISTS.some((k) => claim[k]);
  for (const s of await r.lookup(INDEX.case, claim.caseId)) {
    const e = await r.get(s);
    if (e.kind !== ACC.label) continue;
    const lb = b(e);
    const all = !LISTS.some((k) => Array.isArray(lb[k]));
    const overlap = LISTS.some(
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
  if (why) add('DISCLOSURE_APPROVER_ROLE', why);
  // Uses: granted disclosures naming the approval, found through their case (no extra index: old logs stay valid).
  const uses = new Set<number>();
  for (const c of new Set([a.caseId, claim.caseId]))
    if (typeof c === 'string')
      for (const s of await r.lookup(INDEX.case, c)) {
        const e = await r.get(s);
        if (e.kind === ACC.disclosure && b(e).outcome === 'granted' && b(e).approvalId === a.approvalId)
          uses.add(s);
      }
  const max = num(a.maxUses) ?? policy.access.defaultMaxUses;
  if (uses.size >= max)
    add('DISCLOSURE_USED_UP', `approval ${a.approvalId} allowed ${max} disclosure(s), used ${uses.size}`);
  return out;
}
