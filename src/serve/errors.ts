/**
 * The HTTP error format (docs/SERVE.md "Errors"): every refusal is a JSON object
 *
 *   { "error": { "code": "VALIDATION_FAILED", "message": "…", "issues": [{ "code", "path", "message" }],
 *                "problems": [{ "code", "message" }], "eventSeq": 17 } }
 *
 * with the library's stable codes (src/errors.ts, docs/PROBLEMS.md) and the server's own (AUTH_*, FORBIDDEN_*,
 * NOT_FOUND, BODY_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, SHUTTING_DOWN, INTERNAL). `issues` carries the path of every bad
 * field; `eventSeq` a refusal the ledger recorded (a refused retrieval is logged, then refused).
 */
import {
  CryptoError,
  EncodingError,
  LedgerError,
  PolicyError,
  StorageError,
  ValidationError,
  WorkerError,
} from '../errors';

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly issues?: ReadonlyArray<{ code: string; path: ReadonlyArray<string | number>; message: string }>;
  readonly problems?: ReadonlyArray<{ code: string; message: string }>;
  readonly eventSeq?: number;
}

/** An error the server answers with `status` and `body`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    /** Extra response headers (WWW-Authenticate on 401). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    this.name = 'HttpError';
  }
}

export const httpError = (status: number, code: string, message: string): HttpError =>
  new HttpError(status, { code, message });

const STORAGE_STATUS: Record<string, number> = {
  STORAGE_NOT_FOUND: 404,
  STORAGE_CONTENT_MISSING: 404,
  STORAGE_LOCKED: 503,
  STORAGE_CLOSED: 503,
};

/** Maps any thrown value to a status and an error body; nothing of a stack is sent. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof ValidationError)
    return new HttpError(400, {
      code: err.code,
      message: err.message,
      issues: err.issues.map((i) => ({ code: i.code, path: [...i.path], message: i.message })),
    });
  // A signer of the key store failed (a signature server or USB key that is gone, refused, or gave a signature that
  // does not verify): the fault is upstream of this server, not in the request. Nothing was written.
  if (err instanceof CryptoError && err.code === 'CRYPTO_SIGNER_FAILED')
    return new HttpError(502, { code: err.code, message: err.message });
  if (err instanceof EncodingError || err instanceof CryptoError)
    return new HttpError(400, { code: err.code, message: err.message });
  if (err instanceof PolicyError) {
    const problems = err.reasons;
    const eventSeq = err.eventSeq;
    return new HttpError(403, {
      code: err.code,
      message: err.message,
      ...(problems.length ? { problems } : {}),
      ...(eventSeq === undefined ? {} : { eventSeq }),
    });
  }
  if (err instanceof StorageError)
    return new HttpError(STORAGE_STATUS[err.code] ?? 500, { code: err.code, message: err.message });
  if (err instanceof WorkerError) return new HttpError(503, { code: err.code, message: err.message });
  if (err instanceof LedgerError) return new HttpError(400, { code: err.code, message: err.message });
  // A RangeError or TypeError is an argument the library refused (a seq beyond the log, a missing field it checks).
  if (err instanceof RangeError || err instanceof TypeError)
    return new HttpError(400, { code: 'BAD_REQUEST', message: err.message });
  return new HttpError(500, { code: 'INTERNAL', message: 'internal error (see the server log)' });
}
