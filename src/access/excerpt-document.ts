/**
 * The excerpt document (docs/FORMAT.md §Chunk excerpt): one chunk of a recorded file with its inclusion proof against
 * the file's chunkRoot, and the ledger entry that records the file. JSON: hashes lowercase hex, the chunk's bytes
 * base64. The CLI's `excerpt` writes it as a file and `verify-excerpt` checks it (src/cli/excerpt-file.ts); the
 * server's `POST /v1/access/excerpt` answers with it. `start`/`end` are informative: `verify-excerpt` prints the range
 * the proof establishes and refuses a document whose claim differs.
 */
import { z } from 'zod';
import { toBase64, toHex } from '../bytes';
import type { ContentRef } from '../ledger/types';

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

/** The excerpt document of chunk `index` of `ref`, the file entry `seq` records, with its proof (hex, base64). */
export function excerptDocument(x: {
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
}): ExcerptFile {
  return {
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
}
