/**
 * Index rows recomputed from the entries themselves, never read from the stored rows. Verification of the law looks
 * records up through it, so an entry appended without its rows (through a `Ledger` opened without its kinds, or
 * written raw) is still found by its kind and judged, and a stored row that no entry produces finds nothing. A missing
 * or extra stored row stays the ledger verify's own finding (`INDEX_MISSING` / `INDEX_EXTRA`).
 *
 * Memory: one number per kept row plus one string per distinct key; indexes a caller never reads (`skip`) are not
 * kept. Cost: one sequential read and decode of each entry (no point reads).
 */
import { indexRowsOf } from './rows';
import type { KindDefinition, StoredEntry } from './types';

/** Read access to an open log: its size, a streamed range of entries, one entry. */
export interface EntrySource {
  readonly size: number;
  entries(range?: { from?: number; to?: number }): AsyncIterable<StoredEntry>;
}

/** Seqs below `before` of an ascending list (a copy). */
export function before(seqs: readonly number[], limit: number): number[] {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return seqs.slice(0, lo);
}

export class EntryIndex {
  private readonly rows = new Map<string, Map<string, number[]>>();
  private readonly kinds = new Map<string, number[]>();
  private readonly unreadableSeqs: number[] = [];
  private _size = 0;

  constructor(
    private readonly defOf: (kind: string) => KindDefinition | undefined,
    private readonly skip: ReadonlySet<string> = new Set(),
  ) {}

  /** Entries [0, size) have been added (or were unreadable). */
  get size(): number {
    return this._size;
  }

  /** Seqs that could not be read or decoded (the ledger verify locates them). */
  get unreadable(): readonly number[] {
    return this.unreadableSeqs;
  }

  /** Adds the next entry's kind and rows. Entries are added in log order. */
  add(entry: StoredEntry): void {
    const seq = entry.seq;
    push(this.kinds, entry.kind, seq);
    let rows: ReturnType<typeof indexRowsOf>;
    try {
      rows = indexRowsOf(entry, this.defOf(entry.kind));
    } catch {
      // A body its kind cannot index is a schema finding of the ledger verify; its core rows still count.
      rows = indexRowsOf(entry, undefined);
    }
    for (const r of rows) {
      if (this.skip.has(r.index)) continue;
      let m = this.rows.get(r.index);
      if (!m) {
        m = new Map();
        this.rows.set(r.index, m);
      }
      push(m, r.key, seq);
    }
    this._size = Math.max(this._size, seq + 1);
  }

  /** Records a seq that could not be read. */
  addUnreadable(seq: number): void {
    this.unreadableSeqs.push(seq);
    this._size = Math.max(this._size, seq + 1);
  }

  /** Seqs of the entries with `key` in `index`, ascending (below `limit` when given). */
  lookup(index: string, key: string, limit = Number.POSITIVE_INFINITY): number[] {
    return before(this.rows.get(index)?.get(key) ?? [], limit);
  }

  /** Seqs of the entries of `kind`, ascending. */
  ofKind(kind: string): readonly number[] {
    return this.kinds.get(kind) ?? [];
  }

  /** Every (key, seq) of `index`, in key order then log order (as the stored rows sort). */
  range(index: string): Array<{ key: string; seq: number }> {
    const m = this.rows.get(index);
    if (!m) return [];
    const out: Array<{ key: string; seq: number }> = [];
    for (const key of [...m.keys()].sort(byUtf8)) for (const seq of m.get(key)!) out.push({ key, seq });
    return out;
  }
}

function push<K>(m: Map<K, number[]>, k: K, seq: number): void {
  const l = m.get(k);
  if (l) l.push(seq);
  else m.set(k, [seq]);
}

const enc = new TextEncoder();
/** Stored rows sort by the UTF-8 bytes of their key. */
function byUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const x = enc.encode(a);
  const y = enc.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * Streams entries [from, to) into `onEntry`, in log order; an entry that cannot be read or decoded is passed to
 * `onUnreadable` and the scan goes on after it.
 */
export async function scanEntries(
  log: EntrySource,
  range: { from?: number; to?: number },
  onEntry: (e: StoredEntry) => void | Promise<void>,
  onUnreadable: (seq: number) => void = () => {},
): Promise<void> {
  const to = range.to ?? log.size;
  let next = range.from ?? 0;
  while (next < to) {
    const it = log.entries({ from: next, to })[Symbol.asyncIterator]();
    for (;;) {
      let r: IteratorResult<StoredEntry>;
      try {
        r = await it.next();
      } catch {
        // Storage or decoding failed at `next`: skip it and read on from the entry after.
        await it.return?.().catch(() => {});
        onUnreadable(next++);
        break;
      }
      if (r.done) {
        // Entries missing at the end of the range are unreadable too.
        for (; next < to; next++) onUnreadable(next);
        break;
      }
      // A gap (a deleted entry) is unreadable.
      for (; next < r.value.seq; next++) onUnreadable(next);
      next = r.value.seq + 1;
      await onEntry(r.value);
    }
  }
}

/** Every entry of `log` in [from, size) indexed by `defOf`'s rows (see EntryIndex). */
export async function indexEntries(
  log: EntrySource,
  defOf: (kind: string) => KindDefinition | undefined,
  opts: { readonly skip?: ReadonlySet<string>; readonly from?: number } = {},
): Promise<EntryIndex> {
  const index = new EntryIndex(defOf, opts.skip);
  await scanEntries(
    log,
    { from: opts.from ?? 0 },
    (e) => index.add(e),
    (s) => index.addUnreadable(s),
  );
  return index;
}
