/**
 * The storage boundary (docs/design/storage.md): everything the ledger keeps — entries, tree nodes, index rows — is a
 * byte key → byte value in one ordered keyspace (docs/FORMAT.md §Storage), and the ledger reaches it only through
 * `LedgerStore`. Two implementations: LevelDB (`LevelStore`, the embedded default: one writer process) and PostgreSQL
 * (`PostgresStore`: several processes on several machines append to one ledger; the database sequences them).
 * The contract is checked against both by one conformance suite (test/storage/conformance.test.ts).
 */

/**
 * A key range in byte order (unsigned lexicographic, shorter first on a common prefix), as LevelDB orders keys. At
 * most one lower bound (`gt` or `gte`) and one upper bound (`lt` or `lte`).
 */
export interface KeyRange {
  readonly gt?: Uint8Array;
  readonly gte?: Uint8Array;
  readonly lt?: Uint8Array;
  readonly lte?: Uint8Array;
  /** Descending order. */
  readonly reverse?: boolean;
  /** At most this many rows. */
  readonly limit?: number;
}

/**
 * The first byte of every state row's key where the log and the state share one keyspace (LevelDB: `'s'` ‖ state
 * key). The log's keys never start with it (they are `e`, `n`, `x`: docs/FORMAT.md §Storage); `append` refuses a put
 * that does, on every store, so the two namespaces cannot meet.
 */
export const STATE_PREFIX = 0x73;

/** One key written by a group commit. Keys are never overwritten: the log only grows. */
export interface StorePut {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** Reads of the keyspace. Values and keys are plain Uint8Arrays; absent keys are `undefined`. */
export interface StoreReader {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getMany(keys: readonly Uint8Array[]): Promise<Array<Uint8Array | undefined>>;
  /** Key/value pairs in the range, in key order, streamed (breaking out of the loop releases the cursor). */
  iterate(range: KeyRange): AsyncGenerator<[Uint8Array, Uint8Array]>;
  /** Keys in the range, in key order, streamed. */
  keys(range: KeyRange): AsyncGenerator<Uint8Array>;
  /** Key/value pairs in the range at once (give a `limit` unless the range is known to be small). */
  all(range: KeyRange): Promise<Array<[Uint8Array, Uint8Array]>>;
  /** Keys in the range at once (give a `limit` unless the range is known to be small). */
  allKeys(range: KeyRange): Promise<Uint8Array[]>;
  /**
   * How many keys the range holds, where the store can count them for less than `allKeys` hands them out (LevelDB:
   * keys read as strings, not as a byte array each). Optional: verification lists the keys without it.
   */
  countKeys?(range: KeyRange): Promise<number>;
  /**
   * For each key: 0 when it is not stored, 1 when it is with an empty value, 2 when with any other; for less than
   * `getMany` hands out the values (LevelDB: values read as strings). Optional: verification looks its index rows up
   * with `getMany` without it.
   */
  hasMany?(keys: readonly Uint8Array[]): Promise<Uint8Array>;
}

/** What a group commit writes: its puts and the new head (entry count). `undefined` writes nothing. */
export interface StoreCommit {
  readonly puts: readonly StorePut[];
  readonly head: number;
}

/**
 * Mutable rows kept beside the log, never in it: the witness's last cosigned checkpoint per origin, the content
 * index (size, chunk hashes, purge marker per object). A separate namespace from the log's keyspace (PostgreSQL: its
 * own table `state`; LevelDB: keys under `STATE_PREFIX`, hidden from every read of the log), so the log stays
 * append-only and verification never sees a state row. Every write is a compare-and-set, so two writers (two
 * processes on one PostgreSQL, two handles in one process) never overwrite each other's update unseen.
 */
export interface StateRows {
  /** The row's value, or `undefined`. */
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** The rows whose key starts with `prefix`, in key order. */
  list(prefix: Uint8Array): Promise<Array<[Uint8Array, Uint8Array]>>;
  /**
   * Writes `value` at `key` only if the stored value is byte for byte `expected` (`undefined`: only if the row is
   * absent), atomically and durably (LevelDB: a synced write under the database's state lock; PostgreSQL: one
   * committed statement, `INSERT … ON CONFLICT DO NOTHING` or `UPDATE … WHERE v = expected`). Resolves `true` when it
   * wrote, `false` when the row was not `expected` (someone else wrote first: read it again and decide).
   */
  compareAndSet(key: Uint8Array, expected: Uint8Array | undefined, value: Uint8Array): Promise<boolean>;
}

export interface LedgerStore extends StoreReader {
  /** `leveldb` or `postgres` (or another implementation's name). */
  readonly kind: string;
  /**
   * `single`: one process holds the store (LevelDB's lock), so the ledger's in-memory state is the truth between
   * appends. `multi`: other processes may append at any time; each group commit starts from the stored head.
   */
  readonly writers: 'single' | 'multi';
  /** The longest key the store can keep, if it has a limit (PostgreSQL: a btree entry must fit in a page). */
  readonly maxKeyBytes?: number;
  /** The mutable rows beside the log (witness state, content index): see `StateRows`. */
  readonly state: StateRows;
  /** The stored head: the number of entries in the log (0 when there is no ledger yet). */
  head(): Promise<number>;
  /**
   * One group commit. Takes the store's append lock (no other writer, in this process or another, appends until it
   * is released), reads the stored head and calls `build(head)`; writes what `build` returns — its puts and the new
   * head — in one atomic, durable step (LevelDB: one synced batch; PostgreSQL: one transaction), then releases the
   * lock. Resolves only after the commit. A put whose key starts with `STATE_PREFIX` is refused (RangeError, nothing
   * written). If `build` throws, or the write fails, nothing is written and the error is
   * passed on. `sync: false` lets the store acknowledge before the data is on disk (LevelDB: no fsync; PostgreSQL:
   * `synchronous_commit = off` for this transaction).
   */
  append(build: (head: number) => Promise<StoreCommit | undefined>, opts?: { sync?: boolean }): Promise<void>;
  /**
   * A consistent view for a long read (verification) while others may append: PostgreSQL, a REPEATABLE READ READ
   * ONLY snapshot on one connection; LevelDB, the store itself (its one writer is the caller). `release` ends it.
   */
  snapshot(): Promise<StoreReader & { release(): Promise<void> }>;
  close(): Promise<void>;
}

export function isLedgerStore(x: unknown): x is LedgerStore {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as LedgerStore).append === 'function' &&
    typeof (x as LedgerStore).head === 'function' &&
    typeof (x as LedgerStore).snapshot === 'function' &&
    typeof (x as LedgerStore).state === 'object' &&
    typeof (x as LedgerStore).kind === 'string'
  );
}

/** Refuses a group commit's put in the state namespace (the `append` contract), before anything is written. */
export function checkLogPuts(puts: readonly StorePut[]): void {
  for (const p of puts)
    if (p.key[0] === STATE_PREFIX)
      throw new RangeError(
        `a log key must not start with 0x${STATE_PREFIX.toString(16)} (the state rows' prefix)`,
      );
}

/** The first key after every key that starts with `prefix` (undefined when there is none: all 0xff bytes). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i] = prefix[i]! + 1;
      return end;
    }
  }
  return undefined;
}
