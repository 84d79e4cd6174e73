/** Access (issue 7, Art. 23–26): sensitivity labels, approved retrieval and disclosure, every use logged. */
export { ACC, APPROVAL_USE_INDEX } from './kind-names';
export {
  DisclosureSchema,
  LabelSchema,
  RetrievalRequestSchema,
  RetrievalSchema,
  accessKinds,
  accessSpecs,
  isAccessKind,
  type AccessBodies,
  type DisclosureBody,
  type LabelBody,
  type RetrievalBody,
  type RetrievalRequestBody,
} from './kinds';
export {
  type AccessProblem,
  type AccessProblemCode,
  type DisclosureClaim,
  type RetrievalClaim,
  evaluateDisclosure,
  evaluateRetrieval,
  labelsOf,
} from './check';
export { Access, type AccessOptions, type Retrieval, type RetrieveOptions } from './access';
export { type AccessReport, type AccessVerifyOptions, verifyAccess } from './verify';
export {
  type ArchiveBodies,
  type ArchiveKindsOptions,
  type ArchiveReport,
  archiveKinds,
  declareArchiveKinds,
  verifyArchive,
} from './archive';
