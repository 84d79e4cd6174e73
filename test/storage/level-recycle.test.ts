/**
 * Issue 13, constant memory: the handle verification reads through is closed and opened again every so many bytes
 * (`readRecycling`), so the table files LevelDB maps stay few however long the read (docs/design/storage.md §Memory
 * of a full read). In place, the folder stays locked by a first handle while a second reads a mirror of hard links
 * inside it. Observed here: the mapped table files (/proc/self/maps, Linux), the reopens, the lock, the mirror's
 * removal, and the same verification report with a reopen before every read, on an intact and on a damaged store.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import {
  LevelStore,
  MIRROR_PREFIX,
  TABLE_FILE_BYTES,
  openForReading,
  readRecycling,
} from '../../src/ledger/level-store';
import { noteBody, noteKind, noteLedger, tempDir, testSigner } from '../ledger/helpers';

let tmp: { dir: string; cleanup: () => void };
/** A bare LevelDB folder of 7 MB in tables of about 1 MiB. */
let raw: string;
const KEYS = 3500;

beforeAll(async () => {
  tmp = tempDir('el-level-recycle-');
  raw = join(tmp.dir, 'raw');
  // Write buffers of 1 MiB: LevelDB flushes each to a table of about that size.
  const db = new ClassicLevel<Uint8Array, Uint8Array>(raw, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    writeBufferSize: 1 << 20,
    maxFileSize: TABLE_FILE_BYTES,
  });
  await db.open();
  for (let b = 0; b < KEYS; b += 100) {
    const ops = [];
    for (let i = b; i < b + 100; i++)
      ops.push({ type: 'put' as const, key: Uint8Array.of(0x65, i >> 8, i & 255), value: randomBytes(2000) });
    await db.batch(ops);
  }
  await db.close();
});
afterAll(() => tmp.cleanup());
const everyBytes = readRecycling.everyBytes;
afterEach(() => {
  readRecycling.everyBytes = everyBytes;
});

const tables = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.ldb')).length;

/** Table files of `dir` (or of a mirror inside it) mapped in this process. */
function mappedTables(dir: string): number {
  const lines = readFileSync('/proc/self/maps', 'utf8').split('\n');
  return new Set(
    lines.filter((l) => l.includes(`${dir}/`) && l.endsWith('.ldb')).map((l) => l.split(/\s+/).pop()),
  ).size;
}

/** Every key and value, read as verification reads the entries: pages of 256. */
async function readAll(store: LevelStore): Promise<string[]> {
  const out: string[] = [];
  let after: Uint8Array | undefined;
  for (;;) {
    const page = await store.all(after ? { gt: after, limit: 256 } : { limit: 256 });
    for (const [k, v] of page)
      out.push(`${Buffer.from(k).toString('hex')}:${Buffer.from(v).toString('base64')}`);
    if (page.length < 256) return out;
    after = page[page.length - 1]![0];
  }
}

describe('the reading handle is recycled', () => {
  it.skipIf(!existsSync('/proc/self/maps'))(
    'a full read leaves the tables read since the last reopen mapped, not every table; same keys and values',
    async () => {
      expect(await tables(raw)).toBeGreaterThanOrEqual(5);
      const plain = await openForReading(raw, { recycleBytes: 0 });
      let all: string[];
      let mappedPlain: number;
      try {
        all = await readAll(plain.db);
        mappedPlain = mappedTables(raw);
        expect(plain.db.reopens).toBe(0);
      } finally {
        await plain.close();
      }
      expect(all).toHaveLength(KEYS);
      expect(mappedPlain).toBeGreaterThanOrEqual(5);
      expect(mappedTables(raw)).toBe(0); // closing unmaps

      const recycled = await openForReading(raw, { recycleBytes: 256 << 10 });
      try {
        expect(await readAll(recycled.db)).toEqual(all);
        expect(recycled.db.reopens).toBe(Math.ceil(KEYS / 256) - 1); // a page is 512 KB: a reopen before each but the first
        expect(mappedTables(raw)).toBeLessThanOrEqual(2);
      } finally {
        await recycled.close();
      }
    },
  );

  it.skipIf(!existsSync('/proc/self/maps'))(
    'reading keys alone counts the table bytes they span: a keys-only count reopens and leaves few tables mapped',
    async () => {
      const r = await openForReading(raw, { recycleBytes: 256 << 10 });
      try {
        // 4,096 keys a page: the whole store in one page, then a second, empty one; bytes of keys alone (3 × 3,500)
        // would never reach 256 KiB.
        expect(await r.db.countKeys({})).toBe(KEYS);
        expect(r.db.reopens).toBeGreaterThanOrEqual(1);
        expect(mappedTables(raw)).toBeLessThanOrEqual(2);
      } finally {
        await r.close();
      }
    },
  );

  it('in place: the folder stays locked while a mirror inside it is read; the mirror is removed on close', async () => {
    const r = await openForReading(raw, { recycleBytes: 1 });
    try {
      expect(r.copied).toBe(false);
      const mirrors = (await readdir(raw)).filter((f) => f.startsWith(MIRROR_PREFIX));
      expect(mirrors).toHaveLength(1);
      await expect(LevelStore.open(raw, { createIfMissing: false })).rejects.toMatchObject({
        code: 'STORAGE_LOCKED',
      });
      await readAll(r.db);
      expect(r.db.reopens).toBe(Math.ceil(KEYS / 256) - 1); // before every page but the first
      // Still locked after every reopen: the reads reopen the mirror, never the folder.
      await expect(LevelStore.open(raw, { createIfMissing: false })).rejects.toMatchObject({
        code: 'STORAGE_LOCKED',
      });
    } finally {
      await r.close();
    }
    expect((await readdir(raw)).filter((f) => f.startsWith(MIRROR_PREFIX))).toEqual([]);
    await (await LevelStore.open(raw, { createIfMissing: false })).close();
  });

  it('a mirror left by a process that ended without closing is removed by the next reader', async () => {
    const stale = join(raw, `${MIRROR_PREFIX}stale`);
    await mkdir(stale);
    await writeFile(join(stale, '000001.ldb'), 'x');
    const r = await openForReading(raw);
    try {
      expect(existsSync(stale)).toBe(false);
    } finally {
      await r.close();
    }
  });

  it('a mirror left by a process that ended without closing is removed by a writer opening the folder', async () => {
    const stale = join(raw, `${MIRROR_PREFIX}stale`);
    await mkdir(stale);
    await writeFile(join(stale, '000001.ldb'), 'x');
    await (await LevelStore.open(raw, { createIfMissing: false })).close();
    expect(existsSync(stale)).toBe(false);
  });

  it('an iterator left open holds the handle: no reopen until it is closed', async () => {
    const r = await openForReading(raw, { recycleBytes: 1 });
    try {
      const it = r.db.iterate({});
      const first = await it.next();
      expect(first.done).toBe(false);
      await r.db.get(Uint8Array.of(0x65, 0, 1));
      await r.db.getMany([Uint8Array.of(0x65, 0, 2)]);
      expect(r.db.reopens).toBe(0);
      let n = 1;
      for await (const _ of { [Symbol.asyncIterator]: () => it }) n++;
      expect(n).toBe(KEYS);
      await r.db.get(Uint8Array.of(0x65, 0, 1));
      expect(r.db.reopens).toBe(1);
    } finally {
      await r.close();
    }
  });
});

describe('counting keys on a recycled handle', () => {
  it('counts in pages, each its own call (reopens between them), and gives the same counts', async () => {
    // 10,000 small keys with bytes of every value: more than one page (4,096 keys) of counting.
    const dir = join(tmp.dir, 'many');
    const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    await db.batch(
      Array.from({ length: 10_000 }, (_, i) => ({
        type: 'put' as const,
        key: Uint8Array.of(0x69, (i * 7919) & 255, i >> 8, i & 255),
        value: Uint8Array.of(i & 255),
      })),
    );
    await db.close();
    const ranges = [
      {},
      { gte: Uint8Array.of(0x69, 0x80), lt: Uint8Array.of(0x69, 0xff, 3) },
      { gt: Uint8Array.of(0x69, 7), lte: Uint8Array.of(0x69, 0x90, 0xff) },
    ];
    const plain = await openForReading(dir, { recycleBytes: 0 });
    let want: number[];
    try {
      want = await Promise.all(ranges.map(async (r) => (await plain.db.allKeys(r)).length));
      for (const [i, r] of ranges.entries()) expect(await plain.db.countKeys(r)).toBe(want[i]);
    } finally {
      await plain.close();
    }
    expect(want[0]).toBe(10_000);
    expect(want[1]).toBeGreaterThan(4096);
    const recycled = await openForReading(dir, { recycleBytes: 1 });
    try {
      expect(await recycled.db.countKeys(ranges[0]!)).toBe(want[0]);
      expect(recycled.db.reopens).toBeGreaterThanOrEqual(2); // three pages at least, a reopen before each but the first
      for (const [i, r] of ranges.entries()) expect(await recycled.db.countKeys(r)).toBe(want[i]);
    } finally {
      await recycled.close();
    }
  });
});

describe('verification with a reopen before every read', () => {
  const root = testSigner(1);
  const officer = testSigner(2);

  it('gives the same report as without, on an intact ledger and on one with a damaged table', async () => {
    const dir = join(tmp.dir, 'ledger');
    const l = await noteLedger(dir, 'test.example/level-recycle', root, officer);
    await l.appendBatch(
      Array.from({ length: 600 }, (_, i) => ({ kind: 'test/note', body: noteBody(i) })),
      officer,
    );
    await l.close();
    // Reopening turns the write-ahead log into a table file (the bytes damaged below).
    await (await LevelStore.open(dir, { createIfMissing: false })).close();
    const verify = async (every: number) => {
      readRecycling.everyBytes = every;
      return Ledger.verify(dir, { kinds: [noteKind] });
    };
    const intact = await verify(0);
    expect(intact.ok).toBe(true);
    expect(await verify(1)).toEqual(intact);

    const table = (await readdir(dir)).find((f) => f.endsWith('.ldb'))!;
    const bytes = await readFile(join(dir, table));
    bytes[Math.floor(bytes.length / 5)]! ^= 0x10;
    await writeFile(join(dir, table), bytes);
    const damaged = await verify(0);
    expect(damaged.ok).toBe(false);
    expect(await verify(1)).toEqual(damaged);
  });
});
