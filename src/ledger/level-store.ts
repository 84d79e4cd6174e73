/**
 * The LevelDB store (the embedded default): opening LevelDB folders, mapping Level errors to StorageError codes, and
 * `LevelStore`, the LedgerStore over any abstract-level database. One writer process per folder (LevelDB's lock).
 */
import { copyFile, cp, link, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { compareBytes, concatBytes } from '../bytes';
import { StorageError } from '../errors';
import { P_ENTRY, entryKey, readU64 } from './keyspace';
import {
  type KeyRange,
  type LedgerStore,
  STATE_PREFIX,
  type StateRows,
  type StoreCommit,
  type StoreReader,
  checkLogPuts,
  prefixEnd,
} from './store';

// biome-ignore lint/suspicious/noExplicitAny: abstract-level's generics are invariant; we pass per-call encodings.
export type AnyLevel = AbstractLevel<any, any, any>;

/** Per-call encodings: keys and values are bytes, whatever the database's defaults. */
export const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;

export function isLevel(x: unknown): x is AnyLevel {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as AnyLevel).batch === 'function' &&
    'supports' in (x as object)
  );
}

/**
 * Memory of a LevelDB handle that reads a whole store (docs/design/storage.md §Memory). LevelDB's POSIX Env maps every
 * table file it opens (mmap, up to 1,000 per process) and keeps it mapped while the table stays in its table cache,
 * which holds `maxOpenFiles − 10` tables; every page read from a mapped table counts in the process's resident set
 * until the table leaves the cache. So the pages a full read leaves resident are bounded by the table cache times the
 * size of a table:
 * - `TABLE_FILE_BYTES`: every handle writes (compacts into) tables of 1 MiB, LevelDB's smallest (it clamps
 *   `max_file_size` to ≥ 1 MiB; its default is 2 MiB). Only the layout of LevelDB's files: not a key or value.
 * - `READ_MAX_OPEN_FILES`: a handle opened only to read (verification) keeps 64 tables, LevelDB's least (it clamps
 *   `max_open_files` to ≥ 74); a writer keeps LevelDB's default of 1,000 files, whose lookups reach back anywhere.
 */
export const TABLE_FILE_BYTES = 1 << 20;
export const READ_MAX_OPEN_FILES = 74;

export async function openLocation(
  location: string | AnyLevel,
  opts: { createIfMissing: boolean; forReading?: boolean },
): Promise<AnyLevel> {
  if (typeof location !== 'string' && !isLevel(location))
    throw new TypeError('location must be a folder path or an abstract-level database');
  const db: AnyLevel =
    typeof location === 'string'
      ? new ClassicLevel<Uint8Array, Uint8Array>(location, {
          keyEncoding: 'view',
          valueEncoding: 'view',
          createIfMissing: opts.createIfMissing,
          errorIfExists: false,
          maxFileSize: TABLE_FILE_BYTES,
          ...(opts.forReading ? { maxOpenFiles: READ_MAX_OPEN_FILES } : {}),
        })
      : location;
  try {
    if (db.status !== 'open') await db.open();
  } catch (err) {
    throw mapLevelError(err, typeof location === 'string' ? location : 'database');
  }
  return db;
}

/** abstract-level range options from a KeyRange (undefined bounds left out: Level treats them as given). */
function levelRange(range: KeyRange): Record<string, unknown> {
  const o: Record<string, unknown> = { ...BIN };
  if (range.gt !== undefined) o.gt = range.gt;
  if (range.gte !== undefined) o.gte = range.gte;
  if (range.lt !== undefined) o.lt = range.lt;
  if (range.lte !== undefined) o.lte = range.lte;
  if (range.reverse) o.reverse = true;
  if (range.limit !== undefined) o.limit = range.limit;
  return o;
}

const STATE_LO = Uint8Array.of(STATE_PREFIX);
const STATE_HI = Uint8Array.of(STATE_PREFIX + 1);

/**
 * The parts of `range` outside the state rows' keys [STATE_LO, STATE_HI), in iteration order: the log's reads never
 * see a state row. Each part keeps the range's own bounds where they are tighter; `limit` is applied by the caller.
 */
export function logParts(range: KeyRange): KeyRange[] {
  const { gt, gte, lt, lte, reverse } = range;
  const parts: KeyRange[] = [];
  // Below the state rows: the range's lower bound, and its upper bound cut at STATE_LO.
  const lowerBelow =
    gt !== undefined ? compareBytes(gt, STATE_LO) < 0 : gte === undefined || compareBytes(gte, STATE_LO) < 0;
  if (lowerBelow) {
    const p: { -readonly [K in keyof KeyRange]: KeyRange[K] } = {};
    if (gt !== undefined) p.gt = gt;
    if (gte !== undefined) p.gte = gte;
    if (lt !== undefined && compareBytes(lt, STATE_LO) <= 0) p.lt = lt;
    else if (lte !== undefined && compareBytes(lte, STATE_LO) < 0) p.lte = lte;
    else p.lt = STATE_LO;
    parts.push(p);
  }
  // Above them: the range's upper bound, and its lower bound raised to STATE_HI.
  const upperAbove =
    lt !== undefined ? compareBytes(lt, STATE_HI) > 0 : lte === undefined || compareBytes(lte, STATE_HI) >= 0;
  if (upperAbove) {
    const p: { -readonly [K in keyof KeyRange]: KeyRange[K] } = {};
    if (gt !== undefined && compareBytes(gt, STATE_HI) >= 0) p.gt = gt;
    else if (gte !== undefined && compareBytes(gte, STATE_HI) >= 0) p.gte = gte;
    else p.gte = STATE_HI;
    if (lt !== undefined) p.lt = lt;
    if (lte !== undefined) p.lte = lte;
    parts.push(p);
  }
  return reverse ? parts.reverse().map((p) => ({ ...p, reverse: true })) : parts;
}

function isStateKey(key: Uint8Array): boolean {
  return key[0] === STATE_PREFIX;
}

/** Keys per store call when a recycled handle counts a keyspace. */
const COUNT_PAGE = 4096;

/** One state lock per database: every LevelStore over it (and so every compare-and-set) queues on the same one. */
const STATE_LOCKS = new WeakMap<object, Promise<unknown>>();

/**
 * State rows in LevelDB: `STATE_PREFIX ‖ key` in the same database as the log (one folder, one lock, one backup),
 * hidden from the log's reads. One process holds a LevelDB folder, so a compare-and-set is a read and a synced write
 * under a lock shared by every handle on the database.
 */
class LevelStateRows implements StateRows {
  constructor(
    private readonly db: AnyLevel,
    private readonly use: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {}

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.use(async () => {
      const v = (await this.db.get(concatBytes(STATE_LO, key), BIN)) as Uint8Array | undefined;
      return v === undefined ? undefined : plain(v);
    });
  }

  async list(prefix: Uint8Array): Promise<Array<[Uint8Array, Uint8Array]>> {
    return this.use(async () => {
      const lo = concatBytes(STATE_LO, prefix);
      const rows = (await this.db
        .iterator({ ...BIN, gte: lo, lt: prefixEnd(lo) ?? STATE_HI })
        .all()) as Array<[Uint8Array, Uint8Array]>;
      return rows.map(([k, v]) => [plain(k).subarray(1), plain(v)]);
    });
  }

  compareAndSet(key: Uint8Array, expected: Uint8Array | undefined, value: Uint8Array): Promise<boolean> {
    const run = (STATE_LOCKS.get(this.db) ?? Promise.resolve()).then(async () => {
      const have = await this.get(key);
      if (
        have === undefined
          ? expected !== undefined
          : expected === undefined || compareBytes(have, expected) !== 0
      )
        return false;
      await this.use(() =>
        this.db.put(concatBytes(STATE_LO, key), value, { ...BIN, sync: true } as typeof BIN),
      );
      return true;
    });
    STATE_LOCKS.set(
      this.db,
      run.catch(() => {}),
    );
    return run;
  }
}

/**
 * How a handle that only reads is recycled (docs/design/storage.md §Memory of a full read): after about `everyBytes`
 * of keys and values read, at the next call that finds no other call of the store under way (no read in flight, no
 * iterator open), `reopen` closes the database and opens it again before that call reads. Closing unmaps every table
 * LevelDB had mapped, so what a long read leaves resident is what it read since the last reopen, not the table cache.
 */
export interface Recycling {
  readonly everyBytes: number;
  readonly reopen: () => Promise<void>;
}

/**
 * The LedgerStore over an abstract-level database (classic-level on disk, memory-level in tests). Level errors pass
 * through as Level gives them (the ledger maps them with `mapLevelError`; verification reports a corrupt block as
 * damage). The head is the last entry key plus one, read once; appends are serialised here and extend it.
 */
export class LevelStore implements LedgerStore {
  readonly kind = 'leveldb';
  readonly writers = 'single' as const;
  private cachedHead: number | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private closed = false;
  readonly state: StateRows;
  /** Calls of the store under way (reads in flight, iterators open): a reopen waits for none. */
  private active = 0;
  /** Bytes read since the database was last opened, and the reopen under way. */
  private sinceOpen = 0;
  private reopening: Promise<void> | undefined;
  /** How many times the database was reopened (recycled). */
  reopens = 0;

  /**
   * The batch write of a classic-level database this store opened from a folder path, called below abstract-level:
   * the keys and values are already bytes, and such a database has no hooks, events or sublevels, so abstract-level's
   * per-operation copy, encoding and checks (about 2 µs an operation here; a document's group commit of one carries
   * 11) are skipped. The same WriteBatch reaches LevelDB either way. Undefined for any other database.
   */
  private readonly direct:
    | ((
        ops: ReadonlyArray<{ type: 'put'; key: Uint8Array; value: Uint8Array }>,
        o: { sync: boolean },
      ) => Promise<void>)
    | undefined;

  /** `owns`: `close` closes the database (it was opened from a folder path). */
  constructor(
    readonly db: AnyLevel,
    private readonly owns = false,
    private readonly recycling?: Recycling,
  ) {
    this.state = new LevelStateRows(db, (fn) => this.use(fn, () => 0));
    const batch = (db as { _batch?: unknown })._batch;
    this.direct =
      owns && db instanceof ClassicLevel && typeof batch === 'function'
        ? (ops, o) => (batch as (ops: unknown, o: unknown) => Promise<void>).call(db, ops, o)
        : undefined;
  }

  /**
   * Opens (or, with `createIfMissing`, creates) the LevelDB folder at `path`, or wraps an open database. A mirror left
   * in the folder by a verification in place that ended without closing (its hard links keep compacted tables on disk)
   * is removed: no verification in place can be reading one while this handle holds the folder's lock.
   */
  static async open(location: string | AnyLevel, opts: { createIfMissing: boolean }): Promise<LevelStore> {
    const db = await openLocation(location, opts);
    if (typeof location === 'string') await removeMirrors(location);
    return new LevelStore(db, typeof location === 'string');
  }

  /** A closed store refuses, whether or not it closed the database (one passed in stays open). */
  private assertOpen(): void {
    if (this.closed) throw new StorageError('STORAGE_CLOSED', 'the store is closed');
  }

  /**
   * Before a call reads: waits for a reopen under way, and starts one when enough was read and nothing else is under
   * way (never while an iterator is open or a read is in flight, so no call ever waits for another to end).
   */
  private async enter(): Promise<void> {
    this.assertOpen();
    const r = this.recycling;
    if (r === undefined) return;
    while (this.reopening !== undefined) await this.reopening;
    if (this.active > 0 || this.sinceOpen < r.everyBytes) return;
    this.sinceOpen = 0;
    const run = r.reopen().finally(() => {
      this.reopening = undefined;
    });
    this.reopening = run;
    await run;
    this.reopens++;
    this.assertOpen();
  }

  /** Runs one call of the store as a call under way, counting the bytes it read (`size`). */
  private async use<T>(fn: () => Promise<T>, size: (v: T) => number): Promise<T> {
    // A store that is never reopened (every writer) calls straight through: no turn, no count.
    if (this.recycling === undefined) {
      this.assertOpen();
      return fn();
    }
    await this.enter();
    this.active++;
    try {
      const v = await fn();
      this.sinceOpen += size(v);
      return v;
    } finally {
      this.active--;
    }
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.assertOpen();
    if (isStateKey(key)) return undefined;
    return this.use(
      async () => {
        const v = (await this.db.get(key, BIN)) as Uint8Array | undefined;
        return v === undefined ? undefined : plain(v);
      },
      (v) => key.length + (v?.length ?? 0),
    );
  }

  async getMany(keys: readonly Uint8Array[]): Promise<Array<Uint8Array | undefined>> {
    this.assertOpen();
    if (keys.length === 0) return [];
    return this.use(
      async () => {
        const vs = (await this.db.getMany(keys as Uint8Array[], BIN)) as Array<Uint8Array | undefined>;
        return vs.map((v, i) => (v === undefined || isStateKey(keys[i]!) ? undefined : plain(v)));
      },
      (vs) => {
        let n = 0;
        for (let i = 0; i < vs.length; i++) n += keys[i]!.length + (vs[i]?.length ?? 0);
        return n;
      },
    );
  }

  /**
   * Whether each key is stored, and with a value: the values read as UTF-8 strings, so none is handed out as a byte
   * array (an empty value is the empty string; any other is not, whatever its bytes).
   */
  async hasMany(keys: readonly Uint8Array[]): Promise<Uint8Array> {
    this.assertOpen();
    if (keys.length === 0) return new Uint8Array(0);
    return this.use(
      async () => {
        const vs = (await this.db.getMany(keys as Uint8Array[], {
          keyEncoding: 'view',
          valueEncoding: 'utf8',
        })) as Array<string | undefined>;
        const out = new Uint8Array(vs.length);
        for (let i = 0; i < vs.length; i++) {
          const v = vs[i];
          out[i] = v === undefined || isStateKey(keys[i]!) ? 0 : v.length === 0 ? 1 : 2;
        }
        return out;
      },
      () => {
        let n = 0;
        for (const k of keys) n += k.length;
        return n;
      },
    );
  }

  iterate(range: KeyRange): AsyncGenerator<[Uint8Array, Uint8Array]> {
    return this.walk(
      range,
      (o) => this.db.iterator(o),
      ([k, v]) => [plain(k), plain(v)],
      ([k, v]) => k.length + v.length,
    );
  }

  keys(range: KeyRange): AsyncGenerator<Uint8Array> {
    return this.walk(
      range,
      (o) => this.db.keys(o),
      plain,
      (k) => k.length,
    );
  }

  /**
   * The rows of `range` (outside the state rows) from a LevelDB iterator `open` makes, each handed out as `out` makes
   * it, as one call of the store under way until the walk ends (no reopen meanwhile); `size` counts the bytes read.
   */
  private async *walk<R, T>(
    range: KeyRange,
    open: (o: Record<string, unknown>) => AsyncIterable<R> & { close(): Promise<void> },
    out: (r: R) => T,
    size: (r: R) => number,
  ): AsyncGenerator<T> {
    await this.enter();
    this.active++;
    try {
      let left = range.limit ?? Number.POSITIVE_INFINITY;
      for (const part of logParts(range)) {
        if (left <= 0) return;
        const it = open(levelRange({ ...part, limit: Number.isFinite(left) ? left : undefined }));
        try {
          for await (const r of it) {
            left--;
            this.sinceOpen += size(r);
            yield out(r);
          }
        } finally {
          await it.close();
        }
      }
    } finally {
      this.active--;
    }
  }

  async all(range: KeyRange): Promise<Array<[Uint8Array, Uint8Array]>> {
    this.assertOpen();
    return this.use(
      async () => {
        const out: Array<[Uint8Array, Uint8Array]> = [];
        for (const part of logParts(range)) {
          const left = range.limit === undefined ? undefined : range.limit - out.length;
          if (left !== undefined && left <= 0) break;
          const rows = (await this.db.iterator(levelRange({ ...part, limit: left })).all()) as Array<
            [Uint8Array, Uint8Array]
          >;
          for (const [k, v] of rows) out.push([plain(k), plain(v)]);
        }
        return out;
      },
      (rows) => {
        let n = 0;
        for (const [k, v] of rows) n += k.length + v.length;
        return n;
      },
    );
  }

  /**
   * The keys in the range, counted in pages read as UTF-8 strings: no byte array (and its memory outside V8's heap) per
   * key, about 0.3 µs a key less than `allKeys` here. The strings are only counted: a key's bytes may not survive. The
   * bounds go through the same encoding, so a bound that is not ASCII (not its own UTF-8) is read as bytes.
   */
  async countKeys(range: KeyRange): Promise<number> {
    this.assertOpen();
    if (this.recycling && range.limit === undefined) return this.countKeysInPages(range);
    let bytes = 0;
    return this.use(
      async () => {
        let n = 0;
        for (const part of logParts(range)) {
          const bounds = [part.gt, part.gte, part.lt, part.lte];
          const ascii = bounds.every((b) => b === undefined || b.every((x) => x < 0x80));
          const it = this.db.keys({ ...levelRange(part), ...(ascii ? { keyEncoding: 'utf8' } : {}) });
          try {
            for (;;) {
              const page = (await it.nextv(4096)) as Array<string | Uint8Array>;
              if (page.length === 0) break;
              n += page.length;
              for (const k of page) bytes += k.length;
            }
          } finally {
            await it.close();
          }
        }
        return n;
      },
      () => bytes,
    );
  }

  /**
   * `countKeys` on a recycled handle: pages of keys as bytes, each page its own store call, so that the handle can be
   * reopened between them (one iterator over a whole keyspace would keep every table it passes mapped, up to the table
   * cache: 64 MiB at 1M entries). A page resumes after the exact last key, which a key read as a string cannot give.
   */
  private async countKeysInPages(range: KeyRange): Promise<number> {
    let n = 0;
    for (const part of logParts({ ...range, reverse: false })) {
      const { gt: _gt, gte: _gte, limit: _limit, reverse: _reverse, ...upper } = part;
      let page = await this.allKeys({ ...part, limit: COUNT_PAGE });
      n += page.length;
      while (page.length === COUNT_PAGE) {
        page = await this.allKeys({ ...upper, gt: page[page.length - 1]!, limit: COUNT_PAGE });
        n += page.length;
      }
    }
    return n;
  }

  async allKeys(range: KeyRange): Promise<Uint8Array[]> {
    this.assertOpen();
    let spanned = 0;
    return this.use(
      async () => {
        const out: Uint8Array[] = [];
        for (const part of logParts(range)) {
          const left = range.limit === undefined ? undefined : range.limit - out.length;
          if (left !== undefined && left <= 0) break;
          for (const k of (await this.db.keys(levelRange({ ...part, limit: left })).all()) as Uint8Array[])
            out.push(plain(k));
        }
        // Reading keys alone still pages in the blocks that hold their values: a recycled handle counts the table
        // bytes the keys span (LevelDB's estimate), not the bytes of the keys.
        if (this.recycling && out.length > 1) {
          const approx = (
            this.db as { approximateSize?: (a: Uint8Array, b: Uint8Array, o: unknown) => Promise<number> }
          ).approximateSize;
          if (approx) spanned = await approx.call(this.db, out[0]!, out[out.length - 1]!, BIN);
        }
        return out;
      },
      (ks) => {
        let n = spanned;
        for (const k of ks) n += k.length;
        return n;
      },
    );
  }

  /**
   * One past the last entry key ('e' u64(seq), docs/FORMAT.md §Storage): LevelDB keeps no head row, so the head is
   * read from the entries once, then taken from each commit.
   */
  async head(): Promise<number> {
    if (this.cachedHead !== undefined) {
      this.assertOpen();
      return this.cachedHead;
    }
    const [k] = await this.allKeys({
      gte: entryKey(0),
      lt: Uint8Array.of(P_ENTRY + 1),
      reverse: true,
      limit: 1,
    });
    return k && k.length === 9 ? readU64(k, 1) + 1 : 0;
  }

  append(
    build: (head: number) => Promise<StoreCommit | undefined>,
    opts: { sync?: boolean } = {},
  ): Promise<void> {
    // Appends run one after another; one that finds none queued or running starts now, not a turn later.
    const run =
      this.appending === 0 ? this.commit(build, opts) : this.lock.then(() => this.commit(build, opts));
    this.appending++;
    this.lock = run.then(this.appendEnded, this.appendEnded);
    return run;
  }

  /** Appends queued or running (see `append`). */
  private appending = 0;
  private readonly appendEnded = (): void => {
    this.appending--;
  };

  private async commit(
    build: (head: number) => Promise<StoreCommit | undefined>,
    opts: { sync?: boolean },
  ): Promise<void> {
    this.assertOpen();
    this.cachedHead ??= await this.head();
    const commit = await build(this.cachedHead);
    if (!commit) return;
    checkLogPuts(commit.puts);
    const ops = commit.puts.map((p) => ({ type: 'put' as const, key: p.key, value: p.value }));
    // `sync` is a classic-level option (fsync before the batch resolves); other backends ignore it.
    const sync = opts.sync ?? true;
    // A store that is recycled (a reading handle) writes as a call under way, never during a reopen.
    await (this.recycling
      ? this.use(
          () => this.write(ops, sync),
          () => 0,
        )
      : this.write(ops, sync));
    this.cachedHead = commit.head;
  }

  private write(ops: ReadonlyArray<{ type: 'put'; key: Uint8Array; value: Uint8Array }>, sync: boolean) {
    return this.direct && this.db.status === 'open'
      ? this.direct(ops, { sync })
      : this.db.batch(
          ops as Array<{ type: 'put'; key: Uint8Array; value: Uint8Array }>,
          { ...BIN, sync } as typeof BIN,
        );
  }

  async snapshot(): Promise<StoreReader & { release(): Promise<void> }> {
    // One writer, and it is the caller: the store itself is consistent between its appends.
    return {
      get: (k) => this.get(k),
      getMany: (ks) => this.getMany(ks),
      iterate: (r) => this.iterate(r),
      keys: (r) => this.keys(r),
      all: (r) => this.all(r),
      allKeys: (r) => this.allKeys(r),
      countKeys: (r) => this.countKeys(r),
      hasMany: (ks) => this.hasMany(ks),
      release: async () => {},
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.lock;
    while (this.reopening !== undefined) await this.reopening.catch(() => {});
    this.closed = true;
    if (this.owns) await this.db.close();
  }
}

/**
 * Opens a store only to read it (verification). LevelDB has no read-only mode: opening takes the folder's write lock
 * and may write. So a store that is write-protected (read-only media, no write permission) or held by a writer is
 * read through a private copy in the temporary directory; the original is only read, never locked or written.
 *
 * The handle that reads is recycled (`Recycling`, every `readRecycling.everyBytes` read), so that a full read leaves few
 * table pages mapped. Closing a handle opened in place would let a writer take the folder between the close and the
 * reopen, so in place the folder stays held by a first handle, which never reads, while a second one reads a mirror of
 * it in a subfolder (`.verify-…`): hard links to its table files, which LevelDB never changes once written, and copies
 * of its few other files. A folder whose tables cannot be linked is read by the first handle, without recycling.
 * `close` closes the handles and removes any mirror or copy.
 */
export async function openForReading(
  location: string | AnyLevel,
  opts: { readonly recycleBytes?: number } = {},
): Promise<{ readonly db: LevelStore; readonly copied: boolean; close(): Promise<void> }> {
  if (typeof location !== 'string') {
    const db = await openLocation(location, { createIfMissing: false });
    return { db: new LevelStore(db), copied: false, close: async () => {} };
  }
  const every = opts.recycleBytes ?? readRecycling.everyBytes;
  let held: AnyLevel | undefined;
  try {
    held = await openLocation(location, { createIfMissing: false, forReading: true });
  } catch (err) {
    if (!(err instanceof StorageError) || !cannotLock(err)) throw err;
  }
  if (held !== undefined) {
    const h = held;
    const mirrored = await openMirror(location).catch(() => undefined);
    if (mirrored === undefined) return { db: new LevelStore(h), copied: false, close: () => h.close() };
    const { db, dir } = mirrored;
    return {
      db: new LevelStore(db, false, recyclingOf(db, every)),
      copied: false,
      close: async () => {
        await db.close().catch(() => {});
        await rm(dir, { recursive: true, force: true }).catch(() => {});
        await h.close();
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'el-verify-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(location, dir, {
      recursive: true,
      filter: (src) => basename(src) !== 'LOCK' && !basename(src).startsWith(MIRROR_PREFIX),
    });
    const db = await openLocation(dir, { createIfMissing: false, forReading: true });
    return {
      db: new LevelStore(db, false, recyclingOf(db, every)),
      copied: true,
      close: async () => {
        await db.close().catch(() => {});
        await remove();
      },
    };
  } catch (err) {
    await remove();
    throw err instanceof StorageError ? err : mapLevelError(err, location);
  }
}

/**
 * Bytes a reading handle reads between reopens (`everyBytes`): what it can leave mapped is about this much (the pages
 * it touched since the last reopen) plus the tables' index blocks, instead of its whole table cache (64 MiB). A reopen
 * costs an open (LevelDB writes a new manifest) and a first read of each table's index and filter blocks. Mutable
 * only so that tests can recycle after every read.
 */
export const readRecycling = { everyBytes: 8 << 20 };

/** The name of a mirror subfolder (LevelDB ignores names it did not make). */
export const MIRROR_PREFIX = '.verify-';

function recyclingOf(db: AnyLevel, everyBytes: number): Recycling | undefined {
  if (!(everyBytes > 0)) return undefined;
  return {
    everyBytes,
    reopen: async () => {
      await db.close();
      await db.open();
    },
  };
}

/** Table files: written once, never changed (LevelDB writes a new table and deletes the old ones). */
const TABLE_FILE = /^\d+\.(ldb|sst)$/;

/**
 * A mirror of the LevelDB folder `location`, whose lock the caller holds, opened to read: a subfolder with a hard link
 * to each table file and a copy of CURRENT, the manifest and the write-ahead logs. Stale mirrors (a process that
 * ended without closing its own) are removed first: only the lock's holder makes one. A mirror taken while the holder
 * compacts may name a table the compaction has already deleted; LevelDB then refuses to open it (missing files), and
 * it is taken again.
 */
async function openMirror(location: string): Promise<{ db: AnyLevel; dir: string }> {
  await removeMirrors(location);
  for (let attempt = 0; ; attempt++) {
    const dir = await mkdtemp(join(location, MIRROR_PREFIX));
    try {
      const names = await readdir(location);
      const current = names.includes('CURRENT')
        ? (await readFile(join(location, 'CURRENT'), 'utf8')).trim()
        : undefined;
      for (const name of names) {
        if (TABLE_FILE.test(name)) await link(join(location, name), join(dir, name));
        else if (name === 'CURRENT' || name === current || /^\d+\.log$/.test(name))
          await copyFile(join(location, name), join(dir, name));
      }
      return { db: await openLocation(dir, { createIfMissing: false, forReading: true }), dir };
    } catch (err) {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
      if (attempt >= 2) throw err;
    }
  }
}

/** Removes the mirror subfolders in `location` (its lock's holder only). */
export async function removeMirrors(location: string): Promise<void> {
  for (const name of await readdir(location).catch(() => [] as string[]))
    if (name.startsWith(MIRROR_PREFIX)) await rm(join(location, name), { recursive: true, force: true });
}

/** The store exists but cannot be opened for writing: locked by a writer, or write-protected. */
function cannotLock(err: StorageError): boolean {
  if (err.code === 'STORAGE_LOCKED') return true;
  const cause = err.cause as { message?: string; cause?: { message?: string } } | undefined;
  const text = `${err.message} ${cause?.message ?? ''} ${cause?.cause?.message ?? ''}`;
  return (
    err.code === 'STORAGE_IO' && /read-only file system|permission denied|EROFS|EACCES|EPERM/i.test(text)
  );
}

export function mapLevelError(err: unknown, where: string): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const codes = [e?.code, e?.cause?.code];
  if (codes.includes('LEVEL_LOCKED'))
    return new StorageError(
      'STORAGE_LOCKED',
      `${where} is locked by another process (one writer per ledger)`,
      {
        cause: err,
      },
    );
  const msg = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  if (/does not exist|No such file|not found/i.test(msg))
    return new StorageError('STORAGE_NOT_FOUND', `${where}: no ledger here`, { cause: err });
  if (codes.includes('LEVEL_CORRUPTION') || /corrupt/i.test(msg))
    return new StorageError('STORAGE_CORRUPT', `${where}: database corrupt: ${msg.trim()}`, { cause: err });
  if (codes.includes('LEVEL_DATABASE_NOT_OPEN') && /closed/i.test(msg))
    return new StorageError('STORAGE_CLOSED', `${where} is closed`, { cause: err });
  return new StorageError('STORAGE_IO', `${where}: ${msg.trim() || 'I/O error'}`, { cause: err });
}

/** Level backends may hand back Buffers; the API returns plain Uint8Arrays (a view, no copy). */
export function plain(v: Uint8Array): Uint8Array {
  return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}
