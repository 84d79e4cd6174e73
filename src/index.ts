/**
 * enforcement-ledger: a tamper-evident, signed, append-only ledger for health administrative law enforcement
 * records (卫生健康行政执法全过程记录).
 *
 * The main entry is what an embedding system needs day to day: open a ledger, record, store files, verify, check the
 * rules, retain and retrieve, export for inspectors. Everything else is under a subpath by concern — `/records`,
 * `/compliance`, `/retention`, `/content`, `/bundles`, `/witness`, `/crypto`, `/proofs`, `/testing` — and
 * `/verify` is the browser/offline verifier. Its export list is part of the API (api/*.api.md, test/api.test.ts).
 */

// The log.
export { Ledger } from './ledger/ledger';
export type { CreateOptions, Location, OpenOptions } from './ledger/ledger';
export { LevelStore } from './ledger/level-store';
export { PostgresStore } from './ledger/pg-store';
export type { PostgresStoreOptions } from './ledger/pg-store';
export type { KeyRange, LedgerStore, StateRows, StoreCommit, StorePut, StoreReader } from './ledger/store';
export type { LedgerVerifyReport, VerifyOptions } from './ledger/verify';
export type {
  AppendInput,
  AppendResult,
  BodyMap,
  ContentRef,
  Entry,
  EntryOf,
  KindDefinition,
  KindOf,
  KindSet,
  StoredEntry,
  VerifyProblem,
  VerifyReport,
} from './ledger/types';
export { kindGuard } from './ledger/types';
export type { CoreBodies } from './ledger/registry';

// Enforcement records.
export { EnforcementRecords, verifyRecords } from './domain';
export type { EnforcementRecordsOptions, RecordResult, RecordSigner, RecordsVerifyReport } from './domain';

// Files.
export { FsContentStore, verifyContent } from './content';
export type { ContentCheck, ContentStore } from './content';

// Keys and signers.
export {
  createPooledSigner,
  createSigner,
  generateSeed,
  publicKeyFromSeed,
  readPrivateKeyFile,
  writePrivateKeyFile,
} from './crypto';
export type { CryptoSuite, Signer, SuiteId } from './crypto';

// The rules.
export {
  JINCHENG_RULE_SET,
  caseViewOf,
  checkCase,
  checkLedger,
  defaultCalendar,
  renderCaseReport,
} from './compliance';
export type { CaseReport, CaseView, Finding, LedgerReport, RuleSet } from './compliance';

// Retention and access.
export { Access, verifyAccess } from './access';
export type { AccessReport } from './access';
export { DEFAULT_RETENTION_POLICY, Retention, verifyRetention } from './retention';
export type { RetentionPolicy, RetentionReport } from './retention';

// Inspection.
export { exportBundle, verifyBundle } from './bundles';
export type { BundleReport, BundleTrust, ExportOptions } from './bundles';
export { witnessLedger } from './witness';

// Errors and problem codes.
export {
  CryptoError,
  EncodingError,
  LedgerError,
  PolicyError,
  StorageError,
  ValidationError,
  WorkerError,
} from './errors';
export type {
  CryptoErrorCode,
  EncodingErrorCode,
  Issue,
  Path,
  StorageErrorCode,
  ValidationErrorCode,
  WorkerErrorCode,
} from './errors';
export { PROBLEMS, describeProblem } from './problems';
export type { CheckResult, CheckStatus, ProblemCode } from './problems';
