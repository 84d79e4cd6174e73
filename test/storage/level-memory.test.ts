/**
 * Issue 13, constant memory: LevelDB maps each table file it opens and keeps it mapped while the table is in its
 * table cache, so the pages a full verification leaves resident are bounded by (table cache) × (table size)
 * (docs/design/storage.md §Memory). Every handle the ledger opens on a folder writes tables of TABLE_FILE_BYTES; the
 * handle verification opens only to read keeps LevelDB's smallest table cache — in place, and through the private
 * copy it reads when a writer holds the folder. The options are asserted where they reach classic-level.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const opened = vi.hoisted(() => ({
  handles: [] as Array<{ location: string; options: Record<string, unknown> }>,
}));
vi.mock('classic-level', async (importOriginal) => {
  const real = await importOriginal<typeof import('classic-level')>();
  class RecordingLevel<K, V> extends real.ClassicLevel<K, V> {
    constructor(location: string, options?: Record<string, unknown>) {
      super(location, options as never);
      opened.handles.push({ location, options: { ...options } });
    }
  }
  return { ...real, ClassicLevel: RecordingLevel };
});

const { Ledger } = await import('../../src/ledger');
const { MIRROR_PREFIX, READ_MAX_OPEN_FILES, TABLE_FILE_BYTES } = await import('../../src/ledger/level-store');
const { noteKind, noteLedger, noteBody, tempDir, testSigner } = await import('../ledger/helpers');

const root = testSigner(1);
const officer = testSigner(2);
let tmp: { dir: string; cleanup: () => void };
let dir: string;

beforeAll(async () => {
  tmp = tempDir('el-level-memory-');
  dir = `${tmp.dir}/l`;
  const l = await noteLedger(dir, 'test.example/level-memory', root, officer);
  await l.appendBatch(
    Array.from({ length: 20 }, (_, i) => ({ kind: 'test/note', body: noteBody(i) })),
    officer,
  );
  await l.close();
});
afterAll(() => tmp.cleanup());

/** The handles opened while `fn` ran. */
async function handlesOf(fn: () => Promise<unknown>) {
  const before = opened.handles.length;
  await fn();
  return opened.handles.slice(before);
}

describe('LevelDB handles: table size and table cache', () => {
  it('are within what LevelDB accepts (it clamps max_file_size to ≥ 1 MiB, max_open_files to ≥ 74)', () => {
    expect(TABLE_FILE_BYTES).toBeGreaterThanOrEqual(1 << 20);
    expect(TABLE_FILE_BYTES).toBeLessThan(2 << 20); // below LevelDB's default, or the bound gains nothing
    expect(READ_MAX_OPEN_FILES).toBe(74); // a table cache of 64 tables (max_open_files − 10)
  });

  it('a writer writes tables of TABLE_FILE_BYTES and keeps the default table cache', async () => {
    const hs = await handlesOf(async () => (await Ledger.open(dir, { kinds: [noteKind] })).close());
    expect(hs).toHaveLength(1);
    expect(hs[0]!.location).toBe(dir);
    expect(hs[0]!.options.maxFileSize).toBe(TABLE_FILE_BYTES);
    expect(hs[0]!.options.maxOpenFiles).toBeUndefined();
  });

  it('Ledger.verify reads the folder in place through a bounded table cache', async () => {
    let ok = false;
    const hs = await handlesOf(async () => {
      ok = (await Ledger.verify(dir, { kinds: [noteKind] })).ok;
    });
    expect(ok).toBe(true);
    // The folder, held (locked) but not read, and the mirror of it that is read and recycled (level-recycle.test.ts).
    expect(hs).toHaveLength(2);
    expect(hs[0]!.location).toBe(dir);
    expect(hs[1]!.location.startsWith(`${dir}/${MIRROR_PREFIX}`)).toBe(true);
    for (const h of hs)
      expect(h.options).toMatchObject({
        maxOpenFiles: READ_MAX_OPEN_FILES,
        maxFileSize: TABLE_FILE_BYTES,
      });
  });

  it('so does the private copy verify reads while a writer holds the folder', async () => {
    const writer = await Ledger.open(dir, { kinds: [noteKind] });
    try {
      let ok = false;
      const hs = await handlesOf(async () => {
        ok = (await Ledger.verify(dir, { kinds: [noteKind] })).ok;
      });
      expect(ok).toBe(true);
      // The attempt in place (refused: locked), then the copy elsewhere: both bounded.
      expect(hs.map((h) => h.location === dir)).toEqual([true, false]);
      for (const h of hs) expect(h.options.maxOpenFiles).toBe(READ_MAX_OPEN_FILES);
    } finally {
      await writer.close();
    }
  });
});
