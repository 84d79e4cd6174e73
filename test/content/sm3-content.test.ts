/**
 * Issue 15: content of an sm2-sm3 ledger is addressed by SM3 — digest against `openssl dgst -sm3`, chunk leaves and
 * chunkRoot against an RFC 9162 fold over node:crypto's SM3 written in the test — through hashing, the store (leaf
 * hashes on the worker above 64 KiB), verification that locates a change, and excerpts that verify in the browser
 * suite. The same objects opened under the other suite do not verify.
 */
import { chmodSync, closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import {
  CHUNK_SIZE,
  FsContentStore,
  chunkExcerpt,
  chunkHashesOf,
  hashFile,
  verifyChunkExcerpt,
  verifyContent,
} from '../../src/content';
import { portableSuiteById } from '../../src/crypto';
import { CryptoError } from '../../src/errors';
import {
  independentChunkRoot,
  independentLeaves,
  opensslSha256,
  sha256,
  sm3,
  tempDir,
  writeRandomFile,
} from './helpers';

const { dir, cleanup } = tempDir('el-sm3-content-');
afterAll(cleanup);

const SM3_EMPTY = '1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b';

describe('content of an sm2-sm3 ledger', () => {
  it('empty file: digest and chunkRoot are SM3("") (GB/T 32905 digest of no bytes, as OpenSSL prints it)', async () => {
    const path = join(dir, 'empty');
    writeRandomFile(path, 0, 1);
    expect(opensslSha256(path, 'sm3')).toBe(SM3_EMPTY);
    const ref = await hashFile(path, { suite: 'sm2-sm3' });
    expect(toHex(ref.digest)).toBe(SM3_EMPTY);
    expect(toHex(ref.chunkRoot)).toBe(SM3_EMPTY);
  });

  it('digest, leaves and chunkRoot are SM3 in hashFile and the store; verify locates a change; excerpts verify', async () => {
    const path = join(dir, 'three-chunks');
    const bytes = writeRandomFile(path, 2 * CHUNK_SIZE + 77_777, 15);
    const ref = await hashFile(path, { suite: 'sm2-sm3' });
    expect(toHex(ref.digest)).toBe(opensslSha256(path, 'sm3'));
    expect(toHex(ref.chunkRoot)).toBe(toHex(independentChunkRoot(bytes, CHUNK_SIZE, 'sm3')));
    expect((await chunkHashesOf(path, { suite: 'sm2-sm3' })).map(toHex)).toEqual(
      independentLeaves(bytes, CHUNK_SIZE, 'sm3').map(toHex),
    );
    // The default suite still gives SHA-256: the two differ on every field but the size.
    const shaRef = await hashFile(path);
    expect(toHex(shaRef.digest)).toBe(opensslSha256(path));
    expect(toHex(shaRef.digest)).not.toBe(toHex(ref.digest));

    const store = await FsContentStore.open(join(dir, 'store-sm3'), { suite: 'sm2-sm3' });
    expect(store.suite).toBe('sm2-sm3');
    expect(await store.put(path, { suite: 'ed25519-sha256' })).toEqual(ref); // the store's suite wins
    expect(toHex((await store.chunkHashes(ref.digest))!)).toBe(
      toHex(Buffer.concat(independentLeaves(bytes, CHUNK_SIZE, 'sm3'))),
    );
    expect((await verifyContent(store, ref)).status).toBe('ok');

    const suite = portableSuiteById('sm2-sm3');
    for (const i of [0, 2]) {
      const ex = await chunkExcerpt(store, ref, i);
      expect(verifyChunkExcerpt(suite.hash, ref, ex).ok).toBe(true);
      expect(verifyChunkExcerpt(sha256, ref, ex).code).toBe('EXCERPT_PROOF_INVALID');
    }

    // The same objects opened as a SHA-256 store: the bytes are re-hashed with SHA-256, which is not the record.
    const asSha = await FsContentStore.open(join(dir, 'store-sm3'));
    expect((await verifyContent(asSha, ref)).status).not.toBe('ok');
    expect(await (await FsContentStore.open(join(dir, 'store-sha'))).put(path)).toEqual(shaRef);

    // One byte changed in chunk 1 of the stored object: located through the SM3 sidecar.
    const object = store.path(ref.digest);
    chmodSync(object, 0o644);
    const fd = openSync(object, 'r+');
    writeSync(fd, Uint8Array.of(bytes[CHUNK_SIZE + 5]! ^ 1), 0, 1, CHUNK_SIZE + 5);
    closeSync(fd);
    const check = await verifyContent(store, ref);
    expect(check.status).toBe('modified');
    expect(check.status === 'modified' && check.changedChunks).toEqual([
      { index: 1, start: CHUNK_SIZE, end: 2 * CHUNK_SIZE },
    ]);
    expect(sm3(bytes)).toEqual(ref.digest);
  });

  it('an unknown suite is refused before anything is read or written', async () => {
    const err = await hashFile(join(dir, 'empty'), { suite: 'rsa-md5' as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe('CRYPTO_UNKNOWN_SUITE');
    await expect(FsContentStore.open(join(dir, 'bad'), { suite: 'x' as never })).rejects.toThrow(CryptoError);
  });
});
