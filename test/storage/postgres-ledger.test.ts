/**
 * A ledger on PostgreSQL (a real server, test/setup/pg-database.ts): the same bytes as on LevelDB, verification the
 * same on both, several writers on one ledger (two Ledger objects with their own connections, interleaving), the
 * schema and its version table, and refusals with stable codes.
 */
import { MemoryLevel } from 'memory-level';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { LevelStore } from '../../src/ledger/level-store';
import { PG_SCHEMA_VERSION, PostgresStore } from '../../src/ledger/pg-store';
import { noteBody, noteKind, noteLedger, stepClock, testSigner, thingKind } from '../ledger/helpers';
import { freshDatabase } from '../setup/pg-database';

const root = testSigner(0);
const officer = testSigner(1);
const officer2 = testSigner(2);

async function sql(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe('a ledger on PostgreSQL', () => {
  it('stores exactly the bytes LevelDB stores, and verifies the same on both', async () => {
    const url = await freshDatabase();
    const mem = new MemoryLevel<Uint8Array, Uint8Array>();
    const build = async (at: string | MemoryLevel<Uint8Array, Uint8Array>) => {
      const l = await noteLedger(at, 'test.example/pg-same', root, officer);
      for (let i = 0; i < 40; i++) await l.append({ kind: 'test/note', body: noteBody(i) }, officer);
      await l.appendBatch(
        Array.from({ length: 30 }, (_, i) => ({ kind: 'test/note', body: noteBody(100 + i) })),
        officer,
      );
      const note = await l.checkpoint();
      const out = { size: l.size, root: await l.root(), note };
      await l.close();
      return out;
    };
    // The same clock on both: stepClock() in noteLedger.
    const onPg = await build(url);
    const onLevel = await build(mem);
    expect(onPg).toEqual(onLevel);
    const pgStore = await PostgresStore.open(url);
    try {
      const a = await pgStore.all({});
      const b = await new LevelStore(mem).all({});
      expect(a.length).toBeGreaterThan(70 * 2);
      expect(a).toEqual(b);
    } finally {
      await pgStore.close();
    }
    const r1 = await Ledger.verify(url, { kinds: [noteKind], checkpoints: [onPg.note] });
    const r2 = await Ledger.verify(mem, { kinds: [noteKind], checkpoints: [onPg.note] });
    expect(r1.ok).toBe(true);
    expect(r1.problems).toEqual([]);
    expect({ ...r1, durationMs: 0 }).toEqual({ ...r2, durationMs: 0 });
  });

  it('two writers on one ledger interleave: each catches up (keys, chain, tree) before it appends', async () => {
    const url = await freshDatabase();
    const a = await noteLedger(url, 'test.example/pg-two', root, officer);
    const b = await Ledger.open(url, {
      kinds: [noteKind],
      clock: stepClock(Date.UTC(2026, 2, 3)),
      checkpointSigner: root,
    });
    try {
      await a.append({ kind: 'test/note', body: noteBody(1) }, officer);
      // b has not seen a's key registration's successors; it catches up under the head lock.
      const rb = await b.append({ kind: 'test/note', body: noteBody(2) }, officer);
      expect(rb.seq).toBe(a.size);
      // A key registered through a is usable through b at once.
      await a.registerKey(
        { publicKey: officer2.publicKey, principal: 'officer-2', roles: ['officer'] },
        root,
      );
      const rb2 = await b.append({ kind: 'test/note', body: noteBody(3) }, officer2);
      // And a revocation through b binds a.
      await b.revokeKey(officer2.keyId, 'left the unit', root);
      expect(await codeOf(a.append({ kind: 'test/note', body: noteBody(4) }, officer2))).toBe(
        'SIGNER_REVOKED',
      );
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) =>
          a.append({ kind: 'test/note', body: noteBody(10 + i) }, officer),
        ),
        ...Array.from({ length: 20 }, (_, i) =>
          b.append({ kind: 'test/note', body: noteBody(40 + i) }, officer),
        ),
      ]);
      expect(await a.refresh()).toBe(await b.refresh());
      expect(a.size).toBe(rb2.seq + 2 + 40);
      expect(await a.root()).toEqual(await b.root());
      const report = await a.verify({ checkpoints: [await b.checkpoint()] });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      // Times never go backwards, although b's clock is a day ahead of a's.
      let last = 0;
      for await (const e of a.entries()) {
        expect(e.time).toBeGreaterThanOrEqual(last);
        last = e.time;
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an id another writer appended is refused here: the key filter holds what was caught up with', async () => {
    const url = await freshDatabase();
    const thing = (id: string) => ({ kind: 'test/thing', body: { id } });
    const a = await Ledger.create(url, {
      origin: 'test.example/pg-filter',
      signer: root,
      kinds: [thingKind(true)],
      clock: stepClock(),
    });
    await a.registerKey({ publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] }, root);
    const b = await Ledger.open(url, { kinds: [thingKind(true)], clock: stepClock(Date.UTC(2026, 2, 3)) });
    try {
      await a.append(thing('T-0'), officer);
      await b.append(thing('T-1'), officer);
      // The first check lookup of each handle started its filter's scan; let both finish.
      await new Promise((r) => setTimeout(r, 200));
      await a.append(thing('T-2'), officer);
      const issues = async (p: Promise<unknown>) => {
        try {
          await p;
          return [];
        } catch (err) {
          const e = err as { code?: string; issues?: Array<{ code: string; path: unknown }> };
          return (e.issues ?? [{ code: String(e.code), path: [] }]).map((i) => [i.code, i.path]);
        }
      };
      expect(await issues(b.append(thing('T-2'), officer))).toEqual([['duplicate_id', ['body', 'id']]]);
      expect(await issues(a.append(thing('T-1'), officer))).toEqual([['duplicate_id', ['body', 'id']]]);
      // Both at once with one new id: one is written, the other refused.
      const both = await Promise.all([
        issues(a.append(thing('T-9'), officer)),
        issues(b.append(thing('T-9'), officer)),
      ]);
      expect(both.map((x) => x.length).sort()).toEqual([0, 1]);
      expect(both.flat()).toEqual([['duplicate_id', ['body', 'id']]]);
      expect((await a.verify()).ok).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('several processes declaring the same kinds at once (servers starting together): each succeeds, once', async () => {
    const url = await freshDatabase();
    const first = await noteLedger(url, 'test.example/pg-declare', root, officer);
    const others = await Promise.all([1, 2, 3].map(() => Ledger.open(url)));
    const kinds = ['test/a', 'test/b'].map((kind) => ({ kind, roles: ['officer'] }));
    try {
      await Promise.all([first, ...others].map((l) => l.declareKinds(kinds, root)));
      let declared = 0;
      for await (const e of first.entries()) if (e.kind === 'core/kind.declare') declared++;
      // test/note (noteLedger) and the two new kinds, each once.
      expect(declared).toBe(3);
      expect((await first.verify()).ok).toBe(true);
    } finally {
      for (const l of [first, ...others]) await l.close();
    }
  });

  it('creates its schema with a version table; open of an empty database is STORAGE_NOT_FOUND', async () => {
    const url = await freshDatabase();
    expect(await codeOf(Ledger.open(url))).toBe('STORAGE_NOT_FOUND');
    expect(await codeOf(Ledger.verify(url))).toBe('STORAGE_NOT_FOUND');
    // Nothing was created by the refused open.
    const none = await sql(
      url,
      `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'enforcement_ledger'`,
    );
    expect(none.rows[0].n).toBe(0);
    const l = await noteLedger(url, 'test.example/pg-schema', root, officer);
    await l.close();
    const v = await sql(url, 'SELECT version FROM enforcement_ledger.schema_version ORDER BY version');
    expect(v.rows.map((r) => r.version)).toEqual([1, 2]);
    expect(PG_SCHEMA_VERSION).toBe(2);
    const head = await sql(url, 'SELECT size FROM enforcement_ledger.head');
    // The manifest, the note kind's declaration, the officer's key.
    expect(Number(head.rows[0].size)).toBe(3);
    // A version 1 schema (before the state table): reading refuses it, opening for writing migrates it in place.
    await sql(url, 'DROP TABLE enforcement_ledger.state');
    await sql(url, 'DELETE FROM enforcement_ledger.schema_version WHERE version = 2');
    expect(await codeOf(Ledger.verify(url))).toBe('STORAGE_VERSION');
    const migrated = await Ledger.open(url);
    expect(migrated.size).toBe(3);
    expect(await migrated.store.state.compareAndSet(Uint8Array.of(1), undefined, Uint8Array.of(2))).toBe(
      true,
    );
    await migrated.close();
    const after = await sql(url, 'SELECT version FROM enforcement_ledger.schema_version ORDER BY version');
    expect(after.rows.map((r) => r.version)).toEqual([1, 2]);
    expect((await Ledger.verify(url)).ok).toBe(true);
    expect(await codeOf(Ledger.create(url, { origin: 'x', signer: root }))).toBe('STORAGE_EXISTS');
    // A schema newer than this library is refused, for writing and for reading.
    await sql(url, 'INSERT INTO enforcement_ledger.schema_version (version) VALUES ($1)', [
      PG_SCHEMA_VERSION + 1,
    ]);
    expect(await codeOf(Ledger.open(url))).toBe('STORAGE_VERSION');
    expect(await codeOf(Ledger.verify(url))).toBe('STORAGE_VERSION');
  });

  it('keeps ledgers apart by schema (?schema=), and two racing creates make one ledger', async () => {
    const url = await freshDatabase();
    const [x, y] = [`${url}?schema=agency_a`, `${url}?schema=agency_b`];
    const results = await Promise.allSettled([
      Ledger.create(x, { origin: 'test.example/a', signer: root }),
      Ledger.create(x, { origin: 'test.example/a', signer: root }),
      Ledger.create(y, { origin: 'test.example/b', signer: root }),
    ]);
    const made = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(made).toHaveLength(2);
    expect(refused.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['STORAGE_EXISTS']);
    for (const r of made) await (r as PromiseFulfilledResult<Ledger>).value.close();
    const a = await Ledger.open(x);
    const b = await Ledger.open(y);
    try {
      expect([a.origin, a.size, b.origin, b.size]).toEqual(['test.example/a', 1, 'test.example/b', 1]);
      expect((await Ledger.verify(x)).ok).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('locates damage written behind its back, as on LevelDB', async () => {
    const url = await freshDatabase();
    const l = await noteLedger(url, 'test.example/pg-tamper', root, officer);
    for (let i = 0; i < 5; i++) await l.append({ kind: 'test/note', body: noteBody(i) }, officer);
    await l.close();
    // Flip one byte of entry 4's stored bytes.
    await sql(url, `UPDATE enforcement_ledger.kv SET v = set_byte(v, 20, get_byte(v, 20) # 1) WHERE k = $1`, [
      Buffer.from([0x65, 0, 0, 0, 0, 0, 0, 0, 4]),
    ]);
    const r = await Ledger.verify(url, { kinds: [noteKind] });
    expect(r.ok).toBe(false);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]!.seq).toBe(4);
  });

  it('refuses a bad URL or schema name, and an unreachable server with STORAGE_IO, without the password', async () => {
    await expect(PostgresStore.open('postgres://x@127.0.0.1/db?schema=Bad-Name')).rejects.toThrow(TypeError);
    await expect(PostgresStore.open('postgres://x@127.0.0.1/db', { poolSize: 1 })).rejects.toThrow(
      RangeError,
    );
    // Port 1 on loopback: nothing listens there.
    const err = await Ledger.open('postgres://someone:s3cret-pw@127.0.0.1:1/db').catch((e) => e);
    expect(err.code).toBe('STORAGE_IO');
    expect(err.message).not.toContain('s3cret-pw');
  });
});
