/**
 * The crypto layer as the browser entry (src/verify.ts) exposes it: the suite registry, both suites' portable
 * implementations and the Ed25519 key helpers. No `node:` import anywhere below.
 */
export { SUITE_IDS, isSuiteId, portableSuiteById, privateKeyFromAnyPem } from './registry';
export { portableSuite, createPortableSigner, portablePublicKey } from './portable';
export { portableSm2Suite } from './sm2-suite';
export { publicKeyFromSeed, spkiPemToPublicKey, publicKeyToSpkiPem } from './keys';
