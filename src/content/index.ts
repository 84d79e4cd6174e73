/** Content store: large files addressed by SHA-256, streamed, verifiable chunk by chunk, purgeable (Node only). */
export { CHUNK_SIZE, chunkCount, chunkRange, chunkRootOf, sidecarMatches, splitLeafHashes } from './chunks';
export type { ChunkRange } from './chunks';
export type { ByteRange, ContentSource, ContentStore, DigestLike, PassOptions, Progress } from './store';
export { FsContentStore, type FsContentStoreOptions } from './fs-store';
export { chunkHashesOf, hashFile } from './hash-file';
export { identifyFile } from './identify';
export type { Identification } from './identify';
export { verifyContent, verifyFileAgainst } from './verify';
export type { ContentCheck, ContentCheckCode, SidecarState, VerifyFileOptions } from './verify';
export { chunkExcerpt } from './excerpt';
export { chunkProof, verifyChunkExcerpt } from './excerpt-format';
export type { ChunkExcerpt, ExcerptCheck, ExcerptCheckCode, ExcerptTarget } from './excerpt-format';
