/**
 * Chunk excerpts (src/content/excerpt*.ts): proofs equal RFC 9162 §2.1.3.1 PATH computed here from the definition
 * (independent of src/merkle), every chunk of files of several shapes verifies, and every kind of damage to an
 * excerpt — a flipped byte, a wrong index, a cut or padded chunk, a flipped, missing or extra proof hash, another
 * file's root — is refused with its code. From the store, a damaged chunk or object is a STORAGE_CORRUPT error.
 */
import { chmodSync, closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { CHUNK_SIZE, FsContentStore, chunkExcerpt, chunkProof, verifyChunkExcerpt } from '../../src/content';
import { nodeSuite } from '../../src/crypto/node';
import { portableSuite } from '../../src/crypto/portable';
import { StorageError } from '../../src/errors';
import { independentChunkRoot, independentLeaves, pseudoRandomBytes, sha256, tempDir } from './helpers';

const { dir, cleanup } = tempDir('el-excerpt-');
afterAll(cleanup);

/** RFC 9162 §2.1.1 MTH over leaf hashes, recursive. */
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 1) return d[0]!;
  let k = 1;
  while (k << 1 < d.length) k <<= 1;
  return sha256(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) over leaf hashes, recursive, from the definition. */
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  let k = 1;
  while (k << 1 < d.length) k <<= 1;
  return m < k
    ? [...path(m, d.slice(0, k)), mth(d.slice(k))]
    : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}

const hex = (xs: readonly Uint8Array[]) => xs.map(toHex);

describe('chunkProof and verifyChunkExcerpt', () => {
  it('proofs equal RFC 9162 PATH for every index of trees of 1..70 leaves', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => sha256(Uint8Array.of(0, i, n)));
      for (let m = 0; m < n; m++)
        expect(hex(chunkProof(nodeSuite.hash, leaves, m))).toEqual(hex(path(m, leaves)));
    }
  });

  // Small chunked "files" are simulated by hashing real 1 MiB chunks once per shape.
  const shapes = [1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE, 5 * CHUNK_SIZE + 7];
  for (const size of shapes) {
    it(`every chunk of a ${size}-byte file verifies, on both suites; damage is refused with its code`, () => {
      const bytes = pseudoRandomBytes(size, size);
      const leaves = independentLeaves(bytes);
      const target = { size, chunkRoot: independentChunkRoot(bytes) };
      for (let i = 0; i < leaves.length; i++) {
        const chunk = bytes.subarray(i * CHUNK_SIZE, Math.min((i + 1) * CHUNK_SIZE, size));
        const proof = chunkProof(nodeSuite.hash, leaves, i);
        for (const suite of [nodeSuite, portableSuite]) {
          const ok = verifyChunkExcerpt(suite.hash, target, { index: i, bytes: chunk, proof });
          expect(ok).toMatchObject({ ok: true, code: 'EXCERPT_OK' });
          expect(ok.range).toEqual({ index: i, start: i * CHUNK_SIZE, end: i * CHUNK_SIZE + chunk.length });
        }
        const check = (e: { index: number; bytes: Uint8Array; proof: readonly Uint8Array[] }, t = target) =>
          verifyChunkExcerpt(nodeSuite.hash, t, e).code;
        const flipped = chunk.slice();
        flipped[(i * 7919) % chunk.length]! ^= 0x01;
        expect(check({ index: i, bytes: flipped, proof })).toBe('EXCERPT_PROOF_INVALID');
        expect(check({ index: i, bytes: chunk.subarray(1), proof })).toBe('EXCERPT_WRONG_LENGTH');
        expect(check({ index: leaves.length, bytes: chunk, proof })).toBe('EXCERPT_OUT_OF_RANGE');
        if (leaves.length > 1) {
          // The same bytes and proof claimed as another chunk.
          const other = (i + 1) % leaves.length;
          const r = check({ index: other, bytes: chunk, proof });
          expect(['EXCERPT_PROOF_INVALID', 'EXCERPT_WRONG_LENGTH']).toContain(r);
          for (let j = 0; j < proof.length; j++) {
            const bad = proof.map((h) => h.slice());
            bad[j]![j % 32]! ^= 0x80;
            expect(check({ index: i, bytes: chunk, proof: bad })).toBe('EXCERPT_PROOF_INVALID');
          }
          expect(check({ index: i, bytes: chunk, proof: proof.slice(1) })).toBe('EXCERPT_PROOF_INVALID');
        }
        expect(check({ index: i, bytes: chunk, proof: [...proof, new Uint8Array(32)] })).toBe(
          'EXCERPT_PROOF_INVALID',
        );
        expect(check({ index: i, bytes: chunk, proof }, { size, chunkRoot: sha256(target.chunkRoot) })).toBe(
          'EXCERPT_PROOF_INVALID',
        );
      }
    });
  }

  it('property: a random flip of any excerpt or proof bit is refused', () => {
    const size = 10 * CHUNK_SIZE + 5; // 11 chunks, the last of 5 bytes
    const bytes = pseudoRandomBytes(size, 77);
    const real = independentLeaves(bytes);
    const target = { size, chunkRoot: independentChunkRoot(bytes) };
    expect(real.length).toBe(11);
    fc.assert(
      fc.property(fc.nat(10), fc.nat(), fc.boolean(), (index, at, inProof) => {
        const chunk = bytes.slice(index * CHUNK_SIZE, Math.min((index + 1) * CHUNK_SIZE, size));
        const proof = chunkProof(nodeSuite.hash, real, index).map((h) => h.slice());
        if (inProof) proof[at % proof.length]![(at >>> 5) % 32]! ^= 1 << (at % 8);
        else chunk[at % chunk.length]! ^= 1 << (at % 8);
        return verifyChunkExcerpt(nodeSuite.hash, target, { index, bytes: chunk, proof }).ok === false;
      }),
      { numRuns: 200 },
    );
  });

  it('misuse throws TypeError/RangeError naming the argument', () => {
    const t = { size: 10, chunkRoot: new Uint8Array(32) };
    const e = { index: 0, bytes: new Uint8Array(10), proof: [] };
    expect(() => verifyChunkExcerpt(nodeSuite.hash, t, { ...e, index: -1 })).toThrow(/index/);
    expect(() => verifyChunkExcerpt(nodeSuite.hash, t, { ...e, bytes: 'x' as never })).toThrow(/bytes/);
    expect(() => verifyChunkExcerpt(nodeSuite.hash, { ...t, chunkRoot: new Uint8Array(3) }, e)).toThrow(
      /chunkRoot/,
    );
    expect(() => verifyChunkExcerpt(nodeSuite.hash, { ...t, size: 1.5 }, e)).toThrow(/size/);
    expect(() => chunkProof(nodeSuite.hash, [new Uint8Array(32)], 1)).toThrow(RangeError);
  });
});

describe('chunkExcerpt from the store', () => {
  it('gives an excerpt that verifies for every chunk; works without the sidecar; refuses damaged content', async () => {
    const store = await FsContentStore.open(join(dir, 'store'));
    const size = 4 * CHUNK_SIZE + 1234;
    const bytes = pseudoRandomBytes(size, 5);
    const src = join(dir, 'src.bin');
    const fd = openSync(src, 'w');
    writeSync(fd, bytes);
    closeSync(fd);
    const ref = await store.put(src);
    for (let i = 0; i < 5; i++) {
      const ex = await chunkExcerpt(store, ref, i);
      expect(ex.start).toBe(i * CHUNK_SIZE);
      expect(Buffer.compare(ex.bytes, bytes.subarray(ex.start, ex.end))).toBe(0);
      expect(verifyChunkExcerpt(portableSuite.hash, ref, ex).ok).toBe(true);
    }
    await expect(chunkExcerpt(store, ref, 5)).rejects.toThrow(RangeError);

    // Without a trustworthy sidecar the leaves are recomputed from the object.
    const sidecar = `${store.path(ref.digest)}.chunks`;
    const original = readFileSync(sidecar);
    chmodSync(sidecar, 0o644);
    writeFileSync(sidecar, new Uint8Array(32));
    expect(verifyChunkExcerpt(nodeSuite.hash, ref, await chunkExcerpt(store, ref, 2)).ok).toBe(true);

    // A byte changed in chunk 3 of the stored object: no excerpt is produced from damaged content, whether the
    // damage is found through the sidecar (the chunk's own check) or by re-hashing the object (sidecar unusable).
    const object = store.path(ref.digest);
    chmodSync(object, 0o644);
    const ofd = openSync(object, 'r+');
    writeSync(ofd, Uint8Array.of(bytes[3 * CHUNK_SIZE + 10]! ^ 0xff), 0, 1, 3 * CHUNK_SIZE + 10);
    closeSync(ofd);
    for (const sidecarBytes of [original, new Uint8Array(32)]) {
      writeFileSync(sidecar, sidecarBytes);
      const err = await chunkExcerpt(store, ref, 3).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe('STORAGE_CORRUPT');
    }
    // Other chunks of the object are intact and still give valid excerpts through the recorded sidecar.
    writeFileSync(sidecar, original);
    expect(verifyChunkExcerpt(nodeSuite.hash, ref, await chunkExcerpt(store, ref, 1)).ok).toBe(true);

    // A content reference whose object is not stored.
    const absent = { ...ref, digest: sha256(Uint8Array.of(9)) };
    const missing = await chunkExcerpt(store, absent, 0).catch((e: unknown) => e);
    expect((missing as StorageError).code).toBe('STORAGE_CONTENT_MISSING');
  });
});
