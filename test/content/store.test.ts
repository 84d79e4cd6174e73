/**
 * FsContentStore: layout, dedup, reads, concurrency (same process and two processes), abort, backpressure, stale
 * temp cleanup, misuse.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { FsContentStore, hashFile } from '../../src/content';
import { StorageError } from '../../src/errors';
import { MiB, listFiles, pieces, pseudoRandomBytes, startChild, tempDir, writeRandomFile } from './helpers';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of stream) parts.push(Buffer.from(p));
  return Buffer.concat(parts);
}

describe('FsContentStore', () => {
  it('stores under objects/<hex[0..2]>/<hex> with a sidecar, read-only; stores identical content once', async () => {
    const root = join(dir, 's1');
    const store = await FsContentStore.open(root);
    const file = join(dir, 'a.bin');
    const bytes = writeRandomFile(file, 2 * MiB + 9, 1);
    const ref = await store.put(file);
    const hex = toHex(ref.digest);
    expect(store.path(ref.digest)).toBe(join(root, 'objects', hex.slice(0, 2), hex));
    expect(store.path(hex.toUpperCase())).toBe(store.path(ref.digest));
    expect(listFiles(join(root, 'objects'))).toEqual([
      `${hex.slice(0, 2)}/${hex}`,
      `${hex.slice(0, 2)}/${hex}.chunks`,
    ]);
    expect(statSync(store.path(hex)).mode & 0o777).toBe(0o444);
    expect((await store.chunkHashes(hex))!.length).toBe(3 * 32);
    expect(await store.put(pieces(bytes, 5))).toEqual(ref);
    expect(listFiles(join(root, 'objects'))).toHaveLength(2);
    expect(listFiles(join(root, 'tmp'))).toEqual([]);
    expect(await store.has(ref.digest)).toBe(true);
    expect(await store.stat(ref.digest)).toEqual({ size: bytes.length });
    const other = new Uint8Array(32);
    expect(await store.has(other)).toBe(false);
    expect(await store.stat(other)).toBeUndefined();
  });

  it('get streams the bytes, or a byte range [start, end); a missing object errors STORAGE_CONTENT_MISSING', async () => {
    const store = await FsContentStore.open(join(dir, 's2'));
    const bytes = pseudoRandomBytes(3 * MiB + 1, 2);
    const ref = await store.put(pieces(bytes, 2));
    expect((await readAll(store.get(ref.digest))).equals(bytes)).toBe(true);
    const part = await readAll(store.get(ref.digest, { start: MiB - 3, end: 2 * MiB + 4 }));
    expect(part.equals(bytes.subarray(MiB - 3, 2 * MiB + 4))).toBe(true);
    const missing = readAll(store.get(new Uint8Array(32).fill(7)));
    await expect(missing).rejects.toBeInstanceOf(StorageError);
    await expect(missing).rejects.toMatchObject({ code: 'STORAGE_CONTENT_MISSING' });
  });

  it('concurrent puts of the same content in one process all succeed, one object remains', async () => {
    const root = join(dir, 's3');
    const store = await FsContentStore.open(root);
    const file = join(dir, 'c.bin');
    const bytes = writeRandomFile(file, 9 * MiB + 5, 3);
    const refs = await Promise.all([
      store.put(file),
      store.put(file),
      store.put(pieces(bytes, 9)),
      store.put(file),
    ]);
    for (const r of refs) expect(r).toEqual(refs[0]);
    expect(listFiles(join(root, 'objects'))).toHaveLength(2);
    expect(listFiles(join(root, 'tmp'))).toEqual([]);
    expect(readFileSync(store.path(refs[0]!.digest)).equals(bytes)).toBe(true);
  });

  it('two processes putting the same file at once both succeed, one object remains', async () => {
    const root = join(dir, 's4');
    const file = join(dir, 'd.bin');
    writeRandomFile(file, 40 * MiB + 3, 4);
    const expected = await hashFile(file);
    const a = await startChild(['put', root, file]);
    const b = await startChild(['put', root, file]);
    const [la, lb] = await Promise.all([a.waitFor(/^ref /), b.waitFor(/^ref /)]);
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const line = `ref ${toHex(expected.digest)} ${toHex(expected.chunkRoot)}`;
    expect([la, lb]).toEqual([line, line]);
    expect(listFiles(join(root, 'objects'))).toHaveLength(2);
    expect(listFiles(join(root, 'tmp'))).toEqual([]);
    const store = await FsContentStore.open(root);
    expect(await hashFile(store.path(expected.digest))).toEqual(expected);
  });

  it('an aborted put rejects with the abort reason and leaves nothing behind', async () => {
    const root = join(dir, 's5');
    const store = await FsContentStore.open(root);
    const ctl = new AbortController();
    const bytes = pseudoRandomBytes(8 * MiB, 5);
    const put = store.put(pieces(bytes, 5), {
      signal: ctl.signal,
      onProgress: (p) => {
        if (p.bytesDone >= 2 * MiB) ctl.abort();
      },
    });
    await expect(put).rejects.toMatchObject({ name: 'AbortError' });
    const file = join(dir, 'abort.bin');
    writeFileSync(file, bytes);
    const ctl2 = new AbortController();
    const put2 = store.put(file, {
      signal: ctl2.signal,
      onProgress: (p) => {
        if (p.bytesDone >= 3 * MiB) ctl2.abort();
      },
    });
    await expect(put2).rejects.toMatchObject({ name: 'AbortError' });
    expect(listFiles(join(root, 'objects'))).toEqual([]);
    expect(listFiles(join(root, 'tmp'))).toEqual([]);
    // Slot buffers released by the aborted passes are reused intact.
    expect(await store.put(file)).toEqual(await hashFile(pieces(bytes, 6)));
  });

  it('abort ends a put whose source has stalled', async () => {
    const root = join(dir, 's5b');
    const store = await FsContentStore.open(root);
    const ctl = new AbortController();
    let finished = false;
    async function* stalled() {
      try {
        yield new Uint8Array(MiB + 10);
        await new Promise(() => {}); // never delivers more
      } finally {
        finished = true;
      }
    }
    const put = store.put(stalled(), {
      signal: ctl.signal,
      onProgress: () => setTimeout(() => ctl.abort(new Error('operator cancelled')), 10),
    });
    await expect(put).rejects.toThrow('operator cancelled');
    expect(listFiles(root)).toEqual([]);
    expect(finished).toBe(false); // the source was stalled, yet the put ended
  });

  it('a failing source rejects the put and leaves nothing behind; non-bytes pieces are a TypeError', async () => {
    const root = join(dir, 's6');
    const store = await FsContentStore.open(root);
    async function* failing() {
      yield new Uint8Array(3 * MiB);
      throw new Error('camera disconnected');
    }
    await expect(store.put(failing())).rejects.toThrow('camera disconnected');
    async function* strings() {
      yield 'text' as unknown as Uint8Array;
    }
    await expect(store.put(strings())).rejects.toThrow(TypeError);
    expect(listFiles(join(dir, 's6'))).toEqual([]);
  });

  it('pulls the source no further than one chunk ahead of what is hashed (backpressure)', async () => {
    const store = await FsContentStore.open(join(dir, 's7'));
    let pulled = 0;
    let done = 0;
    let maxAhead = 0;
    const piece = 64 * 1024;
    async function* source() {
      for (let i = 0; i < 16 * 16; i++) {
        maxAhead = Math.max(maxAhead, pulled - done);
        pulled += piece;
        yield new Uint8Array(piece).fill(i);
      }
    }
    await store.put(source(), { onProgress: (p) => (done = p.bytesDone) });
    expect(done).toBe(16 * MiB);
    expect(maxAhead).toBeLessThanOrEqual(MiB);
  });

  it('open removes temp files of dead processes and keeps those of live ones', async () => {
    const root = join(dir, 's8');
    await FsContentStore.open(root);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const tmp = join(root, 'tmp');
    writeFileSync(join(tmp, `${dead}-00ff.data`), 'partial');
    writeFileSync(join(tmp, `${dead}-00ff.chunks`), 'partial');
    writeFileSync(join(tmp, 'garbage'), 'x');
    writeFileSync(join(tmp, `${process.pid}-abcd.data`), 'in progress');
    await FsContentStore.open(root);
    expect(listFiles(tmp)).toEqual([`${process.pid}-abcd.data`]);
  });

  it('misuse throws TypeError/RangeError naming the argument', async () => {
    const store = await FsContentStore.open(join(dir, 's9'));
    expect(() => store.path('abc')).toThrow(/digest/);
    expect(() => store.path(new Uint8Array(31))).toThrow(RangeError);
    expect(() => store.path(123 as never)).toThrow(TypeError);
    await expect(store.put(123 as never)).rejects.toThrow(TypeError);
    await expect(store.removeForPurge(new Uint8Array(32), -1)).rejects.toThrow(/purgeSeq/);
    await expect(store.removeForPurge(new Uint8Array(32), 1.5)).rejects.toThrow(RangeError);
    await expect(FsContentStore.open('')).rejects.toThrow(TypeError);
    await expect(store.put(join(dir, 'no-such-file'))).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
  });
});
