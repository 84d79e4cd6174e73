/**
 * Ingest's temporary file is written with O_DIRECT where possible (src/content/pass.ts, `Sink`): slots aligned by
 * probing, the last block written rounded up and the file truncated to its size. These tests check that the stored
 * bytes are exactly the source's at every alignment-sensitive size, on both write paths, that the direct path is the
 * one really taken on Linux, and that a file system refusing aligned writes falls back to buffered writes.
 */
import { constants, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { CHUNK_SIZE, FsContentStore } from '../../src/content';
import { Sink } from '../../src/content/pass';
import { StorageError } from '../../src/errors';
import {
  independentChunkRoot,
  opensslSha256,
  pieces,
  pseudoRandomBytes,
  tempDir,
  writeRandomFile,
} from './helpers';

const { dir, cleanup } = tempDir('el-direct-');
afterAll(cleanup);

const hasDirect = 'O_DIRECT' in constants;
const O_DIRECT_OCTAL = 0o40000; // Linux x86-64/arm64 value of O_DIRECT as shown in /proc/<pid>/fdinfo (octal flags)

/** The open flags of this process's descriptor on `path` (Linux /proc), or undefined when none is open. */
function openFlags(path: string): number | undefined {
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== path) continue;
    const m = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    return m === null ? undefined : Number.parseInt(m[1]!, 8);
  }
  return undefined;
}

const SIZES = [
  0,
  1,
  511,
  512,
  4095,
  4096,
  4097,
  CHUNK_SIZE - 1,
  CHUNK_SIZE,
  CHUNK_SIZE + 1,
  2 * CHUNK_SIZE + 4097,
];

describe('ingest with direct and buffered writes', () => {
  for (const directIO of [true, false]) {
    it(`directIO ${directIO}: stored bytes equal the source at every alignment-sensitive size (path and stream)`, async () => {
      const store = await FsContentStore.open(join(dir, `sizes-${directIO}`), { directIO });
      for (const [i, size] of SIZES.entries()) {
        const src = join(dir, `src-${directIO}-${size}.bin`);
        const bytes = writeRandomFile(src, size, 1000 + i);
        const ref = await store.put(src);
        const object = store.path(ref.digest);
        expect(statSync(object).size).toBe(size);
        expect(toHex(ref.digest)).toBe(opensslSha256(object));
        expect(Buffer.compare(readFileSync(object), bytes)).toBe(0);
        expect(toHex(ref.chunkRoot)).toBe(toHex(independentChunkRoot(bytes)));
      }
      // The same contents from streams in ragged pieces land on the same objects (deduplicated, unchanged).
      for (const [i, size] of SIZES.entries()) {
        const bytes = pseudoRandomBytes(size, 1000 + i);
        const ref = await store.put(pieces(bytes, 7 + i));
        expect(Buffer.compare(readFileSync(store.path(ref.digest)), bytes)).toBe(0);
      }
    });
  }

  it.runIf(process.platform === 'linux')(
    'on Linux the temporary file is really opened with O_DIRECT by default, and without it when directIO is false',
    async () => {
      const src = join(dir, 'flags.bin');
      writeRandomFile(src, 3 * CHUNK_SIZE, 42);
      for (const directIO of [true, false]) {
        const store = await FsContentStore.open(join(dir, `flags-${directIO}`), { directIO });
        const tmp = join(store.dir, 'tmp');
        const seen: number[] = [];
        await store.put(src, {
          onProgress: () => {
            for (const name of readdirSync(tmp)) {
              if (!name.endsWith('.data')) continue;
              const flags = openFlags(join(tmp, name));
              if (flags !== undefined) seen.push(flags);
            }
          },
        });
        expect(seen.length).toBeGreaterThan(0);
        for (const flags of seen) expect((flags & O_DIRECT_OCTAL) !== 0).toBe(directIO);
      }
    },
  );

  it.runIf(hasDirect)(
    'a file system that refuses every aligned direct write gets buffered writes on the same file',
    async () => {
      const path = join(dir, 'fallback.data');
      // Read-only mode, as ingest uses: the fallback must not need to reopen the file for writing (EACCES when not root).
      const sink = await Sink.create(path, 0o444);
      expect(sink.direct).toBe(true);
      // Stand-in for a device with an alignment no offset satisfies: every probe write fails with EINVAL.
      const handle = (sink as unknown as { handle: { write: (...a: unknown[]) => Promise<unknown> } }).handle;
      let probes = 0;
      handle.write = () => {
        probes++;
        return Promise.reject(Object.assign(new Error('EINVAL'), { code: 'EINVAL' }));
      };
      const sab = new SharedArrayBuffer(64 * 1024);
      const base = await sink.align(sab);
      expect(probes).toBeGreaterThan(100);
      expect(sink.direct).toBe(false);
      const view = new Uint8Array(sab, base, 5000);
      view.set(pseudoRandomBytes(5000, 9));
      await sink.write(view, 5000, 0);
      await sink.finish(5000);
      await sink.close();
      expect(Buffer.compare(readFileSync(path), Buffer.from(view))).toBe(0);
    },
  );

  it.runIf(hasDirect)(
    'a write error other than EINVAL during the probe is a StorageError STORAGE_IO, not a fallback',
    async () => {
      const sink = await Sink.create(join(dir, 'eio.data'), 0o600);
      const handle = (sink as unknown as { handle: { write: (...a: unknown[]) => Promise<unknown> } }).handle;
      handle.write = () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' }));
      const err = await sink.align(new SharedArrayBuffer(64 * 1024)).catch((e: unknown) => e);
      await sink.close();
      expect(sink.direct).toBe(true);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe('STORAGE_IO');
    },
  );

  it('directIO must be a boolean', async () => {
    await expect(FsContentStore.open(join(dir, 'bad'), { directIO: 'yes' as never })).rejects.toThrow(
      /directIO/,
    );
  });
});
