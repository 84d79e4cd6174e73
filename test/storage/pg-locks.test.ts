/**
 * A hung appender on PostgreSQL (issue 16, docs/design/storage.md §Sequencing): a session that holds the head row
 * lock and never commits makes other appenders fail with STORAGE_LOCKED after their lock timeout, nothing written;
 * an appender that hangs inside its own group commit loses its session after the idle-in-transaction timeout, which
 * frees the lock for the others, and its append fails with nothing written. Real server, separate sessions.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/ledger/pg-store';
import { freshDatabase } from '../setup/pg-database';

const b = (...xs: number[]) => Uint8Array.from(xs);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe('a hung appender on PostgreSQL', () => {
  it('a session holding the append lock makes an append fail with STORAGE_LOCKED after the lock timeout, nothing written', async () => {
    const url = await freshDatabase();
    const store = await PostgresStore.open(url, { createIfMissing: true, lockTimeoutMs: 300 });
    const hung = new pg.Client({ connectionString: url });
    await hung.connect();
    try {
      await hung.query('BEGIN');
      await hung.query('SELECT size FROM enforcement_ledger.head FOR UPDATE');
      let built = 0;
      const append = store.append(async (head) => {
        built++;
        return { puts: [{ key: b(0x65, 0), value: b(1) }], head: head + 1 };
      });
      expect(await codeOf(append)).toBe('STORAGE_LOCKED');
      await expect(append).rejects.toThrow(/append lock/);
      expect(built).toBe(0);
      expect(await store.head()).toBe(0);
      expect(await store.allKeys({})).toEqual([]);
      // Once the holder lets go, appends go through again.
      await hung.query('ROLLBACK');
      await store.append(async (head) => ({ puts: [{ key: b(0x65, 0), value: b(1) }], head: head + 1 }));
      expect(await store.head()).toBe(1);
    } finally {
      await hung.end().catch(() => {});
      await store.close();
    }
  });

  it('an appender that hangs inside its group commit loses its session, the lock is freed, and its append writes nothing', async () => {
    const url = await freshDatabase();
    const stuck = await PostgresStore.open(url, { createIfMissing: true, idleInTransactionTimeoutMs: 300 });
    // The other appender waits up to 60 s (the default) for the lock: it gets it when PostgreSQL ends the stuck one.
    const other = await PostgresStore.open(url);
    try {
      let resume!: () => void;
      const paused = new Promise<void>((r) => {
        resume = r;
      });
      let started!: () => void;
      const inside = new Promise<void>((r) => {
        started = r;
      });
      const hung = stuck.append(async (head) => {
        started();
        await paused; // holds the head row lock, idle in its transaction
        return { puts: [{ key: b(0x65, 9), value: b(9) }], head: head + 1 };
      });
      await inside;
      await other.append(async (head) => ({ puts: [{ key: b(0x65, 0), value: b(1) }], head: head + 1 }));
      expect(await other.head()).toBe(1);
      resume();
      expect(await codeOf(hung)).toBe('STORAGE_IO');
      expect(await other.allKeys({})).toEqual([b(0x65, 0)]);
      expect(await other.head()).toBe(1);
      // The stuck store's pool replaces the dead connection: it appends again.
      await stuck.append(async (head) => ({ puts: [{ key: b(0x65, 1), value: b(2) }], head: head + 1 }));
      expect(await other.head()).toBe(2);
    } finally {
      await other.close();
      await stuck.close();
    }
  });

  it('refuses timeouts that are not milliseconds', async () => {
    const url = await freshDatabase();
    await expect(PostgresStore.open(url, { lockTimeoutMs: -1 })).rejects.toThrow(RangeError);
    await expect(PostgresStore.open(url, { idleInTransactionTimeoutMs: 1.5 })).rejects.toThrow(RangeError);
  });
});
