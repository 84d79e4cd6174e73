/**
 * The PostgreSQL store: several processes, on several machines, append to one ledger; the database sequences them.
 * Layout (docs/FORMAT.md §Storage, docs/design/storage.md), in one schema per ledger (default `enforcement_ledger`):
 *
 *   kv(k bytea PRIMARY KEY, v bytea NOT NULL)      the LevelDB keyspace, byte for byte (bytea sorts bytewise)
 *   head(one boolean PRIMARY KEY, size bigint)     one row: the number of entries; its row lock is the append lock
 *   state(k bytea PRIMARY KEY, v bytea NOT NULL)   mutable rows beside the log (witness state, content index), each
 *                                                  write a compare-and-set (version 2)
 *   schema_version(version int PRIMARY KEY, …)     migrations applied, created and advanced by this module
 *
 * A group commit is one READ COMMITTED transaction: `SELECT size FROM head FOR UPDATE` (waits for any other
 * appender), the ledger builds and signs against that head, then the rows and the new head are written and the
 * transaction commits; the append is acknowledged only after COMMIT. An appender that dies mid-transaction leaves
 * nothing: PostgreSQL rolls its transaction back. Core PostgreSQL 13+ only: bytea, bigint, btree primary keys,
 * `unnest`, `FOR UPDATE`, `LOCK TABLE`, REPEATABLE READ READ ONLY snapshots; no extension, no advisory lock.
 */
import pg from 'pg';
import { StorageError } from '../errors';
import {
  type KeyRange,
  type LedgerStore,
  type StateRows,
  type StoreCommit,
  type StoreReader,
  checkLogPuts,
  prefixEnd,
} from './store';

/** The schema version this library writes (schema_version); migrations below bring older schemas up to it. */
export const PG_SCHEMA_VERSION = 2;

/** The longest key the store accepts: a btree entry must fit a third of an 8 KiB page (2704 bytes, less headers). */
export const PG_MAX_KEY_BYTES = 2000;

const DEFAULT_SCHEMA = 'enforcement_ledger';
const PAGE = 1000;

export interface PostgresStoreOptions {
  /** PostgreSQL schema holding this ledger's tables (one ledger per schema). Default `enforcement_ledger`, or the
   * URL's `schema` query parameter. Lowercase letters, digits and `_`, starting with a letter or `_`. */
  readonly schema?: string;
  /** Connections in the pool (at least 2: a group commit holds one while reads use another). Default 4. */
  readonly poolSize?: number;
  /**
   * How long a group commit waits for the append lock (the head row) before failing with STORAGE_LOCKED, nothing
   * written (`SET LOCAL lock_timeout`). Default 60,000 ms: far beyond any group commit, so only a hung appender
   * reaches it. 0 waits forever.
   */
  readonly lockTimeoutMs?: number;
  /**
   * How long this process's own group commit may sit idle inside its transaction (building, signing, catching up)
   * before PostgreSQL ends the session and so releases the append lock (`SET LOCAL
   * idle_in_transaction_session_timeout`); the append then fails with STORAGE_IO, nothing written. A process that
   * hangs while holding the lock thus holds it at most this long. Default 300,000 ms. 0 never ends it.
   */
  readonly idleInTransactionTimeoutMs?: number;
}

export function isPostgresUrl(x: unknown): x is string {
  return typeof x === 'string' && /^postgres(?:ql)?:\/\//i.test(x);
}

/** The URL without its password, for messages. */
function describe(url: string, schema: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.search = '';
    return `${u.toString()} (schema ${schema})`;
  } catch {
    return `PostgreSQL (schema ${schema})`;
  }
}

type Queryable = pg.Pool | pg.PoolClient;

function buf(b: Uint8Array): Buffer {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function plain(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function hex(b: Uint8Array): string {
  return buf(b).toString('hex');
}

/** A KeyRange as a WHERE clause over `k` with its parameters, its order and limit. */
function rangeSql(range: KeyRange, first = 1): { where: string; values: Buffer[]; order: string } {
  const conds: string[] = [];
  const values: Buffer[] = [];
  const add = (op: string, b: Uint8Array | undefined) => {
    if (b === undefined) return;
    values.push(buf(b));
    conds.push(`k ${op} $${first + values.length - 1}`);
  };
  add('>', range.gt);
  add('>=', range.gte);
  add('<', range.lt);
  add('<=', range.lte);
  return {
    where: conds.length ? `WHERE ${conds.join(' AND ')}` : '',
    values,
    order: range.reverse ? 'ORDER BY k DESC' : 'ORDER BY k',
  };
}

/** Reads over one queryable (the pool, or a snapshot's connection). */
class PgReader implements StoreReader {
  constructor(
    protected readonly q: () => Queryable,
    protected readonly kv: string,
    protected readonly fail: (err: unknown, what: string) => StorageError,
  ) {}

  protected async query(text: string, values: unknown[], what: string): Promise<pg.QueryResult> {
    try {
      return await this.q().query(text, values);
    } catch (err) {
      throw this.fail(err, what);
    }
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const r = await this.query(`SELECT v FROM ${this.kv} WHERE k = $1`, [buf(key)], 'read');
    return r.rows.length ? plain(r.rows[0].v) : undefined;
  }

  async getMany(keys: readonly Uint8Array[]): Promise<Array<Uint8Array | undefined>> {
    if (keys.length === 0) return [];
    const r = await this.query(
      `SELECT k, v FROM ${this.kv} WHERE k = ANY($1::bytea[])`,
      [keys.map(buf)],
      'read',
    );
    const by = new Map<string, Uint8Array>();
    for (const row of r.rows) by.set((row.k as Buffer).toString('hex'), plain(row.v));
    return keys.map((k) => by.get(hex(k)));
  }

  /** One page of the range: up to `limit` rows. */
  private async page(range: KeyRange, cols: string, limit: number): Promise<pg.QueryResult> {
    const { where, values, order } = rangeSql(range);
    return this.query(
      `SELECT ${cols} FROM ${this.kv} ${where} ${order} LIMIT ${Math.max(0, Math.floor(limit))}`,
      values,
      'range read',
    );
  }

  /** Keyset pagination: each page starts after the last key of the one before. */
  private async *pages(range: KeyRange, cols: string): AsyncGenerator<pg.QueryResult['rows']> {
    let left = range.limit ?? Number.POSITIVE_INFINITY;
    let r: KeyRange = range;
    while (left > 0) {
      const n = Math.min(PAGE, left);
      const res = await this.page(r, cols, n);
      if (res.rows.length) yield res.rows;
      if (res.rows.length < n) return;
      left -= res.rows.length;
      const last = plain(res.rows[res.rows.length - 1].k);
      r = range.reverse
        ? { gt: range.gt, gte: range.gte, lt: last, reverse: true }
        : { gt: last, lt: range.lt, lte: range.lte };
    }
  }

  async *iterate(range: KeyRange): AsyncGenerator<[Uint8Array, Uint8Array]> {
    for await (const rows of this.pages(range, 'k, v'))
      for (const row of rows) yield [plain(row.k), plain(row.v)];
  }

  async *keys(range: KeyRange): AsyncGenerator<Uint8Array> {
    for await (const rows of this.pages(range, 'k')) for (const row of rows) yield plain(row.k);
  }

  async all(range: KeyRange): Promise<Array<[Uint8Array, Uint8Array]>> {
    const out: Array<[Uint8Array, Uint8Array]> = [];
    for await (const kv of this.iterate(range)) out.push(kv);
    return out;
  }

  async allKeys(range: KeyRange): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for await (const k of this.keys(range)) out.push(k);
    return out;
  }
}

/**
 * A ledger's storage in PostgreSQL. `PostgresStore.open(url)` connects, checks (and with `createIfMissing`, creates
 * or migrates) the schema; `Ledger.open('postgres://…')` and `Ledger.create('postgres://…', …)` do this for you.
 */
export class PostgresStore extends PgReader implements LedgerStore {
  readonly kind = 'postgres';
  readonly writers = 'multi' as const;
  readonly maxKeyBytes = PG_MAX_KEY_BYTES;
  readonly state: StateRows;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
    private readonly where: string,
    private readonly timeouts: { readonly lock: number; readonly idle: number },
  ) {
    const s = `"${schema}"`;
    super(
      () => {
        if (this.closed) throw new StorageError('STORAGE_CLOSED', `${where} is closed`);
        return pool;
      },
      `${s}.kv`,
      (err, what) => pgError(err, `${where}: ${what}`),
    );
    this.state = new PgStateRows((text, values, what) => this.query(text, values, what), `"${schema}".state`);
  }

  private get t() {
    const s = `"${this.schema}"`;
    return { kv: `${s}.kv`, head: `${s}.head`, version: `${s}.schema_version`, state: `${s}.state` };
  }

  /**
   * Connects to the database at `url` (`postgres://user:password@host:port/database`, libpq-style parameters such
   * as `sslmode` pass through; `schema=name` picks the schema). With `createIfMissing`, creates the schema and its
   * tables or migrates older ones; without, an absent ledger is STORAGE_NOT_FOUND. A schema newer than this library
   * is refused (STORAGE_VERSION). With `readOnly`, nothing is created or migrated.
   */
  static async open(
    url: string,
    opts: PostgresStoreOptions & { readonly createIfMissing?: boolean; readonly readOnly?: boolean } = {},
  ): Promise<PostgresStore> {
    if (!isPostgresUrl(url)) throw new TypeError('url must be a postgres:// or postgresql:// URL');
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new TypeError('url is not a valid URL');
    }
    const schema = opts.schema ?? u.searchParams.get('schema') ?? DEFAULT_SCHEMA;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new TypeError('schema must be lowercase letters, digits and _, starting with a letter or _');
    u.searchParams.delete('schema');
    const poolSize = opts.poolSize ?? 4;
    if (!Number.isSafeInteger(poolSize) || poolSize < 2)
      throw new RangeError('poolSize must be an integer ≥ 2');
    const timeouts = { lock: opts.lockTimeoutMs ?? 60_000, idle: opts.idleInTransactionTimeoutMs ?? 300_000 };
    for (const [name, v] of [
      ['lockTimeoutMs', timeouts.lock],
      ['idleInTransactionTimeoutMs', timeouts.idle],
    ] as const)
      if (!Number.isSafeInteger(v) || v < 0 || v > 2_147_483_647)
        throw new RangeError(`${name} must be an integer number of milliseconds ≥ 0`);
    const where = describe(url, schema);
    const pool = new pg.Pool({ connectionString: u.toString(), max: poolSize, keepAlive: true });
    // An idle connection that breaks (server restart) must not crash the process: the next query reports it.
    pool.on('error', () => {});
    // Nor one that breaks while checked out (the server ended the session, e.g. its idle-in-transaction timeout): the
    // query in flight, or the next one, fails with the error, and a failed group commit drops the connection.
    pool.on('connect', (client) => client.on('error', () => {}));
    const store = new PostgresStore(pool, schema, where, timeouts);
    try {
      if (opts.createIfMissing && !opts.readOnly) await store.migrate();
      else await store.checkVersion(!opts.readOnly);
    } catch (err) {
      await pool.end().catch(() => {});
      throw pgError(err, where);
    }
    return store;
  }

  /** Creates the schema or brings it up to PG_SCHEMA_VERSION, in one transaction that locks out other migrators. */
  private async migrate(): Promise<void> {
    const t = this.t;
    for (let attempt = 0; ; attempt++) {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
        await c.query(
          `CREATE TABLE IF NOT EXISTS ${t.version} (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())`,
        );
        await c.query(`LOCK TABLE ${t.version} IN SHARE ROW EXCLUSIVE MODE`);
        const r = await c.query(`SELECT coalesce(max(version), 0) AS v FROM ${t.version}`);
        const have = Number(r.rows[0].v);
        if (have > PG_SCHEMA_VERSION) throw newer(this.where, have);
        for (let v = have + 1; v <= PG_SCHEMA_VERSION; v++) {
          for (const sql of MIGRATIONS[v - 1]!(t)) await c.query(sql);
          await c.query(`INSERT INTO ${t.version} (version) VALUES ($1)`, [v]);
        }
        await c.query('COMMIT');
        c.release();
        return;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => {});
        c.release();
        // Two first-time creators race on the catalog (CREATE … IF NOT EXISTS is not atomic): the loser retries.
        const code = (err as { code?: string }).code;
        if (attempt < 3 && (code === '23505' || code === '42P06' || code === '42P07')) continue;
        throw err;
      }
    }
  }

  /** Refuses an absent ledger (STORAGE_NOT_FOUND) or a schema newer than this library; migrates an older one. */
  private async checkVersion(mayMigrate: boolean): Promise<void> {
    const r = await this.pool.query('SELECT to_regclass($1) AS t', [this.t.version]);
    if (r.rows[0].t === null) throw new StorageError('STORAGE_NOT_FOUND', `${this.where}: no ledger here`);
    const v = Number(
      (await this.pool.query(`SELECT coalesce(max(version), 0) AS v FROM ${this.t.version}`)).rows[0].v,
    );
    if (v > PG_SCHEMA_VERSION) throw newer(this.where, v);
    if (v < PG_SCHEMA_VERSION) {
      if (!mayMigrate)
        throw new StorageError(
          'STORAGE_VERSION',
          `${this.where}: schema version ${v} predates this library's ${PG_SCHEMA_VERSION}; open it for writing once to migrate`,
        );
      await this.migrate();
    }
  }

  async head(): Promise<number> {
    const r = await this.query(`SELECT size FROM ${this.t.head}`, [], 'head');
    if (r.rows.length !== 1)
      throw new StorageError('STORAGE_CORRUPT', `${this.where}: the head row is missing`);
    return Number(r.rows[0].size);
  }

  async append(
    build: (head: number) => Promise<StoreCommit | undefined>,
    opts: { sync?: boolean } = {},
  ): Promise<void> {
    if (this.closed) throw new StorageError('STORAGE_CLOSED', `${this.where} is closed`);
    const t = this.t;
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (err) {
      throw pgError(err, `${this.where}: connect`);
    }
    let broken: unknown;
    try {
      let head: number;
      try {
        // READ COMMITTED whatever the database's default: after the head lock is granted, every later statement
        // sees what the previous holder committed (REPEATABLE READ would fail with a serialisation error instead).
        // One round trip: the statements go as one simple query (no parameters), results in order.
        const rs = (await c.query(
          [
            'BEGIN ISOLATION LEVEL READ COMMITTED',
            ...(opts.sync === false ? ['SET LOCAL synchronous_commit = off'] : []),
            // A hung holder of the lock makes us fail (STORAGE_LOCKED) rather than wait forever; if we hang holding
            // it, PostgreSQL ends our session and the lock is free again.
            `SET LOCAL lock_timeout = ${this.timeouts.lock}`,
            `SET LOCAL idle_in_transaction_session_timeout = ${this.timeouts.idle}`,
            `SELECT size FROM ${t.head} FOR UPDATE`,
          ].join('; '),
        )) as unknown as pg.QueryResult[];
        const r = rs[rs.length - 1]!;
        if (r.rows.length !== 1)
          throw new StorageError('STORAGE_CORRUPT', `${this.where}: the head row is missing`);
        head = Number(r.rows[0].size);
      } catch (err) {
        broken = err;
        throw pgError(err, `${this.where}: append`);
      }
      let commit: StoreCommit | undefined;
      try {
        commit = await build(head);
        if (commit) checkLogPuts(commit.puts);
      } catch (err) {
        await c.query('ROLLBACK').catch((e) => {
          broken = e;
        });
        throw err;
      }
      try {
        if (!commit) {
          await c.query('ROLLBACK');
          return;
        }
        // The rows and the new head in one statement (a data-modifying WITH runs whether or not it is read).
        await c.query(
          `WITH ins AS (INSERT INTO ${t.kv} (k, v) SELECT * FROM unnest($1::bytea[], $2::bytea[])) UPDATE ${t.head} SET size = $3`,
          [commit.puts.map((p) => buf(p.key)), commit.puts.map((p) => buf(p.value)), commit.head],
        );
        await c.query('COMMIT');
      } catch (err) {
        broken = err;
        await c.query('ROLLBACK').catch(() => {});
        throw pgError(err, `${this.where}: append`);
      }
    } finally {
      // A connection whose transaction failed is dropped, not reused: its state is unknown.
      c.release(broken instanceof Error ? broken : undefined);
    }
  }

  async snapshot(): Promise<StoreReader & { release(): Promise<void> }> {
    if (this.closed) throw new StorageError('STORAGE_CLOSED', `${this.where} is closed`);
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The snapshot is taken by the first statement, not by BEGIN: take it now.
      await c.query('SELECT 1');
    } catch (err) {
      throw pgError(err, `${this.where}: snapshot`);
    }
    const reader = new PgReader(
      () => c,
      this.t.kv,
      (err, what) => pgError(err, `${this.where}: ${what}`),
    );
    let done = false;
    return Object.assign(reader, {
      release: async () => {
        if (done) return;
        done = true;
        try {
          await c.query('COMMIT');
          c.release();
        } catch (err) {
          c.release(err as Error);
        }
      },
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

function newer(where: string, v: number): StorageError {
  return new StorageError(
    'STORAGE_VERSION',
    `${where}: schema version ${v} is newer than this library's ${PG_SCHEMA_VERSION}; upgrade enforcement-ledger`,
  );
}

/** Migration v (1-based) as SQL statements; each runs once, in order, in the migrating transaction. */
const MIGRATIONS: ReadonlyArray<(t: { kv: string; head: string; state: string }) => string[]> = [
  (t) => [
    `CREATE TABLE ${t.kv} (k bytea PRIMARY KEY, v bytea NOT NULL)`,
    `CREATE TABLE ${t.head} (one boolean PRIMARY KEY DEFAULT true CHECK (one), size bigint NOT NULL CHECK (size >= 0))`,
    `INSERT INTO ${t.head} (one, size) VALUES (true, 0)`,
  ],
  // 2: the mutable rows beside the log (witness state, content index), in their own table.
  (t) => [`CREATE TABLE ${t.state} (k bytea PRIMARY KEY, v bytea NOT NULL)`],
];

/**
 * State rows in PostgreSQL: their own table, never `kv`. Each compare-and-set is one autocommitted statement, so it
 * is atomic and, committed, durable: `INSERT … ON CONFLICT DO NOTHING` when the row must be absent; `UPDATE … WHERE
 * k = $1 AND v = $expected` otherwise — under READ COMMITTED a second writer's UPDATE waits for the first one's row
 * lock, then re-checks `v` against the committed row and updates nothing. One row is written, or none.
 */
class PgStateRows implements StateRows {
  constructor(
    private readonly query: (text: string, values: unknown[], what: string) => Promise<pg.QueryResult>,
    private readonly table: string,
  ) {}

  private checkKey(key: Uint8Array): void {
    if (key.length > PG_MAX_KEY_BYTES)
      throw new RangeError(`a state key is at most ${PG_MAX_KEY_BYTES} bytes, not ${key.length}`);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const r = await this.query(`SELECT v FROM ${this.table} WHERE k = $1`, [buf(key)], 'state read');
    return r.rows.length ? plain(r.rows[0].v) : undefined;
  }

  async list(prefix: Uint8Array): Promise<Array<[Uint8Array, Uint8Array]>> {
    const end = prefixEnd(prefix);
    const r = await this.query(
      `SELECT k, v FROM ${this.table} WHERE k >= $1${end ? ' AND k < $2' : ''} ORDER BY k`,
      end ? [buf(prefix), buf(end)] : [buf(prefix)],
      'state read',
    );
    return r.rows.map((row) => [plain(row.k), plain(row.v)] as [Uint8Array, Uint8Array]);
  }

  async compareAndSet(
    key: Uint8Array,
    expected: Uint8Array | undefined,
    value: Uint8Array,
  ): Promise<boolean> {
    this.checkKey(key);
    const r =
      expected === undefined
        ? await this.query(
            `INSERT INTO ${this.table} (k, v) VALUES ($1, $2) ON CONFLICT (k) DO NOTHING`,
            [buf(key), buf(value)],
            'state write',
          )
        : await this.query(
            `UPDATE ${this.table} SET v = $3 WHERE k = $1 AND v = $2`,
            [buf(key), buf(expected), buf(value)],
            'state write',
          );
    return r.rowCount === 1;
  }
}

/** A pg error (or a network error) as a StorageError with a stable code. */
export function pgError(err: unknown, where: string): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as { code?: string; message?: string };
  const msg = e?.message ?? String(err);
  const code = e?.code;
  if (code === '3D000') return new StorageError('STORAGE_NOT_FOUND', `${where}: ${msg}`, { cause: err });
  if (code === '55P03')
    return new StorageError(
      'STORAGE_LOCKED',
      `${where}: the append lock (head row) is held by another session beyond the lock timeout; a hung appender? (pg_stat_activity shows it)`,
      { cause: err },
    );
  if (code === 'XX001' || code === 'XX002')
    return new StorageError('STORAGE_CORRUPT', `${where}: ${msg}`, { cause: err });
  if (code === '23505')
    return new StorageError(
      'STORAGE_CORRUPT',
      `${where}: a key is already stored (the store was written outside the head lock); run verify`,
      { cause: err },
    );
  if (/after calling end on the pool|Client was closed/i.test(msg))
    return new StorageError('STORAGE_CLOSED', `${where} is closed`, { cause: err });
  return new StorageError('STORAGE_IO', `${where}: ${msg}${code ? ` (${code})` : ''}`, { cause: err });
}
