/**
 * `enforcement-ledger/verify`: verification only, for browsers and offline inspectors. Imports no `node:` module and
 * no storage: proofs, checkpoints, entries, keys and roles, compliance rules and (with the bundles module) proof
 * bundles are checked from bytes alone, with the portable crypto suites (`portableSuiteById`: Ed25519/SHA-256 on
 * @noble, SM2/SM3 on sm-crypto-v2), the one a ledger's or bundle's manifest names.
 */
export * from './errors';
export { PROBLEMS, PROBLEM_CODES, describeProblem, isProblemCode } from './problems';
export type { CheckResult, ProblemArea, ProblemCode, ProblemInfo } from './problems';
export { toHex, fromHex, toBase64, fromBase64, bytesEqual, utf8, fromUtf8 } from './bytes';
export type { CryptoSuite, HashFn, Signer, SuiteId } from './crypto/types';
export {
  SUITE_IDS,
  isSuiteId,
  portableSuiteById,
  privateKeyFromAnyPem,
  portableSuite,
  portableSm2Suite,
  createPortableSigner,
  portablePublicKey,
  publicKeyFromSeed,
  spkiPemToPublicKey,
  publicKeyToSpkiPem,
} from './crypto/browser';
export { decodeCanonical, encodeCanonical } from './encoding/cbor';
export {
  hashLeaf,
  hashChildren,
  rootFromLeafHashes,
  verifyInclusion,
  verifyConsistency,
  rootFromInclusionProof,
} from './merkle';
export {
  parseNote,
  verifyNote,
  parseCheckpoint,
  formatCheckpoint,
  verifyCheckpoint,
  verifyCosignature,
  parseVerifierKey,
  formatVerifierKey,
  noteKey,
  noteKeyId,
} from './checkpoint';
export type { Checkpoint, VerifiedCheckpoint, NoteKey, NoteKeyInput } from './checkpoint';
export {
  FORMAT_VERSION,
  ENTRY_CONTEXT,
  MANIFEST_KIND,
  decodeSignedEntry,
  signingMessage,
  encodeEntry,
} from './ledger/format';
export { ADMIN_ROLE, SUITE_ID } from './ledger/registry';
export type { KeyRecord, ManifestBody } from './ledger/registry';
export { checkpointVerifier } from './ledger/checkpoint-key';
export type * from './ledger/types';
// Proof bundles and witness policy (issue 8): verification from bytes alone.
export { BUNDLE_CONTEXT, BUNDLE_MEDIA_TYPE, bundleSigningMessage, decodeBundle } from './bundles/format';
export type { BundlePayload, DecodedBundle } from './bundles/format';
export { BUNDLE_CHECKS, verifyBundle } from './bundles/verify';
export type {
  BundleCaseResult,
  BundleCheck,
  BundleProblem,
  BundleReport,
  BundleTrust,
  CheckStatus,
} from './bundles/verify';
export { bundleToJson } from './bundles/json';
export { SAMPLE_CONTEXT, sampleIndices, sampleSeed, selectSample } from './bundles/sample';
export type { SampleSelection } from './bundles/sample';
export { checkWitnessQuorum } from './witness/policy';
export { chunkProof, verifyChunkExcerpt } from './content/excerpt-format';
export type { ChunkExcerpt, ExcerptCheck, ExcerptCheckCode, ExcerptTarget } from './content/excerpt-format';
export { CHUNK_SIZE, chunkCount, chunkRange } from './content/chunk-format';
export type { ChunkRange } from './content/chunk-format';
export type { QuorumResult, WitnessPolicy } from './witness/policy';
