/**
 * `enforcement-ledger/crypto`: crypto suites (ed25519-sha256, sm2-sm3), signers (in-process, pooled, in another
 * process — the shape a UKey or signature server takes), key files, and the canonical CBOR codec.
 */
// Public entry point: its export list is part of the API (api/*.api.md, test/api.test.ts). Add names on purpose.
export {
  SM2_DEFAULT_USER_ID,
  SUITE_IDS,
  createNodeSigner,
  createPooledSigner,
  createPortableSigner,
  createProcessSigner,
  createSigner,
  createStreamingHash,
  generateSeed,
  isSuiteId,
  nodePublicKey,
  nodeSm2Suite,
  nodeSuite,
  pkcs8PemToSeed,
  portablePublicKey,
  portableSm2Suite,
  portableSuite,
  portableSuiteById,
  privateKeyFromAnyPem,
  publicKeyFromSeed,
  publicKeyToSpkiPem,
  readAnyPrivateKeyFile,
  readPrivateKeyFile,
  seedToPkcs8Pem,
  sm2SignatureFromDer,
  sm2SignatureToDer,
  spkiPemToPublicKey,
  suiteById,
  writePrivateKeyFile,
} from '../crypto';
export type {
  CreateSignerOptions,
  CryptoSuite,
  HashFn,
  PooledSigner,
  PooledSignerOptions,
  ProcessSigner,
  ProcessSignerOptions,
  Signer,
  StreamingHash,
  SuiteId,
  WritePrivateKeyFileOptions,
} from '../crypto';
export {
  DEFAULT_MAX_DEPTH,
  decodeCanonical,
  encodeCanonical,
} from '../encoding';
export type {
  CborValue,
  DecodeOptions,
  EncodeOptions,
} from '../encoding';
