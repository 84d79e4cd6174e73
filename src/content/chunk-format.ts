/**
 * The chunking of the content reference format v1 (see chunks.ts and docs/FORMAT.md §Content reference): pure, no
 * Node module, so that the browser verification entry can check chunk excerpts.
 */
export const CHUNK_SIZE = 1_048_576;
export const LEAF_HASH_LENGTH = 32;

/** A chunk by index with its byte range [start, end) in the recorded file. */
export interface ChunkRange {
  readonly index: number;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export function chunkCount(size: number): number {
  return Math.ceil(size / CHUNK_SIZE);
}

export function chunkRange(index: number, size: number): ChunkRange {
  const start = index * CHUNK_SIZE;
  return { index, start, end: Math.min(start + CHUNK_SIZE, size) };
}
