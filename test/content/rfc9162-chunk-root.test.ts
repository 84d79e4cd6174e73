/**
 * ContentRef format (src/content/chunks.ts): digest against `openssl dgst -sha256`, chunkRoot against an RFC 9162
 * §2.1.1 recursive MTH written in the test, over edge sizes and random ones; path, stream and store agree.
 */
import { execSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { CHUNK_SIZE, FsContentStore, chunkHashesOf, chunkRootOf, hashFile } from '../../src/content';
import {
  MiB,
  independentChunkRoot,
  independentLeaves,
  opensslSha256,
  pieces,
  sha256,
  tempDir,
  writeRandomFile,
} from './helpers';

const { dir, cleanup } = tempDir();
afterAll(cleanup);

describe('ContentRef v1 format', () => {
  it('fixes the chunk size at 1 MiB', () => {
    expect(CHUNK_SIZE).toBe(1_048_576);
  });

  it('empty file: digest and chunkRoot are SHA-256("") (RFC 9162 MTH of no leaves)', async () => {
    const path = join(dir, 'empty');
    writeRandomFile(path, 0, 1);
    const ref = await hashFile(path);
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(ref.size).toBe(0);
    expect(toHex(ref.digest)).toBe(empty);
    expect(toHex(ref.chunkRoot)).toBe(empty);
    expect(await chunkHashesOf(path)).toEqual([]);
  });

  it('one-chunk file: chunkRoot is the leaf hash SHA-256(0x00 ‖ bytes)', async () => {
    const path = join(dir, 'abc');
    writeFileSync(path, 'abc');
    const ref = await hashFile(path);
    // SHA-256("\x00abc"), computed independently with: printf '\x00abc' | openssl dgst -sha256
    const leaf = execSync("printf '\\000abc' | openssl dgst -sha256 -r", { encoding: 'utf8' }).split(' ')[0];
    expect(toHex(ref.chunkRoot)).toBe(leaf);
    expect(toHex(ref.digest)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2 B.1
  });

  const edges = [1, MiB - 1, MiB, MiB + 1, 2 * MiB - 1, 2 * MiB, 2 * MiB + 1, 3 * MiB, 5 * MiB + 12345];
  it.each(edges)('size %i: digest = openssl, chunkRoot = independent MTH, leaves match', async (size) => {
    const path = join(dir, `edge-${size}`);
    const bytes = writeRandomFile(path, size, size);
    const ref = await hashFile(path);
    expect(ref.size).toBe(size);
    expect(toHex(ref.digest)).toBe(opensslSha256(path));
    expect(toHex(ref.chunkRoot)).toBe(toHex(independentChunkRoot(bytes)));
    const leaves = await chunkHashesOf(path);
    expect(leaves.map(toHex)).toEqual(independentLeaves(bytes).map(toHex));
    rmSync(path);
  });

  it('property: random sizes up to 20 MiB — path, stream in random pieces and store.put give the same ref', async () => {
    const store = await FsContentStore.open(join(dir, 'store'));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 0, max: 3 * MiB }), fc.integer({ min: 3 * MiB, max: 20 * MiB })),
        fc.integer({ min: 1, max: 2 ** 31 }),
        async (size, seed) => {
          const path = join(dir, `prop-${seed}`);
          const bytes = writeRandomFile(path, size, seed);
          try {
            const ref = await hashFile(path);
            expect(toHex(ref.digest)).toBe(opensslSha256(path));
            expect(toHex(ref.chunkRoot)).toBe(toHex(independentChunkRoot(bytes)));
            const fromStream = await hashFile(pieces(bytes, seed));
            expect(fromStream).toEqual(ref);
            const fromReadable = await hashFile(Readable.from(pieces(bytes, seed + 1)));
            expect(fromReadable).toEqual(ref);
            const stored = await store.put(pieces(bytes, seed + 2));
            expect(stored).toEqual(ref);
            expect(readFileSync(store.path(ref.digest)).equals(bytes)).toBe(true);
            const sidecar = (await store.chunkHashes(ref.digest))!;
            expect(toHex(chunkRootOf(sha256, sidecar))).toBe(toHex(ref.chunkRoot));
          } finally {
            rmSync(path);
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
