/** Hash function: bytes in, digest out. Pure and synchronous. */
export type HashFn = (data: Uint8Array) => Uint8Array;

/** The suites a ledger may name in its manifest (docs/FORMAT.md "Crypto suites"). */
export type SuiteId = 'ed25519-sha256' | 'sm2-sm3';

/**
 * A crypto suite names one hash and one signature algorithm and everything the formats derive from them: lengths,
 * key ids, key files and the C2SP signed-note signature types. Every hash and signature the formats define goes
 * through one suite, chosen by the ledger's manifest (see registry.ts `suiteById`).
 *
 * Each suite has two implementations that agree bit for bit on every input: a Node one (node:crypto where it is
 * correct and faster) and a portable one (no node: imports; runs in browsers). See docs/design/crypto.md.
 */
export interface CryptoSuite {
  readonly id: SuiteId;
  /** For messages and reports: `SHA-256` / `SM3`. */
  readonly hashName: string;
  /** For messages and reports: `Ed25519` / `SM2`. */
  readonly signatureName: string;
  readonly hashLength: number;
  readonly publicKeyLength: number;
  readonly privateKeyLength: number;
  readonly signatureLength: number;
  /** The suite's hash (SHA-256 / SM3). */
  readonly hash: HashFn;
  /**
   * Verifies `signature` on `message` under `publicKey` with the suite's strict rules (ed25519-strict.ts,
   * sm2-strict.ts). Throws TypeError for non-bytes and CryptoError CRYPTO_BAD_KEY / CRYPTO_BAD_SIGNATURE for wrong
   * lengths; returns false on every failed check (including a key that is not a valid curve point).
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Key id of a public key: lowercase hex of hash(publicKey), 2 × hashLength characters. */
  keyId(publicKey: Uint8Array): string;
  /** Throws TypeError / CryptoError CRYPTO_BAD_KEY unless `publicKey` has the suite's length and form. */
  checkPublicKey(publicKey: unknown, name?: string): asserts publicKey is Uint8Array;
  /**
   * C2SP signed-note signature type of checkpoint signatures (c2sp.org/signed-note "Signature types"): `01` for
   * Ed25519; `ff` followed by an identifier for suites without an assigned byte. Lowercase hex.
   */
  readonly noteSignatureType: string;
  /** C2SP signed-note signature type of witness cosignatures (`04` = c2sp.org/tlog-cosignature for Ed25519). */
  readonly cosignatureType: string;
  /** A fresh private key from `globalThis.crypto.getRandomValues`. */
  generatePrivateKey(): Uint8Array;
  publicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array;
  /** A Signer holding `privateKey` in memory. */
  createSigner(privateKey: Uint8Array): Signer;
  /** PKCS#8 `PRIVATE KEY` PEM, in the form `openssl genpkey` writes for the algorithm. */
  privateKeyToPem(privateKey: Uint8Array): string;
  /** The private key of a PKCS#8 PEM of this suite's algorithm; CryptoError CRYPTO_BAD_PEM on anything else. */
  privateKeyFromPem(pem: string): Uint8Array;
  /** SubjectPublicKeyInfo `PUBLIC KEY` PEM. */
  publicKeyToPem(publicKey: Uint8Array): string;
  /** The raw public key of an SPKI PEM of this suite's algorithm; CryptoError CRYPTO_BAD_PEM on anything else. */
  publicKeyFromPem(pem: string): Uint8Array;
}

/**
 * Something that signs. Async so that a hardware token (UKey via SKF, HSM via PKCS#11) or a signing server can stand
 * behind it (process-signer.ts shows one in another process). The message is signed as given: callers build
 * domain-separated messages themselves. The signature is in the suite's fixed encoding (docs/FORMAT.md).
 */
export interface Signer {
  readonly suite: SuiteId;
  /** Key id of `publicKey` under the suite (CryptoSuite.keyId). */
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}
