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

/** The longest index + key a row may have, in UTF-16 code units (every store; PostgreSQL also limits its bytes). */
export const MAX_INDEX_ROW_CHARS = 1024;

/**
 * Where in `body` the index key `key` came from: the path of the first string field equal to it (index keys are
 * field values: a case id, a person's id), for the error of a row too long to store; `[]` when none is.
 */
export function pathOfKey(body: unknown, key: string, depth = 0): Array<string | number> | undefined {
  if (body === key) return [];
  if (depth > 16 || typeof body !== 'object' || body === null || body instanceof Uint8Array) return undefined;
  const entries: Array<[string | number, unknown]> = Array.isArray(body)
    ? body.map((v, i) => [i, v])
    : Object.entries(body as Record<string, unknown>);
  for (const [k, v] of entries) {
    const p = pathOfKey(v, key, depth + 1);
    if (p !== undefined) return [k, ...p];
  }
  return undefined;
}

/**
 * The index rows of `entry`: the core's and its kind's. A kind's row that is not two NUL-free strings is a bug in the
 * kind (TypeError); one longer than MAX_INDEX_ROW_CHARS is the input's doing, left to the caller (`append` refuses it
 * with `too_large` and the field's path; verify reports what the store holds).
 */
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
      r.key.includes('\u0000')
    )
      throw new TypeError(`kind ${entry.kind} produced an invalid index row (${String(r.index)})`);
  return rows;
}
