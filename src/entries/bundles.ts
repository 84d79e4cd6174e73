/**
 * `enforcement-ledger/bundles`: proof bundles for inspectors — export a case or a reproducible sample with its
 * proofs and checkpoint, and verify one offline.
 */
// Public entry point: its export list is part of the API (api/*.api.md, test/api.test.ts). Add names on purpose.
export {
  BUNDLE_CHECKS,
  BUNDLE_CONTEXT,
  BUNDLE_MEDIA_TYPE,
  BUNDLE_VERSION,
  MAX_NONCE_BYTES,
  MIN_NONCE_BYTES,
  SAMPLE_CONTEXT,
  bundleSigningMessage,
  bundleToJson,
  caseIdsAt,
  contentRefOfBytes,
  decodeBundle,
  encodeBundle,
  exportBundle,
  sampleIndices,
  sampleSeed,
  selectSample,
  toJsonValue,
  verifyBundle,
} from '../bundles';
export type {
  BundleCase,
  BundleCaseResult,
  BundleCheck,
  BundleEntry,
  BundlePayload,
  BundleProblem,
  BundleReport,
  BundleSample,
  BundleTrust,
  CheckStatus,
  DecodedBundle,
  ExportOptions,
  SampleSelection,
} from '../bundles';
