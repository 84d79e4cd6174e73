/** The crypto layer (Node side: everything). The browser entry imports ./registry, ./portable, ./keys and ./types directly. */

export type { CryptoSuite, HashFn, Signer, SuiteId } from './types';
export { SUITE_IDS, isSuiteId, portableSuiteById, privateKeyFromAnyPem } from './registry';
export { suiteById, createStreamingHash } from './node-registry';
export type { StreamingHash } from './node-registry';
export { nodeSuite, createNodeSigner, nodePublicKey } from './node';
export { portableSuite, createPortableSigner, portablePublicKey } from './portable';
export { nodeSm2Suite } from './node-sm2';
export { portableSm2Suite } from './sm2-suite';
export { DEFAULT_USER_ID as SM2_DEFAULT_USER_ID } from './sm2';
export { sm2SignatureFromDer, sm2SignatureToDer } from './sm2-keys';
export {
  generateSeed,
  publicKeyFromSeed,
  seedToPkcs8Pem,
  pkcs8PemToSeed,
  publicKeyToSpkiPem,
  spkiPemToPublicKey,
} from './keys';
export { writePrivateKeyFile, readPrivateKeyFile, readAnyPrivateKeyFile } from './keyfile';
export type { WritePrivateKeyFileOptions } from './keyfile';
export { createSigner } from './signer';
export type { CreateSignerOptions } from './signer';
export { createPooledSigner } from './pool-signer';
export type { PooledSigner, PooledSignerOptions } from './pool-signer';
export { createProcessSigner } from './process-signer';
export type { ProcessSigner, ProcessSignerOptions } from './process-signer';
