/**
 * The excerpt file (`excerpt` writes it, `verify-excerpt` checks it; docs/CLI.md "Chunk excerpts"): one chunk of a
 * recorded file with its inclusion proof (docs/FORMAT.md §Chunk excerpt), and the ledger entry that records the file.
 * JSON: hashes lowercase hex, the chunk's bytes base64. `start`/`end` are informative; `verify-excerpt` prints the range
 * the proof establishes and refuses a file whose claim differs.
 */
import { z } from 'zod';
import { fromBase64, fromHex, toBase64, toHex } from '../bytes';
import type { ContentRef } from '../ledger/types';
import { CliError } from './exit';

export const EXCERPT_FILE_FORMAT = 'enforcement-ledger/excerpt@1';

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);

export const ExcerptFileSchema = z.strictObject({
  format: z.literal(EXCERPT_FILE_FORMAT),
  /** The ledger: its origin and id (hex). */
  origin: z.string(),
  ledgerId: Hex32,
  /** The entry that commits the file, its kind and record id. */
  seq: z.int().min(0),
  kind: z.string(),
  recordId: z.string().nullable(),
  caseId: z.string().nullable(),
  content: z.strictObject({ digest: Hex32, size: z.int().min(0), chunkRoot: Hex32 }),
  chunk: z.strictObject({
    index: z.int().min(0),
    start: z.int().min(0),
    end: z.int().min(0),
    bytes: z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/),
    proof: z.array(Hex32).max(64),
  }),
});
export type ExcerptFile = z.infer<typeof ExcerptFileSchema>;

export interface DecodedExcerptFile {
  readonly file: ExcerptFile;
  readonly ref: ContentRef;
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly proof: Uint8Array[];
}

export function encodeExcerptFile(x: {
  origin: string;
  ledgerId: Uint8Array;
  seq: number;
  kind: string;
  recordId: string | undefined;
  caseId: string | undefined;
  ref: ContentRef;
  index: number;
  start: number;
  end: number;
  bytes: Uint8Array;
  proof: readonly Uint8Array[];
}): string {
  const file: ExcerptFile = {
    format: EXCERPT_FILE_FORMAT,
    origin: x.origin,
    ledgerId: toHex(x.ledgerId),
    seq: x.seq,
    kind: x.kind,
    recordId: x.recordId ?? null,
    caseId: x.caseId ?? null,
    content: { digest: toHex(x.ref.digest), size: x.ref.size, chunkRoot: toHex(x.ref.chunkRoot) },
    chunk: {
      index: x.index,
      start: x.start,
      end: x.end,
      bytes: toBase64(x.bytes),
      proof: x.proof.map(toHex),
    },
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** Parses an excerpt file; EXCERPT_MALFORMED (exit 2) listing every bad field. */
export function decodeExcerptFile(text: string, name: string): DecodedExcerptFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError('EXCERPT_MALFORMED', `${name} is not JSON: ${(err as Error).message}`);
  }
  const r = ExcerptFileSchema.safeParse(json);
  if (!r.success)
    throw new CliError(
      'EXCERPT_MALFORMED',
      `${name} is not an ${EXCERPT_FILE_FORMAT} file: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ')}`,
    );
  const file = r.data;
  return {
    file,
    ref: {
      digest: fromHex(file.content.digest),
      size: file.content.size,
      chunkRoot: fromHex(file.content.chunkRoot),
    },
    index: file.chunk.index,
    bytes: fromBase64(file.chunk.bytes),
    proof: file.chunk.proof.map(fromHex),
  };
}
