/**
 * Retention record kinds, through the domain layer's generic kind machinery (src/domain/spec.ts): evidence marks and
 * reclassifications (archivist), legal holds and their release (archivist or head), purge requests (archivist) and
 * purge entries (archivist or system), which cite the policy, the rule and the original records. The head's approval
 * is the domain's `enf/approval.purge`.
 */
import { z } from 'zod';
import { Digest, Id, IdList, LongText, Text, Time, Version } from '../domain/common';
import { toKindDefinition } from '../domain/definitions';
import { KIND } from '../domain/kind-names';
import { type KindSpec, issue } from '../domain/spec';
import { type KindSet, kindGuard } from '../ledger/types';
import { toHex } from '../bytes';
import { RET } from './kind-names';
import { evaluatePurge } from './purge-check';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy, validatePolicy } from './policy';
import { contextReader } from './reader';
import { ARCHIVE_KIND_INDEX, scopeFields, scopeRefs } from './records';

const caseRef = { field: 'caseId', space: 'case', kinds: [KIND.case] } as const;
const kindRow = (kind: string) => () => [{ index: ARCHIVE_KIND_INDEX, key: kind }];

export const EvidenceMarkSchema = z.strictObject({
  v: Version,
  markId: Id,
  caseId: Id,
  segmentIds: IdList,
  /** true: used as evidence (kept with the case file, Art. 22(3)); false: no longer. */
  evidence: z.boolean(),
  reason: LongText,
  markedAt: Time,
});
export type EvidenceMarkBody = z.infer<typeof EvidenceMarkSchema>;

export const evidenceMarkSpec: KindSpec = {
  kind: RET.evidence,
  roles: ['archivist'],
  schema: EvidenceMarkSchema,
  defines: { space: 'retention-mark', field: 'markId' },
  refs: [caseRef, scopeRefs[1]],
  eventTime: 'markedAt',
  indexes: kindRow(RET.evidence),
};

export const ReclassifySchema = z.strictObject({
  v: Version,
  reclassificationId: Id,
  caseId: Id,
  /** New class (a class of the retention policy). Without record lists: the whole case file. */
  retentionClass: Text,
  ...scopeFields,
  reason: LongText,
  decidedAt: Time,
});
export type ReclassifyBody = z.infer<typeof ReclassifySchema>;

export const HoldSchema = z.strictObject({
  v: Version,
  holdId: Id,
  caseId: Id,
  /** Without record lists: every record of the case. */
  ...scopeFields,
  reason: LongText,
  placedAt: Time,
});
export type HoldBody = z.infer<typeof HoldSchema>;

export const holdSpec: KindSpec = {
  kind: RET.hold,
  roles: ['archivist', 'head'],
  schema: HoldSchema,
  defines: { space: 'hold', field: 'holdId' },
  refs: [caseRef, ...scopeRefs],
  eventTime: 'placedAt',
  indexes: kindRow(RET.hold),
};

export const HoldReleaseSchema = z.strictObject({
  v: Version,
  holdId: Id,
  reason: LongText,
  releasedAt: Time,
});
export type HoldReleaseBody = z.infer<typeof HoldReleaseSchema>;

export const holdReleaseSpec: KindSpec = {
  kind: RET.holdRelease,
  roles: ['archivist', 'head'],
  schema: HoldReleaseSchema,
  defines: { space: 'hold-release', field: 'holdId' },
  refs: [{ field: 'holdId', space: 'hold', kinds: [RET.hold] }],
  eventTime: 'releasedAt',
  indexes: kindRow(RET.holdRelease),
};

const Target = z.strictObject({ seq: z.int().min(0), digest: Digest });

export const PurgeRequestSchema = z.strictObject({
  v: Version,
  requestId: Id,
  caseId: Id.optional(),
  targets: z.array(Target).min(1).max(4096),
  reason: LongText,
  requestedAt: Time,
});
export type PurgeRequestBody = z.infer<typeof PurgeRequestSchema>;

export const purgeRequestSpec: KindSpec = {
  kind: RET.purgeRequest,
  roles: ['archivist'],
  schema: PurgeRequestSchema,
  defines: { space: 'purge-request', field: 'requestId' },
  refs: [caseRef],
  eventTime: 'requestedAt',
  indexes: kindRow(RET.purgeRequest),
};

export const PurgeSchema = z.strictObject({
  v: Version,
  purgeId: Id,
  requestId: Id.optional(),
  approvalId: Id.optional(),
  /** Hex SHA-256 of the retention policy applied (policyHash). */
  policy: z.string().regex(/^[0-9a-f]{64}$/),
  targets: z
    .array(
      z.strictObject({
        seq: z.int().min(0),
        digest: Digest,
        /** The rule applied: class (AV, Y, D30, D10…), what the period runs from, and the computed expiry. */
        retentionClass: Text,
        basis: z.enum(['case_file', 'av_recording', 'av_deposit']),
        from: Time,
        expiresAt: Time,
      }),
    )
    .min(1)
    .max(4096),
  purgedAt: Time,
});
export type PurgeBody = z.infer<typeof PurgeSchema>;

/** The index of purge entries by purged content digest (hex). */
export const PURGED_INDEX = 'ret/purged';

function purgeSpec(policy: RetentionPolicy): KindSpec {
  return {
    kind: RET.purge,
    roles: ['archivist', 'system'],
    schema: PurgeSchema,
    defines: { space: 'purge', field: 'purgeId' },
    refs: [
      { field: 'requestId', space: 'purge-request', kinds: [RET.purgeRequest] },
      { field: 'approvalId', space: 'approval', kinds: [KIND.approvalPurge] },
    ],
    eventTime: 'purgedAt',
    indexes: (body) => [
      { index: ARCHIVE_KIND_INDEX, key: RET.purge },
      ...(Array.isArray(body.targets)
        ? body.targets.flatMap((t: { digest?: unknown }) =>
            t && t.digest instanceof Uint8Array ? [{ index: PURGED_INDEX, key: toHex(t.digest) }] : [],
          )
        : []),
    ],
    // The same rules as `purge` and `verifyRetention`, atomically with the write (entry time = the purge's time).
    stateCheck: async ({ entry, ctx }) => {
      if (!isRetentionKind(entry, RET.purge)) return [];
      const ev = await evaluatePurge(contextReader(ctx), entry.body, entry.time, policy);
      return ev.problems.map((p) =>
        issue(p.code, p.target === undefined ? ['body'] : ['body', 'targets', p.target], p.message),
      );
    },
  };
}

function reclassifySpec(policy: RetentionPolicy): KindSpec {
  return {
    kind: RET.reclassify,
    roles: ['archivist'],
    schema: ReclassifySchema,
    defines: { space: 'reclassification', field: 'reclassificationId' },
    refs: [caseRef, ...scopeRefs],
    eventTime: 'decidedAt',
    indexes: kindRow(RET.reclassify),
    crossCheck: (body) =>
      typeof body.retentionClass === 'string' && !Object.hasOwn(policy.classes, body.retentionClass)
        ? [
            issue(
              'unknown_retention_class',
              ['retentionClass'],
              `${body.retentionClass} is not a class of ${policy.name}`,
            ),
          ]
        : [],
  };
}

export function retentionSpecs(policy: RetentionPolicy = DEFAULT_RETENTION_POLICY): KindSpec[] {
  validatePolicy(policy);
  return [
    evidenceMarkSpec,
    reclassifySpec(policy),
    holdSpec,
    holdReleaseSpec,
    purgeRequestSpec,
    purgeSpec(policy),
  ];
}

/** Kind definitions of the retention kinds under `policy`; pass them with the enforcement kinds when opening. */
/** Body type of each retention kind, by kind name (type level; each inferred from its schema above). */
export type RetentionBodies = {
  [RET.evidence]: EvidenceMarkBody;
  [RET.reclassify]: ReclassifyBody;
  [RET.hold]: HoldBody;
  [RET.holdRelease]: HoldReleaseBody;
  [RET.purgeRequest]: PurgeRequestBody;
  [RET.purge]: PurgeBody;
};

/** Narrows an entry to a retention kind (`isRetentionKind(e, RET.hold)` types `e.body` as HoldBody). */
export const isRetentionKind = kindGuard<RetentionBodies>();

export function retentionKinds(policy: RetentionPolicy = DEFAULT_RETENTION_POLICY): KindSet<RetentionBodies> {
  return retentionSpecs(policy).map((s) => toKindDefinition(s));
}
