/**
 * Enforcement record kinds (health administrative law enforcement, whole-process recording) over the generic ledger.
 * Bodies are versioned (`v: 1`) zod schemas; kinds are `enf/<name>`; each declares the signer roles it needs.
 */
export {
  ACTION_TYPES,
  ACTION_TYPE_INFO,
  AV_AS_REQUIRED_ACTIONS,
  AV_MANDATORY_ACTIONS,
  type ActionType,
  type ActionTypeInfo,
  type AvRequirement,
} from './action-types';
export { BODY_VERSION, PERSON_ROLES, type PersonRole, ROLES, type Role } from './common';
export {
  DOCUMENT_TYPES,
  type DocumentRegistry,
  type DocumentType,
  createDocumentRegistry,
  defaultDocumentRegistry,
} from './document-types';
export { APPROVAL_KIND, APPROVAL_KINDS, type ApprovalSubject, KIND, type KindName } from './kind-names';
export { ActionEndSchema, ActionStartSchema, type ActionEndBody, type ActionStartBody } from './kinds/action';
export {
  AvExceptionApprovalSchema,
  COERCIVE_MEASURES,
  CoerciveMeasureApprovalSchema,
  DisclosureApprovalSchema,
  LateDepositApprovalSchema,
  PurgeApprovalSchema,
  RetrievalApprovalSchema,
  type AvExceptionApprovalBody,
  type CoerciveMeasureApprovalBody,
  type DisclosureApprovalBody,
  type LateDepositApprovalBody,
  type PurgeApprovalBody,
  type RetrievalApprovalBody,
} from './kinds/approval';
export {
  EXCEPTION_REASONS,
  KEY_MOMENTS,
  type KeyMoment,
  ExceptionSchema,
  ObstructionSchema,
  SegmentSchema,
  type ExceptionBody,
  type ExceptionReason,
  type ObstructionBody,
  type SegmentBody,
} from './kinds/av';
export {
  CaseArchiveSchema,
  CaseCloseSchema,
  CaseSchema,
  MATTER_TYPES,
  RETENTION_CLASSES,
  type CaseArchiveBody,
  type CaseBody,
  type CaseCloseBody,
  type MatterType,
  type RetentionClass,
} from './kinds/case';
export { DataSchema, type DataBody } from './kinds/data';
export { DepositSchema, type DepositBody } from './kinds/deposit';
export { DocumentSchema, PARTY_SIGNATURE, type DocumentBody } from './kinds/document';
export {
  AgencySchema,
  DEVICE_TYPES,
  DeviceSchema,
  PersonSchema,
  type AgencyBody,
  type DeviceBody,
  type DeviceType,
  type PersonBody,
} from './kinds/organisation';
export {
  DEVICE_STATUSES,
  DeviceCustodySchema,
  DeviceStatusSchema,
  type DeviceCustodyBody,
  type DeviceStatus,
  type DeviceStatusBody,
} from './kinds/device-log';
export { SelfCheckSchema, type SelfCheckBody } from './kinds/self-check';
export { ALL_SPECS, SPEC_BY_KIND } from './kinds';
export { type KindsOptions, enforcementKinds, validateBody } from './definitions';
export {
  EnforcementRecords,
  type ApprovalBodies,
  type EnforcementRecord,
  type EnforcementRecordsOptions,
  type Input,
  type RecordBodies,
  type RecordOf,
  type RecordResult,
  type RecordSigner,
} from './records';
export {
  PENALTY_CASE_DEFECTS,
  type PenaltyCaseDefect,
  type PenaltyCaseOptions,
  type PenaltyCaseResult,
  buildPenaltyCase,
  contentRefOf,
  cst,
  exampleSigner,
} from './example-penalty-case';
export { INDEX, type IdSpace, type KindSpec, type RefSpec } from './spec';
export {
  type RecordProblem,
  type RecordsLog,
  type RecordsVerifyReport,
  type VerifyRecordsOptions,
  verifyRecords,
} from './verify';
export { isRecordKind, type BodyByKind, type BodyOf, type EnforcementRecordBody } from './bodies';
