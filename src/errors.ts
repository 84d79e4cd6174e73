/**
 * Error classes. Codes are API; messages are not. Four families are kept apart on purpose:
 * - EncodingError: bytes that are not the canonical encoding of a supported value;
 * - CryptoError: keys, signatures, suites (a malformed input; a failed check is a `false` or a problem, not a throw);
 * - ValidationError: a record or argument that fails its schema, with every issue and its path;
 * - StorageError: the database or the file system failed, is locked, or holds something unexpected;
 * - PolicyError: a well-formed request the rules refuse (role missing, retrieval without approval, purge before expiry);
 * - WorkerError: a helper thread died or threw while holding work; the operation that used it wrote nothing.
 * Programming misuse (wrong argument type) throws the built-in TypeError / RangeError naming the argument.
 */

export type EncodingErrorCode =
  | 'ENCODING_MALFORMED'
  | 'ENCODING_TRAILING_BYTES'
  | 'ENCODING_NON_CANONICAL'
  | 'ENCODING_NON_SHORTEST_INT'
  | 'ENCODING_INDEFINITE_LENGTH'
  | 'ENCODING_UNSORTED_KEYS'
  | 'ENCODING_DUPLICATE_KEY'
  | 'ENCODING_FLOAT'
  | 'ENCODING_TAG'
  | 'ENCODING_UNSUPPORTED_TYPE'
  | 'ENCODING_INTEGER_RANGE'
  | 'ENCODING_TOO_DEEP'
  | 'ENCODING_BAD_TEXT'
  | 'ENCODING_BAD_HEX';

export type CryptoErrorCode =
  | 'CRYPTO_UNKNOWN_SUITE'
  | 'CRYPTO_BAD_KEY'
  | 'CRYPTO_BAD_SIGNATURE'
  | 'CRYPTO_BAD_PEM'
  | 'CRYPTO_SIGNER_FAILED'
  | 'CRYPTO_BAD_NOTE'
  | 'CRYPTO_BAD_PROOF';

export type StorageErrorCode =
  | 'STORAGE_LOCKED'
  | 'STORAGE_NOT_FOUND'
  | 'STORAGE_EXISTS'
  | 'STORAGE_IO'
  | 'STORAGE_CORRUPT'
  | 'STORAGE_CLOSED'
  | 'STORAGE_CONTENT_MISSING'
  | 'STORAGE_VERSION';

export type ValidationErrorCode = 'VALIDATION_FAILED';

export type WorkerErrorCode = 'WORKER_FAILED';

export type Path = ReadonlyArray<string | number>;

export interface Issue {
  /** Stable machine code, e.g. `required`, `invalid_type`, `unknown_document_type`, `dangling_reference`. */
  readonly code: string;
  readonly path: Path;
  readonly message: string;
}

export abstract class LedgerError extends Error {
  abstract readonly code: string;
  override readonly cause?: unknown;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export class EncodingError extends LedgerError {
  readonly code: EncodingErrorCode;
  /** Byte offset in the input where the problem was found, when known. */
  readonly offset: number | undefined;
  constructor(code: EncodingErrorCode, message: string, offset?: number, options?: { cause?: unknown }) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`, options);
    this.code = code;
    this.offset = offset;
  }
}

export class CryptoError extends LedgerError {
  readonly code: CryptoErrorCode;
  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class StorageError extends LedgerError {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A record or argument that failed validation. Lists every issue, not just the first. */
export class ValidationError extends LedgerError {
  readonly code: ValidationErrorCode = 'VALIDATION_FAILED';
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], message?: string) {
    super(
      message ??
        `validation failed: ${issues
          .slice(0, 5)
          .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.code}`)
          .join('; ')}${issues.length > 5 ? `; and ${issues.length - 5} more` : ''}`,
    );
    this.issues = issues;
  }
}

/** A well-formed request that the ledger's rules refuse (roles, approvals, retention, holds). */
export class PolicyError extends LedgerError {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }

  /** Every reason of the refusal (`details.problems`), as code and message; empty when none was given. */
  get reasons(): Array<{ code: string; message: string }> {
    const list = this.details?.problems;
    if (!Array.isArray(list)) return [];
    return list.flatMap((p: unknown) => {
      const x = p as { code?: unknown; message?: unknown } | null;
      return typeof x?.code === 'string' ? [{ code: x.code, message: String(x.message ?? '') }] : [];
    });
  }

  /** The seq of the refusal the library recorded in the log (`details.eventSeq`), when it recorded one. */
  get eventSeq(): number | undefined {
    const s = this.details?.eventSeq;
    return typeof s === 'number' && Number.isSafeInteger(s) ? s : undefined;
  }
}

/**
 * A worker thread (chunk hashing, signature checks, pooled signing) threw, exited or was terminated while it held a
 * job. The operation that used it failed before writing anything; trying again starts a fresh worker. (A worker that
 * cannot start at all is not an error: that work runs on the calling thread.)
 */
export class WorkerError extends LedgerError {
  readonly code: WorkerErrorCode;
  constructor(code: WorkerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
