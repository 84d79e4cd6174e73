/**
 * Tamper detection and location (docs/ARCHITECTURE.md invariant 3): a changed byte is located to its chunk and byte range,
 * truncation and extension are named as such, a missing object is reported (with its purge tombstone when purged),
 * and a sidecar that no longer matches chunkRoot is never trusted to locate anything.
 */
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import {
  CHUNK_SIZE,
  FsContentStore,
  identifyFile,
  verifyContent,
  verifyFileAgainst,
} from '../../src/content';
import type { ContentRef } from '../../src/ledger/types';
import { MiB, pseudoRandomBytes, tempDir } from './helpers';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

let store: FsContentStore;
let seedCounter = 1000;

/** Stores fresh random content of `size` bytes; returns its ref and the object path (made writable for tampering). */
async function fresh(size: number): Promise<{ ref: ContentRef; bytes: Uint8Array; path: string }> {
  const bytes = pseudoRandomBytes(size, seedCounter++);
  const ref = await store.put(
    (async function* () {
      yield bytes;
    })(),
  );
  const path = store.path(ref.digest);
  chmodSync(path, 0o644);
  return { ref, bytes, path };
}

async function flipByte(path: string, offset: number): Promise<void> {
  const fh = await open(path, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, offset);
  b[0] = b[0]! ^ 0x5a;
  await fh.write(b, 0, 1, offset);
  await fh.close();
}

const range = (index: number, size: number) => ({
  index,
  start: index * CHUNK_SIZE,
  end: Math.min((index + 1) * CHUNK_SIZE, size),
});

beforeAll(async () => {
  store = await FsContentStore.open(join(dir, 'store'));
});

describe('verifyContent', () => {
  it('intact content: CONTENT_OK with a trusted sidecar; progress reaches the size', async () => {
    const { ref } = await fresh(3 * MiB + 7);
    const seen: number[] = [];
    const r = await verifyContent(store, ref, { onProgress: (p) => seen.push(p.bytesDone) });
    expect(r).toEqual({ status: 'ok', code: 'CONTENT_OK', size: ref.size, sidecar: 'ok' });
    expect(seen.at(-1)).toBe(ref.size);
  });

  it('property: one byte changed at a random offset is located to its chunk and byte range', async () => {
    const size = 6 * MiB + 4321;
    const { ref, path } = await fresh(size);
    const pristine = readFileSync(path);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: size - 1 }), async (offset) => {
        writeFileSync(path, pristine);
        await flipByte(path, offset);
        const r = await verifyContent(store, ref);
        const index = Math.floor(offset / CHUNK_SIZE);
        expect(r).toEqual({
          status: 'modified',
          code: 'CONTENT_MODIFIED',
          size,
          changedChunks: [range(index, size)],
        });
        if (r.status === 'modified') {
          const c = r.changedChunks[0]!;
          expect(offset >= c.start && offset < c.end).toBe(true);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('several changed chunks are all listed, in order; the first and last byte are covered', async () => {
    const size = 5 * MiB;
    const { ref, path } = await fresh(size);
    for (const off of [size - 1, 0, 3 * MiB + 5]) await flipByte(path, off);
    const r = await verifyContent(store, ref);
    expect(r).toEqual({
      status: 'modified',
      code: 'CONTENT_MODIFIED',
      size,
      changedChunks: [range(0, size), range(3, size), range(4, size)],
    });
  });

  it('truncation mid-chunk and at a chunk boundary', async () => {
    const size = 4 * MiB + 100;
    const { ref, path, bytes } = await fresh(size);
    truncateSync(path, 2 * MiB + 10);
    expect(await verifyContent(store, ref)).toEqual({
      status: 'truncated',
      code: 'CONTENT_TRUNCATED',
      expectedSize: size,
      actualSize: 2 * MiB + 10,
      sidecar: 'ok',
      firstChangedChunk: 2,
      changedChunks: [range(2, size)],
    });
    writeFileSync(path, bytes.subarray(0, 3 * MiB));
    const r = await verifyContent(store, ref);
    expect(r).toMatchObject({
      status: 'truncated',
      actualSize: 3 * MiB,
      firstChangedChunk: 3,
      changedChunks: [],
    });
    writeFileSync(path, new Uint8Array(0));
    expect(await verifyContent(store, ref)).toMatchObject({
      status: 'truncated',
      actualSize: 0,
      firstChangedChunk: 0,
    });
  });

  it('extension: appended bytes keep the prefix intact; a changed-and-extended file does not', async () => {
    const size = 2 * MiB + 3;
    const { ref, path } = await fresh(size);
    appendFileSync(path, 'appended');
    expect(await verifyContent(store, ref)).toEqual({
      status: 'extended',
      code: 'CONTENT_EXTENDED',
      expectedSize: size,
      actualSize: size + 8,
      prefixIntact: true,
      sidecar: 'ok',
      firstChangedChunk: 2,
      changedChunks: [range(2, size)],
    });
    await flipByte(path, 10);
    expect(await verifyContent(store, ref)).toMatchObject({
      status: 'extended',
      prefixIntact: false,
      firstChangedChunk: 0,
      changedChunks: [range(0, size), range(2, size)],
    });
    const boundary = await fresh(2 * MiB);
    appendFileSync(boundary.path, 'x');
    expect(await verifyContent(store, boundary.ref)).toMatchObject({
      status: 'extended',
      prefixIntact: true,
      firstChangedChunk: 2,
      changedChunks: [],
    });
  });

  it('missing object; after removeForPurge the tombstone names the purge entry', async () => {
    const a = await fresh(1000);
    rmSync(a.path);
    expect(await verifyContent(store, a.ref)).toEqual({ status: 'missing', code: 'CONTENT_MISSING' });
    const b = await fresh(MiB + 1);
    expect(await store.removeForPurge(b.ref.digest, 42)).toBe(true);
    expect(await store.has(b.ref.digest)).toBe(false);
    expect(await store.chunkHashes(b.ref.digest)).toBeUndefined();
    expect(await verifyContent(store, b.ref)).toEqual({
      status: 'missing',
      code: 'CONTENT_MISSING',
      purgeSeq: 42,
    });
    expect(await store.removeForPurge(b.ref.digest, 43)).toBe(false);
  });

  it('tampered sidecar: never used to locate; intact content is still OK but the sidecar is flagged', async () => {
    const size = 3 * MiB;
    const { ref, path } = await fresh(size);
    const sidecarPath = `${path}.chunks`;
    chmodSync(sidecarPath, 0o644);
    const sc = readFileSync(sidecarPath);
    sc[40] = sc[40]! ^ 1; // inside leaf 1
    writeFileSync(sidecarPath, sc);
    expect(await verifyContent(store, ref)).toEqual({
      status: 'ok',
      code: 'CONTENT_OK',
      size,
      sidecar: 'mismatch',
    });
    await flipByte(path, 5);
    expect(await verifyContent(store, ref)).toEqual({
      status: 'sidecar-mismatch',
      code: 'CONTENT_SIDECAR_MISMATCH',
      size,
      sidecar: 'mismatch',
    });
    // A sidecar swapped for a self-consistent one of other content does not match chunkRoot either.
    const other = await fresh(size);
    writeFileSync(sidecarPath, readFileSync(`${other.path}.chunks`));
    expect(await verifyContent(store, ref)).toMatchObject({
      status: 'sidecar-mismatch',
      sidecar: 'mismatch',
    });
    rmSync(sidecarPath);
    expect(await verifyContent(store, ref)).toMatchObject({ status: 'sidecar-mismatch', sidecar: 'missing' });
    truncateSync(path, MiB);
    expect(await verifyContent(store, ref)).toEqual({
      status: 'truncated',
      code: 'CONTENT_TRUNCATED',
      expectedSize: size,
      actualSize: MiB,
      sidecar: 'missing',
    });
  });

  it('rejects a malformed ref naming the field', async () => {
    const { ref } = await fresh(10);
    await expect(verifyContent(store, { ...ref, digest: ref.digest.subarray(1) })).rejects.toThrow(
      /ref\.digest/,
    );
    await expect(verifyContent(store, { ...ref, size: -1 })).rejects.toThrow(RangeError);
    await expect(verifyContent(store, { ...ref, chunkRoot: 'x' as never })).rejects.toThrow(TypeError);
  });
});

describe('verifyFileAgainst and identifyFile (external copies)', () => {
  it('checks an external copy; locates a change only when given the recorded chunk hashes', async () => {
    const size = 3 * MiB + 17;
    const { ref, path } = await fresh(size);
    const copy = join(dir, 'copy.bin');
    copyFileSync(path, copy);
    expect(await verifyFileAgainst(copy, ref)).toEqual({
      status: 'ok',
      code: 'CONTENT_OK',
      size,
      sidecar: 'missing',
    });
    await flipByte(copy, 2 * MiB + 1);
    expect(await verifyFileAgainst(copy, ref)).toMatchObject({
      status: 'sidecar-mismatch',
      sidecar: 'missing',
    });
    const chunkHashes = (await store.chunkHashes(ref.digest))!;
    expect(await verifyFileAgainst(copy, ref, { chunkHashes })).toEqual({
      status: 'modified',
      code: 'CONTENT_MODIFIED',
      size,
      changedChunks: [range(2, size)],
    });
    expect(await verifyFileAgainst(join(dir, 'nope.bin'), ref)).toEqual({
      status: 'missing',
      code: 'CONTENT_MISSING',
    });
  });

  it('identifyFile hashes the file and asks the lookup for the digest in lowercase hex', async () => {
    const { ref, path } = await fresh(MiB + 5);
    const asked: string[] = [];
    const id = await identifyFile(path, async (hex) => {
      asked.push(hex);
      return hex === toHex(ref.digest) ? [3, 9] : [];
    });
    expect(id).toEqual({ ref, seqs: [3, 9] });
    expect(asked).toEqual([toHex(ref.digest)]);
    await flipByte(path, 0);
    const changed = await identifyFile(path, async (hex) => (hex === toHex(ref.digest) ? [3, 9] : []));
    expect(changed.seqs).toEqual([]);
    expect(changed.ref.size).toBe(ref.size);
  });
});
