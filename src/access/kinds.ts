/**
 * Access record kinds (Art. 23–26): sensitivity labels, retrieval requests (调用单: internal Art. 24, external
 * Art. 25), retrieval events and disclosure events, each granted or refused with its reason. Approvals are the
 * domain's `enf/approval.retrieval` (supervisor or head) and `enf/approval.disclosure` (head).
 */
import { z } from 'zod';
import { Digest, Id, LongText, Text, Time, Version } from '../domain/common';
import { toKindDefinition } from '../domain/definitions';
import { KIND } from '../domain/kind-names';
import { INDEX, type KindSpec, issue, requiredWhen } from '../domain/spec';
import { type KindSet, kindGuard } from '../ledger/types';
import {
  DEFAULT_RETENTION_POLICY,
  type RetentionPolicy,
  SENSITIVITY_LABELS,
  validatePolicy,
} from '../retention/policy';
import { contextReader } from '../retention/reader';
import { ARCHIVE_KIND_INDEX, scopeFields, scopeRefs } from '../retention/records';
import { evaluateDisclosure, evaluateRetrieval } from './check';
import { ACC, APPROVAL_USE_INDEX } from './kind-names';

const caseRef = { field: 'caseId', space: 'case', kinds: [KIND.case] } as const;

export const LabelSchema = z.strictObject({
  v: Version,
  labelId: Id,
  caseId: Id,
  /** Without record lists: every record of the case. */
  ...scopeFields,
  labels: z.array(z.enum(SENSITIVITY_LABELS)).min(1).max(3),
  reason: LongText.optional(),
  labelledAt: Time,
});
export type LabelBody = z.infer<typeof LabelSchema>;

export const labelSpec: KindSpec = {
  kind: ACC.label,
  roles: ['archivist', 'head', 'supervisor', 'officer'],
  schema: LabelSchema,
  defines: { space: 'label', field: 'labelId' },
  refs: [caseRef, ...scopeRefs],
  eventTime: 'labelledAt',
  indexes: () => [{ index: ARCHIVE_KIND_INDEX, key: ACC.label }],
};

export const RetrievalRequestSchema = z.strictObject({
  v: Version,
  requestId: Id,
  /** internal: agency staff (Art. 24); external: outside persons or units (Art. 25). */
  scope: z.enum(['internal', 'external']),
  /** Person id (internal) or the external requester's id (e.g. ID card or credit code). */
  requesterId: Id,
  requesterName: Text.optional(),
  organisation: Text.optional(),
  /** External requests: the staff member handling it (the approval's `requesterId`). */
  contactId: Id.optional(),
  purpose: LongText,
  caseId: Id,
  ...scopeFields,
  requestedAt: Time,
});
export type RetrievalRequestBody = z.infer<typeof RetrievalRequestSchema>;

export const retrievalRequestSpec: KindSpec = {
  kind: ACC.retrievalRequest,
  roles: ['officer', 'supervisor', 'head', 'archivist', 'inspector', 'system'],
  schema: RetrievalRequestSchema,
  defines: { space: 'retrieval-request', field: 'requestId' },
  refs: [caseRef, ...scopeRefs, { field: 'contactId', space: 'person', kinds: [KIND.person] }],
  eventTime: 'requestedAt',
  indexes: () => [{ index: ARCHIVE_KIND_INDEX, key: ACC.retrievalRequest }],
  crossCheck: (b) => [
    ...requiredWhen(b, 'organisation', b.scope === 'external', 'for an external request'),
    ...requiredWhen(b, 'contactId', b.scope === 'external', 'for an external request'),
  ],
  stateCheck: async ({ body, ctx }) => {
    if (body.scope !== 'internal' || typeof body.requesterId !== 'string') return [];
    const [p] = await ctx.lookup(INDEX.id('person'), body.requesterId);
    return p === undefined
      ? [
          issue(
            'dangling_reference',
            ['body', 'requesterId'],
            `no person ${body.requesterId} (internal request)`,
          ),
        ]
      : [];
  },
};

const Outcome = {
  outcome: z.enum(['granted', 'refused']),
  /** The refusal code (e.g. RETRIEVAL_APPROVAL_EXPIRED); required when refused. */
  reason: Text.optional(),
};

export const RetrievalSchema = z.strictObject({
  v: Version,
  requesterId: Id,
  approvalId: Id.optional(),
  /** The record's case, for case queries. */
  caseId: Id.optional(),
  target: z.strictObject({ seq: z.int().min(0), digest: Digest }),
  /** A partial retrieval: only this 1 MiB chunk of the content, as a chunk excerpt (`Access.retrieveExcerpt`). */
  chunk: z.int().min(0).optional(),
  purpose: LongText.optional(),
  ...Outcome,
  at: Time,
});
export type RetrievalBody = z.infer<typeof RetrievalSchema>;

export const DisclosureSchema = z.strictObject({
  v: Version,
  approvalId: Id.optional(),
  caseId: Id,
  ...scopeFields,
  recipient: Text,
  purpose: LongText.optional(),
  channel: Text.optional(),
  ...Outcome,
  at: Time,
});
export type DisclosureBody = z.infer<typeof DisclosureSchema>;

const reasonRequired = (b: Record<string, unknown>) =>
  requiredWhen(b, 'reason', b.outcome === 'refused', 'when the outcome is refused');

function retrievalSpec(policy: RetentionPolicy): KindSpec {
  return {
    kind: ACC.retrieval,
    roles: ['archivist', 'system'],
    schema: RetrievalSchema,
    refs: [],
    eventTime: 'at',
    indexes: (b) => [
      { index: ARCHIVE_KIND_INDEX, key: ACC.retrieval },
      ...(b.outcome === 'granted' && typeof b.approvalId === 'string'
        ? [{ index: APPROVAL_USE_INDEX, key: b.approvalId }]
        : []),
    ],
    crossCheck: reasonRequired,
    // A granted retrieval must be covered, atomically with the write; refusals are always recorded.
    stateCheck: async ({ entry, ctx }) => {
      if (!isAccessKind(entry, ACC.retrieval) || entry.body.outcome !== 'granted') return [];
      const problems = await evaluateRetrieval(contextReader(ctx), entry.body, entry.time, policy);
      return problems.map((p) => issue(p.code, ['body', 'approvalId'], p.message));
    },
  };
}

function disclosureSpec(policy: RetentionPolicy): KindSpec {
  return {
    kind: ACC.disclosure,
    roles: ['archivist', 'system', 'head'],
    schema: DisclosureSchema,
    refs: [caseRef, ...scopeRefs],
    eventTime: 'at',
    indexes: () => [{ index: ARCHIVE_KIND_INDEX, key: ACC.disclosure }],
    crossCheck: reasonRequired,
    // A granted disclosure must be covered (judged at its append time), atomically with the write.
    stateCheck: async ({ entry, ctx }) => {
      if (!isAccessKind(entry, ACC.disclosure) || entry.body.outcome !== 'granted') return [];
      const problems = await evaluateDisclosure(contextReader(ctx), entry.body, entry.time, policy);
      return problems.map((p) => issue(p.code, ['body', 'approvalId'], p.message));
    },
  };
}

export function accessSpecs(policy: RetentionPolicy = DEFAULT_RETENTION_POLICY): KindSpec[] {
  validatePolicy(policy);
  return [labelSpec, retrievalRequestSpec, retrievalSpec(policy), disclosureSpec(policy)];
}

/** Body type of each access kind, by kind name (type level; each inferred from its schema above). */
export type AccessBodies = {
  [ACC.label]: LabelBody;
  [ACC.retrievalRequest]: RetrievalRequestBody;
  [ACC.retrieval]: RetrievalBody;
  [ACC.disclosure]: DisclosureBody;
};

/** Narrows an entry to an access kind (`isAccessKind(e, ACC.retrieval)` types `e.body` as RetrievalBody). */
export const isAccessKind = kindGuard<AccessBodies>();

export function accessKinds(policy: RetentionPolicy = DEFAULT_RETENTION_POLICY): KindSet<AccessBodies> {
  return accessSpecs(policy).map((s) => toKindDefinition(s));
}
