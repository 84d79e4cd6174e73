import { toHex } from '../bytes';
import type { ContentRef } from '../ledger/types';
import { hashFile } from './hash-file';
import type { ContentSource, PassOptions } from './store';

export interface Identification {
  readonly ref: ContentRef;
  /** Seqs of the ledger entries that reference this content (empty: not a recorded file). */
  readonly seqs: readonly number[];
}

/**
 * "Is this the recorded segment, and which records reference it?" Hashes the file in one pass and asks `lookup`
 * (e.g. the ledger's content-digest index) for the entries citing its digest (lowercase hex).
 */
export async function identifyFile(
  source: ContentSource,
  lookup: (digestHex: string) => Promise<readonly number[]>,
  opts?: PassOptions,
): Promise<Identification> {
  if (typeof lookup !== 'function') throw new TypeError('lookup must be a function');
  const ref = await hashFile(source, opts);
  const seqs = [...(await lookup(toHex(ref.digest)))];
  return { ref, seqs };
}
