/** Derived index rows: the core's own plus those a kind declares. Shared by append and verify. */
import { toHex } from '../bytes';
import { MANIFEST_KIND } from './format';
import type { Entry, KindDefinition } from './types';

/** Core kinds (other than the manifest) by kind name: lets `open` load keys without scanning the log. */
export const CORE_KIND_INDEX = 'core/kind';
/** Content digests (hex) → entries referencing them. */
export const CONTENT_INDEX = 'core/content';

export interface IndexRow {
  readonly index: string;
  readonly key: string;
}

export function indexRowsOf(entry: Entry, def: KindDefinition | undefined): IndexRow[] {
  const rows: IndexRow[] = [];
  if (entry.kind.startsWith('core/') && entry.kind !== MANIFEST_KIND)
    rows.push({ index: CORE_KIND_INDEX, key: entry.kind });
  for (const c of entry.content) rows.push({ index: CONTENT_INDEX, key: toHex(c.digest) });
  if (def?.indexes) for (const r of def.indexes(entry)) rows.push({ index: r.index, key: r.key });
  for (const r of rows)
    if (
      typeof r.index !== 'string' ||
      typeof r.key !== 'string' ||
      !r.index ||
      r.index.includes('\u0000') ||
      r.key.includes('\u0000') ||
      r.index.length + r.key.length > 1024
    )
      throw new TypeError(`kind ${entry.kind} produced an invalid index row (${String(r.index)})`);
  return rows;
}
