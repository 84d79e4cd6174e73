/** Retention (issue 7): retention table as data, expiry per record, legal holds, lawful and provable purge. */
export {
  DEFAULT_RETENTION_POLICY,
  type RetentionPolicy,
  SENSITIVITY_LABELS,
  type SensitivityLabel,
  policyHash,
  validatePolicy,
} from './policy';
export { endOfChinaYear, expiryOf } from './period';
export { RET } from './kind-names';
export {
  EvidenceMarkSchema,
  HoldReleaseSchema,
  HoldSchema,
  PURGED_INDEX,
  PurgeRequestSchema,
  PurgeSchema,
  ReclassifySchema,
  isRetentionKind,
  retentionKinds,
  retentionSpecs,
  type RetentionBodies,
  type EvidenceMarkBody,
  type HoldBody,
  type HoldReleaseBody,
  type PurgeBody,
  type PurgeRequestBody,
  type ReclassifyBody,
} from './kinds';
export { type LogReader, type Signatory, contextReader, cutReader, ledgerReader } from './reader';
export { ARCHIVE_KIND_INDEX, RECORD_SPACES } from './records';
export {
  type RecordRetention,
  type RetentionBasis,
  type RetentionState,
  holdsOn,
  retentionOf,
} from './status';
export {
  type PurgeClaim,
  type PurgeEvaluation,
  type PurgeProblem,
  type PurgeProblemCode,
  type PurgeTarget,
  evaluatePurge,
} from './purge-check';
export {
  type PurgeHooks,
  type PurgeRequestInput,
  type PurgeResult,
  Retention,
  type RetentionOptions,
  type ScheduleItem,
} from './retention';
export {
  type RetentionFindingCode,
  type RetentionReport,
  type RetentionVerifyOptions,
  verifyRetention,
} from './verify';
