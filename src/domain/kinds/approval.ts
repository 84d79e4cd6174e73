/**
 * Approvals, one kind per subject so that the approver's role is checkable from the log alone: coercive measure
 * (head, Art. 16), AV exception (head, Art. 18), late deposit (supervisor or head, Art. 22(1)), retrieval
 * (supervisor or head, Art. 24), disclosure (head, Art. 26), purge (head, Art. 27). The signer is the approver.
 * Approvals of the case's conduct are part of its file (`caseFile`); retrieval, disclosure and purge approvals act on
 * the archive and stay open after it.
 */
import { z } from 'zod';
import { bytesEqual } from '../../bytes';
import { Digest, Id, IdList, LongText, Text, Time, Version } from '../common';
import { KIND } from '../kind-names';
import { type KindSpec, endAfterStart, issue } from '../spec';

const base = {
  v: Version,
  approvalId: Id,
  decision: z.enum(['approved', 'rejected']),
  decidedAt: Time,
  opinion: LongText.optional(),
  /** The approval document (审批记录, 调用单, 延期移交批准…), when recorded as one. */
  documentId: Id.optional(),
};

const common = (kind: string, roles: string[]) => ({
  kind,
  roles,
  defines: { space: 'approval', field: 'approvalId' } as const,
  eventTime: 'decidedAt',
});
const caseRef = { field: 'caseId', space: 'case', kinds: [KIND.case] } as const;
const docRef = { field: 'documentId', space: 'document', kinds: [KIND.document], sameCase: true } as const;

export const COERCIVE_MEASURES = ['seal_premises', 'seize_property', 'admin_control', 'other'] as const;

export const CoerciveMeasureApprovalSchema = z.strictObject({
  ...base,
  caseId: Id,
  measure: z.enum(COERCIVE_MEASURES),
  /** The on-site action carrying out the measure, when already recorded. */
  actionId: Id.optional(),
});
export type CoerciveMeasureApprovalBody = z.infer<typeof CoerciveMeasureApprovalSchema>;
export const coerciveMeasureApprovalSpec: KindSpec = {
  ...common(KIND.approvalCoerciveMeasure, ['head']),
  caseFile: true,
  schema: CoerciveMeasureApprovalSchema,
  refs: [caseRef, { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true }, docRef],
};

export const AvExceptionApprovalSchema = z.strictObject({ ...base, caseId: Id, exceptionId: Id });
export type AvExceptionApprovalBody = z.infer<typeof AvExceptionApprovalSchema>;
export const avExceptionApprovalSpec: KindSpec = {
  ...common(KIND.approvalAvException, ['head']),
  caseFile: true,
  schema: AvExceptionApprovalSchema,
  refs: [
    caseRef,
    { field: 'exceptionId', space: 'exception', kinds: [KIND.exception], sameCase: true },
    docRef,
  ],
};

export const LateDepositApprovalSchema = z.strictObject({
  ...base,
  caseId: Id,
  actionId: Id,
  reason: LongText,
  /** New deadline granted. */
  until: Time.optional(),
});
export type LateDepositApprovalBody = z.infer<typeof LateDepositApprovalSchema>;
export const lateDepositApprovalSpec: KindSpec = {
  ...common(KIND.approvalLateDeposit, ['supervisor', 'head']),
  caseFile: true,
  schema: LateDepositApprovalSchema,
  refs: [caseRef, { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true }, docRef],
};

export const RetrievalApprovalSchema = z.strictObject({
  ...base,
  /** Retrieval slip number (调用单编号). */
  slipNo: Text,
  requesterId: Id,
  purpose: LongText,
  /** The case whose records may be retrieved; omitted for a slip that names records otherwise. */
  caseId: Id.optional(),
  validUntil: Time.optional(),
  /** The retrieval request approved (src/access); its records, requester and scope bound the approval. */
  requestId: Id.optional(),
  /** Start of the validity window (default: decidedAt). */
  validFrom: Time.optional(),
  /** How many retrievals the approval allows (default: the access policy's). */
  maxUses: z.int().min(1).max(1000).optional(),
});
export type RetrievalApprovalBody = z.infer<typeof RetrievalApprovalSchema>;
export const retrievalApprovalSpec: KindSpec = {
  ...common(KIND.approvalRetrieval, ['supervisor', 'head']),
  schema: RetrievalApprovalSchema,
  refs: [caseRef, { field: 'requesterId', space: 'person', kinds: [KIND.person] }, docRef],
};

export const DisclosureApprovalSchema = z.strictObject({
  ...base,
  caseId: Id,
  recipient: Text,
  purpose: LongText,
  /** Free text describing what may be provided (not machine-checked; the id lists below are). */
  scope: LongText.optional(),
  /** Start of the validity window (default: decidedAt). */
  validFrom: Time.optional(),
  /** End of the validity window, exclusive (default: validFrom + the access policy's window). */
  validUntil: Time.optional(),
  /** How many disclosures the approval allows (default: the access policy's, one). */
  maxUses: z.int().min(1).max(1000).optional(),
  /** When present, the only records of the case that may be disclosed under this approval. */
  documentIds: IdList.optional(),
  segmentIds: IdList.optional(),
  dataIds: IdList.optional(),
});
export type DisclosureApprovalBody = z.infer<typeof DisclosureApprovalSchema>;
export const disclosureApprovalSpec: KindSpec = {
  ...common(KIND.approvalDisclosure, ['head']),
  schema: DisclosureApprovalSchema,
  refs: [
    caseRef,
    docRef,
    { field: 'documentIds', space: 'document', kinds: [KIND.document], sameCase: true },
    { field: 'segmentIds', space: 'segment', kinds: [KIND.segment], sameCase: true },
    { field: 'dataIds', space: 'data', kinds: [KIND.data], sameCase: true },
  ],
  crossCheck: (body) => [
    ...endAfterStart(body, 'validFrom', 'validUntil'),
    ...endAfterStart(body, 'decidedAt', 'validUntil'),
  ],
};

export const PurgeApprovalSchema = z.strictObject({
  ...base,
  caseId: Id.optional(),
  /** Content to purge: the entry that committed it and the file's digest. */
  targets: z
    .array(z.strictObject({ seq: z.int().min(0), digest: Digest }))
    .min(1)
    .max(4096),
  reason: LongText,
});
export type PurgeApprovalBody = z.infer<typeof PurgeApprovalSchema>;
export const purgeApprovalSpec: KindSpec = {
  ...common(KIND.approvalPurge, ['head']),
  schema: PurgeApprovalSchema,
  refs: [caseRef, docRef],
  stateCheck: async ({ body, ctx }) => {
    if (!Array.isArray(body.targets)) return [];
    const out = [];
    for (const [i, t] of body.targets.entries()) {
      if (!t || typeof t.seq !== 'number' || !(t.digest instanceof Uint8Array)) continue;
      const path = ['body', 'targets', i];
      if (!Number.isSafeInteger(t.seq) || t.seq >= ctx.size) {
        out.push(issue('dangling_reference', [...path, 'seq'], `no entry ${t.seq}`));
        continue;
      }
      const e = await ctx.get(t.seq);
      if (!e.content.some((c) => bytesEqual(c.digest, t.digest)))
        out.push(
          issue(
            'dangling_reference',
            [...path, 'digest'],
            `entry ${t.seq} commits no content with this digest`,
          ),
        );
    }
    return out;
  },
};
