/** Proof bundles (issue 8): format, reproducible sampling, export from a ledger, offline verification. */
export {
  BUNDLE_CONTEXT,
  BUNDLE_MEDIA_TYPE,
  BUNDLE_VERSION,
  bundleSigningMessage,
  decodeBundle,
  encodeBundle,
  encodePayload,
} from './format';
export type { BundleCase, BundleEntry, BundlePayload, BundleSample, DecodedBundle } from './format';
export { bundleToJson, toJsonValue } from './json';
export {
  MAX_NONCE_BYTES,
  MIN_NONCE_BYTES,
  SAMPLE_CONTEXT,
  sampleIndices,
  sampleSeed,
  selectSample,
} from './sample';
export type { SampleSelection } from './sample';
export { buildBundle } from './build';
export type { BundleParts } from './build';
export { caseIdsAt, exportBundle } from './export';
export type { ExportOptions } from './export';
export { contentRefOfBytes } from './content-ref';
export { replayEntries } from './replay';
export type { ReplayEntry, ReplayProblem, ReplayResult } from './replay';
export { BUNDLE_CHECKS, verifyBundle } from './verify';
export type {
  BundleCaseResult,
  BundleCheck,
  BundleProblem,
  BundleReport,
  BundleTrust,
  CheckStatus,
} from './verify';
