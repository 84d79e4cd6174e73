/** The crypto layer (Node side: everything). The browser entry imports ./portable, ./keys and ./types directly. */

export type { CryptoSuite, HashFn, Signer, SuiteId } from './types';
export { nodeSuite, createNodeSigner, nodePublicKey } from './node';
export { portableSuite, createPortableSigner, portablePublicKey } from './portable';
export {
  generateSeed,
  publicKeyFromSeed,
  seedToPkcs8Pem,
  pkcs8PemToSeed,
  publicKeyToSpkiPem,
  spkiPemToPublicKey,
} from './keys';
export { writePrivateKeyFile, readPrivateKeyFile } from './keyfile';
export type { WritePrivateKeyFileOptions } from './keyfile';
export { createSigner } from './signer';
export type { CreateSignerOptions } from './signer';
export { createPooledSigner } from './pool-signer';
export type { PooledSigner, PooledSignerOptions } from './pool-signer';
