/**
 * The content index through the storage boundary (FsContentStore with `index`: sizes, chunk hashes and purge
 * markers in LedgerStore.state, bytes on the file system). The same ingest / tamper / verify / purge / re-ingest on
 * the file-only store, on LevelDB and on PostgreSQL gives the same reports; on PostgreSQL, two servers (two store
 * handles, two content stores on one shared folder) agree on what is stored and what was purged.
 */
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { FsContentStore, verifyContent } from '../../src/content';
import { LevelStore } from '../../src/ledger/level-store';
import { PostgresStore } from '../../src/ledger/pg-store';
import type { LedgerStore } from '../../src/ledger/store';
import { MiB, pseudoRandomBytes, tempDir } from '../content/helpers';
import { freshDatabase } from '../setup/pg-database';

const { dir, cleanup } = tempDir('el-cindex-');
afterAll(cleanup);
let n = 0;

async function* once(bytes: Uint8Array) {
  yield bytes;
}

/** Flips one byte of a stored object in place. */
async function flip(path: string, at: number): Promise<void> {
  chmodSync(path, 0o644);
  const fh = await open(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at);
    b[0]! ^= 0xff;
    await fh.write(b, 0, 1, at);
  } finally {
    await fh.close();
  }
}

/** Ingest, verify, tamper, purge, re-ingest: every observation, in order, as plain data. */
async function scenario(index: LedgerStore | undefined): Promise<unknown[]> {
  const folder = join(dir, `s${++n}`);
  const store = await FsContentStore.open(folder, index === undefined ? {} : { index });
  const small = pseudoRandomBytes(3000, 1);
  const big = pseudoRandomBytes(2 * MiB + 17, 2);
  const a = await store.put(once(small));
  const b = await store.put(once(big));
  expect(await store.put(once(small))).toEqual(a); // storing it again keeps the object
  const out: unknown[] = [];
  const look = async (label: string, ref: typeof a) =>
    out.push({
      label,
      has: await store.has(ref.digest),
      stat: await store.stat(ref.digest),
      chunks: (await store.chunkHashes(ref.digest))?.length,
      purgedBy: await store.purgedBy(ref.digest),
      check: await verifyContent(store, ref),
    });
  await look('stored a', a);
  await look('stored b', b);
  await flip(store.path(b.digest), MiB + 5);
  await look('b with one byte changed in chunk 1', b);
  out.push({ removed: await store.removeForPurge(a.digest, 7) });
  await look('a purged by 7', a);
  out.push({ removedAgain: await store.removeForPurge(a.digest, 7) });
  await expect(
    new Promise((_, reject) => store.get(a.digest).on('error', reject).resume()),
  ).rejects.toMatchObject({
    code: 'STORAGE_CONTENT_MISSING',
  });
  expect(await store.put(once(small))).toEqual(a);
  await look('a stored again', a);
  // Where the metadata lives: files beside the objects, or state rows (no sidecar, no tombstone file).
  const shard = readdirSync(join(folder, 'objects', toHex(a.digest).slice(0, 2)));
  out.push({ sidecarFiles: shard.filter((f) => f.endsWith('.chunks') || f.endsWith('.purged')).length > 0 });
  if (index !== undefined) {
    const rows = await index.state.list(Uint8Array.of(0x63));
    out.push({ rows: rows.map(([k, v]) => [k.length, v[0]]) });
    expect(await index.allKeys({})).toEqual([]); // nothing in the log's keyspace
  }
  return out;
}

describe('the content index through the storage boundary', () => {
  it('the same ingest, tamper, verify, purge and re-ingest give the same reports on files, LevelDB and PostgreSQL', async () => {
    const files = await scenario(undefined);
    const mem = new MemoryLevel<Uint8Array, Uint8Array>();
    await mem.open();
    const level = new LevelStore(mem, true);
    const pg = await PostgresStore.open(await freshDatabase(), { createIfMissing: true });
    try {
      const onLevel = await scenario(level);
      const onPg = await scenario(pg);
      // The checks themselves: stored and verified, a changed byte located, a purge named by its seq.
      expect(files[0]).toMatchObject({
        has: true,
        stat: { size: 3000 },
        chunks: 32,
        check: { status: 'ok' },
      });
      expect(files[1]).toMatchObject({ stat: { size: 2 * MiB + 17 }, chunks: 96 });
      expect(files[2]).toMatchObject({ check: { status: 'modified', changedChunks: [{ index: 1 }] } });
      expect(files[3]).toEqual({ removed: true });
      expect(files[4]).toMatchObject({ has: false, purgedBy: 7, check: { status: 'missing', purgeSeq: 7 } });
      expect(files[5]).toEqual({ removedAgain: false });
      expect(files[6]).toMatchObject({ has: true, purgedBy: undefined, check: { status: 'ok' } });
      // LevelDB and PostgreSQL answer exactly as the files did; only where the metadata lives differs.
      expect(onLevel.slice(0, 7)).toEqual(files.slice(0, 7));
      expect(onPg.slice(0, 7)).toEqual(files.slice(0, 7));
      expect(files[7]).toEqual({ sidecarFiles: true });
      for (const r of [onLevel, onPg]) {
        expect(r[7]).toEqual({ sidecarFiles: false });
        // Two rows of 'c' ‖ 32-byte digest: a (stored again: 0x01) and b (stored: 0x01).
        expect(r[8]).toEqual({
          rows: [
            [33, 1],
            [33, 1],
          ],
        });
      }
    } finally {
      await pg.close();
      await level.close();
    }
  });

  it('two servers on one PostgreSQL and one shared folder agree on what is stored and what was purged', async () => {
    const url = await freshDatabase();
    const pa = await PostgresStore.open(url, { createIfMissing: true });
    const pb = await PostgresStore.open(url);
    try {
      const folder = join(dir, 'shared');
      const one = await FsContentStore.open(folder, { index: pa });
      const two = await FsContentStore.open(folder, { index: pb });
      const bytes = pseudoRandomBytes(MiB + 1, 3);
      const [r1, r2] = await Promise.all([one.put(once(bytes)), two.put(once(bytes))]);
      expect(r2).toEqual(r1);
      expect(await two.has(r1.digest)).toBe(true);
      expect(await two.chunkHashes(r1.digest)).toEqual(await one.chunkHashes(r1.digest));
      expect((await verifyContent(two, r1)).status).toBe('ok');
      expect(await two.removeForPurge(r1.digest, 12)).toBe(true);
      expect(await one.has(r1.digest)).toBe(false);
      expect(await one.purgedBy(r1.digest)).toBe(12);
      expect(await verifyContent(one, r1)).toMatchObject({ status: 'missing', purgeSeq: 12 });
      // A row without its file (bytes lost on the shared folder) is not "stored": verification reports it missing.
      await one.put(once(bytes));
      rmSync(one.path(r1.digest), { force: true });
      expect(await two.has(r1.digest)).toBe(false);
      expect(await verifyContent(two, r1)).toMatchObject({ status: 'missing' });
    } finally {
      await pb.close();
      await pa.close();
    }
  });
});
