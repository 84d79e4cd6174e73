import type { ContentRef } from '../ledger/types';
import { splitLeafHashes } from './chunks';
import { runPass } from './pass';
import type { ContentSource, PassOptions } from './store';

/** The ContentRef of a file or stream, in one streaming pass, without storing it. */
export async function hashFile(source: ContentSource, opts?: PassOptions): Promise<ContentRef> {
  const r = await runPass(source, opts);
  return { digest: r.digest, size: r.size, chunkRoot: r.chunkRoot! };
}

/** The chunk leaf hashes SHA-256(0x00 ‖ chunk_i) of a file or stream, in chunk order. */
export async function chunkHashesOf(source: ContentSource, opts?: PassOptions): Promise<Uint8Array[]> {
  const r = await runPass(source, opts);
  return splitLeafHashes(r.leafHashes);
}
