/** Hash function: bytes in, digest out. Pure and synchronous. */
export type HashFn = (data: Uint8Array) => Uint8Array;

export type SuiteId = 'ed25519-sha256';

/**
 * A crypto suite names one hash and one signature algorithm. Two implementations of `ed25519-sha256` exist and must
 * agree bit for bit: `nodeSuite` (node:crypto, fast) and `portableSuite` (@noble, runs in browsers).
 */
export interface CryptoSuite {
  readonly id: SuiteId;
  readonly hashLength: 32;
  readonly publicKeyLength: 32;
  readonly signatureLength: 64;
  /** SHA-256. */
  readonly hash: HashFn;
  /**
   * Strict RFC 8032 Ed25519 verification (no ZIP-215 leniency: S ≥ L and non-canonical encodings fail).
   * Both implementations also refuse small-order public keys and check the cofactorless equation [S]B = R + [k]A
   * (RFC 8032 §5.1.7 allows it), so that they agree on every input: see ed25519-strict.ts.
   * Throws CryptoError on malformed input (wrong key or signature length); returns false on a failed check.
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** Key id of a public key: lowercase hex of SHA-256(publicKey), 64 characters. */
  keyId(publicKey: Uint8Array): string;
}

/**
 * Something that signs. Async so that a hardware token (HSM, USB key) or a signing server can stand behind it.
 * The message is signed as given: callers build domain-separated messages themselves.
 */
export interface Signer {
  readonly suite: SuiteId;
  /** Lowercase hex SHA-256 of `publicKey` (see CryptoSuite.keyId). */
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}
