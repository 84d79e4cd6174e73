/**
 * The excerpt file (`excerpt` writes it, `verify-excerpt` checks it; docs/CLI.md "Chunk excerpts"): one chunk of a
 * recorded file with its inclusion proof (docs/FORMAT.md §Chunk excerpt), and the ledger entry that records the file.
 * JSON: hashes lowercase hex, the chunk's bytes base64. `start`/`end` are informative; `verify-excerpt` prints the range
 * the proof establishes and refuses a file whose claim differs.
 */
import {
  EXCERPT_FILE_FORMAT,
  type ExcerptFile,
  ExcerptFileSchema,
  excerptDocument,
} from '../access/excerpt-document';
import { fromBase64, fromHex } from '../bytes';
import type { ContentRef } from '../ledger/types';
import { CliError } from './exit';

export { EXCERPT_FILE_FORMAT, type ExcerptFile, ExcerptFileSchema };

export interface DecodedExcerptFile {
  readonly file: ExcerptFile;
  readonly ref: ContentRef;
  readonly index: number;
  readonly bytes: Uint8Array;
  readonly proof: Uint8Array[];
}

export function encodeExcerptFile(x: Parameters<typeof excerptDocument>[0]): string {
  return `${JSON.stringify(excerptDocument(x), null, 1)}\n`;
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
