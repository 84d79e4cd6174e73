/**
 * `enforcement-ledger/content`: the content store for media and scans — streamed, addressed by digest, verifiable
 * chunk by chunk (excerpts with proofs), purgeable. Node only.
 */
// Public entry point: its export list is part of the API (api/*.api.md, test/api.test.ts). Add names on purpose.
export {
  CHUNK_SIZE,
  FsContentStore,
  chunkCount,
  chunkExcerpt,
  chunkHashesOf,
  chunkProof,
  chunkRange,
  chunkRootOf,
  hashFile,
  identifyFile,
  verifyChunkExcerpt,
  verifyContent,
  verifyFileAgainst,
} from '../content';
export type {
  ByteRange,
  ChunkExcerpt,
  ChunkRange,
  ContentCheck,
  ContentCheckCode,
  ContentSource,
  ContentStore,
  DigestLike,
  ExcerptCheck,
  ExcerptCheckCode,
  ExcerptTarget,
  FsContentStoreOptions,
  Identification,
  PassOptions,
  Progress,
  SidecarState,
  VerifyFileOptions,
} from '../content';
