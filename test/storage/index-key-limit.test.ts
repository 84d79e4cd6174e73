/**
 * Index keys too long to store (docs/design/storage.md): an append whose index row is longer than every store allows
 * (1,024 characters), or longer in bytes than PostgreSQL's btree keeps (2,000), is refused with `too_large` and the
 * path of the field the key came from, before anything is signed or written; on LevelDB and on a real PostgreSQL.
 */
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import type { Ledger } from '../../src/ledger/ledger';
import { PostgresStore } from '../../src/ledger/pg-store';
import { freshDatabase } from '../setup/pg-database';
import { noteLedger, testSigner } from '../ledger/helpers';

const root = testSigner(1);
const officer = testSigner(2);

async function refusal(p: Promise<unknown>): Promise<ValidationError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

async function expectRefused(ledger: Ledger, topic: string, message: RegExp): Promise<void> {
  const size = ledger.size;
  const e = await refusal(ledger.append({ kind: 'test/note', body: { topic, text: 'x' } }, officer));
  expect(e.issues).toHaveLength(1);
  expect(e.issues[0]).toMatchObject({ code: 'too_large', path: ['body', 'topic'] });
  expect(e.issues[0]!.message).toMatch(message);
  expect(ledger.size).toBe(size);
  expect(await ledger.store.head()).toBe(size);
  // The same ledger still takes a key that fits, and verifies.
  await ledger.append({ kind: 'test/note', body: { topic: 'fits', text: 'x' } }, officer);
  expect((await ledger.verify()).ok).toBe(true);
}

describe('index keys too long to store', () => {
  it('LevelDB: a key over 1,024 characters is too_large at its field, nothing written', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>();
    const ledger = await noteLedger(db, 'test.example/long-keys', root, officer);
    try {
      // 1,100 characters: refused on every store (it used to be an uncoded TypeError).
      await expectRefused(ledger, 'k'.repeat(1100), /1110 characters long; at most 1024/);
      // 900 three-byte characters (2,700 bytes) fit LevelDB.
      await ledger.append({ kind: 'test/note', body: { topic: '案'.repeat(900), text: 'x' } }, officer);
    } finally {
      await ledger.close();
      await db.close();
    }
  });

  it('PostgreSQL: a key over 2,000 bytes is too_large at its field, nothing written', async () => {
    const url = await freshDatabase();
    const ledger = await noteLedger(url, 'test.example/long-keys-pg', root, officer);
    try {
      expect(ledger.store.maxKeyBytes).toBe(2000);
      // 900 three-byte characters: under 1,024 characters, but 2,700 bytes.
      await expectRefused(
        ledger,
        '案'.repeat(900),
        /-byte key; this postgres store keeps keys of at most 2000 bytes/,
      );
      await expectRefused(ledger, 'k'.repeat(1100), /characters long/);
      expect(ledger.store).toBeInstanceOf(PostgresStore);
    } finally {
      await ledger.close();
    }
  });
});
