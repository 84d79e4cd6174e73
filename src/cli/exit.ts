/**
 * Exit codes and the one-line error of the command line (docs/CLI.md, "Exit codes"):
 * 0 clean, 1 problems found, 2 usage error (bad arguments, input refused), 3 I/O or storage error.
 */
import { EncodingError, LedgerError, PolicyError, StorageError, ValidationError } from '../errors';

export const EXIT = { ok: 0, problems: 1, usage: 2, io: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the command line reports as `error <code>: <message>` and exits with `exit`. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exit: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Classified {
  readonly code: string;
  readonly message: string;
  readonly exit: ExitCode;
  /** A refusal the library recorded in the log (PolicyError `details.eventSeq`). */
  readonly eventSeq?: number;
  /** Every reason of a policy refusal (PolicyError `details.problems`). */
  readonly problems?: ReadonlyArray<{ code: string; message: string }>;
  /** Every issue of a refused record or argument, with its path (ValidationError `issues`). */
  readonly issues?: ReadonlyArray<{ code: string; path: ReadonlyArray<string | number>; message: string }>;
}

/** A PolicyError's recorded refusal and reasons: one line still, the rest in --json. */
function policy(err: PolicyError): Classified {
  const eventSeq = err.eventSeq;
  const problems = err.reasons.map((p) => ({ code: p.code, message: oneLine(p.message) }));
  const more =
    problems.length > 1
      ? `; also ${problems
          .slice(1)
          .map((p) => p.code)
          .join(', ')}`
      : '';
  const logged = eventSeq === undefined ? '' : ` (refusal recorded as entry #${eventSeq})`;
  return {
    code: err.code,
    message: oneLine(`${err.message}${more}${logged}`),
    exit: EXIT.usage,
    ...(eventSeq === undefined ? {} : { eventSeq }),
    ...(problems.length ? { problems } : {}),
  };
}

const FS_CODES: Record<string, string> = {
  ENOENT: 'STORAGE_NOT_FOUND',
  ENOTDIR: 'STORAGE_NOT_FOUND',
  EISDIR: 'STORAGE_IO',
  EACCES: 'STORAGE_IO',
  EPERM: 'STORAGE_IO',
  ENOSPC: 'STORAGE_IO',
  EEXIST: 'STORAGE_EXISTS',
};

/** One line, whatever the message holds. */
export const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * Maps any thrown value to a code and an exit code. Library errors keep their stable codes: StorageError → 3;
 * EncodingError, CryptoError, ValidationError, PolicyError → 2 (the input or the request is refused: a policy refusal
 * keeps its reasons and the seq of a refusal the library recorded); a Node file
 * system error → 3; TypeError/RangeError (an argument the library refused) → 2 USAGE; anything else → 3 INTERNAL.
 */
export function classify(err: unknown): Classified {
  if (err instanceof CliError) return { code: err.code, message: oneLine(err.message), exit: err.exit };
  if (err instanceof StorageError) return { code: err.code, message: oneLine(err.message), exit: EXIT.io };
  if (err instanceof PolicyError) return policy(err);
  if (err instanceof EncodingError)
    return { code: err.code, message: oneLine(err.message), exit: EXIT.usage };
  if (err instanceof ValidationError)
    return {
      code: err.code,
      message: oneLine(err.message),
      exit: EXIT.usage,
      issues: err.issues.map((i) => ({ code: i.code, path: [...i.path], message: oneLine(i.message) })),
    };
  if (err instanceof LedgerError) return { code: err.code, message: oneLine(err.message), exit: EXIT.usage };
  const sys = (err as { code?: unknown } | null)?.code;
  if (typeof sys === 'string' && sys in FS_CODES)
    return { code: FS_CODES[sys]!, message: oneLine((err as Error).message), exit: EXIT.io };
  if (err instanceof TypeError || err instanceof RangeError)
    return { code: 'USAGE', message: oneLine(err.message), exit: EXIT.usage };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: oneLine(message), exit: EXIT.io };
}
