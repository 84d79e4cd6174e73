/** Private key files: mode 0600 on disk, exclusive create, atomic overwrite, clear error codes. */

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { readAnyPrivateKeyFile, readPrivateKeyFile, writePrivateKeyFile } from '../../src/crypto/keyfile';
import { nodeSm2Suite } from '../../src/crypto/node-sm2';
import { pkcs8PemToSeed, seedToPkcs8Pem } from '../../src/crypto/keys';

const dir = mkdtempSync(join(tmpdir(), 'el-keyfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seedA = new Uint8Array(32).fill(0xa5);
const seedB = new Uint8Array(32).fill(0x5a);
const mode = (p: string) => statSync(p).mode & 0o777;
const posix = process.platform !== 'win32';

describe('writePrivateKeyFile / readPrivateKeyFile', () => {
  it.skipIf(!posix)('writes the PKCS#8 PEM with mode 0600 and reads the seed back', async () => {
    const path = join(dir, 'a.pem');
    await writePrivateKeyFile(path, seedA);
    expect(mode(path)).toBe(0o600);
    expect(toHex(await readPrivateKeyFile(path))).toBe(toHex(seedA));
    expect(toHex(pkcs8PemToSeed(seedToPkcs8Pem(seedA)))).toBe(toHex(seedA));
  });

  it('refuses to replace an existing file without overwrite (STORAGE_EXISTS), leaving it intact', async () => {
    const path = join(dir, 'b.pem');
    await writePrivateKeyFile(path, seedA);
    await expect(writePrivateKeyFile(path, seedB)).rejects.toMatchObject({
      name: 'StorageError',
      code: 'STORAGE_EXISTS',
    });
    expect(toHex(await readPrivateKeyFile(path))).toBe(toHex(seedA));
  });

  it.skipIf(!posix)(
    'overwrite replaces the key, resets a widened mode to 0600 and leaves no temp file',
    async () => {
      const path = join(dir, 'c.pem');
      writeFileSync(path, 'old');
      chmodSync(path, 0o644);
      await writePrivateKeyFile(path, seedB, { overwrite: true });
      expect(mode(path)).toBe(0o600);
      expect(toHex(await readPrivateKeyFile(path))).toBe(toHex(seedB));
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
  );

  it('a missing file is STORAGE_NOT_FOUND; a missing directory on write is STORAGE_NOT_FOUND', async () => {
    await expect(readPrivateKeyFile(join(dir, 'nope.pem'))).rejects.toMatchObject({
      code: 'STORAGE_NOT_FOUND',
    });
    await expect(writePrivateKeyFile(join(dir, 'no-dir', 'k.pem'), seedA)).rejects.toMatchObject({
      name: 'StorageError',
      code: 'STORAGE_NOT_FOUND',
    });
  });

  it('bad content is CRYPTO_BAD_PEM: text, a public key, binary, a huge file', async () => {
    const cases: [string, string | Uint8Array][] = [
      ['text.pem', 'not a key\n'],
      [
        'pub.pem',
        '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAZ5A+v8DKcQ9/dNU7hZdTIyG5RWJjFNXBt+Lfx2DnCWc=\n-----END PUBLIC KEY-----\n',
      ],
      ['bin.pem', new Uint8Array([0xff, 0xfe, 0x00, 0x80])],
      ['huge.pem', 'A'.repeat(100_000)],
    ];
    for (const [name, content] of cases) {
      const path = join(dir, name);
      writeFileSync(path, content);
      await expect(readPrivateKeyFile(path)).rejects.toMatchObject({
        name: 'CryptoError',
        code: 'CRYPTO_BAD_PEM',
      });
    }
  });

  it('reading a directory is STORAGE_IO', async () => {
    await expect(readPrivateKeyFile(dir)).rejects.toMatchObject({ name: 'StorageError', code: 'STORAGE_IO' });
  });

  it('argument misuse: TypeError for a bad path, CRYPTO_BAD_KEY for a wrong-length seed', async () => {
    await expect(writePrivateKeyFile('', seedA)).rejects.toThrow(TypeError);
    await expect(readPrivateKeyFile(42 as unknown as string)).rejects.toThrow(TypeError);
    await expect(writePrivateKeyFile(join(dir, 'short.pem'), new Uint8Array(31))).rejects.toMatchObject({
      code: 'CRYPTO_BAD_KEY',
    });
    expect(existsSync(join(dir, 'short.pem'))).toBe(false);
  });

  it.skipIf(!existsSync('/usr/bin/openssl'))('reads a key file made by openssl genpkey', async () => {
    const path = join(dir, 'openssl.pem');
    expect(spawnSync('/usr/bin/openssl', ['genpkey', '-algorithm', 'ed25519', '-out', path]).status).toBe(0);
    const seed = await readPrivateKeyFile(path);
    expect(seed.length).toBe(32);
    const text = spawnSync('/usr/bin/openssl', ['pkey', '-in', path, '-noout', '-text'], {
      encoding: 'utf8',
    }).stdout;
    const priv = /priv:\n((?:\s+[0-9a-f:]+\n)+)/.exec(text)![1]!.replace(/[\s:]/g, '');
    expect(toHex(seed)).toBe(priv);
  });
});

describe('key files of the sm2-sm3 suite', () => {
  it.skipIf(!posix)(
    'writes an SM2 key with mode 0600, reads it back by suite and recognises its suite',
    async () => {
      const path = join(dir, 'sm2.pem');
      const d = nodeSm2Suite.generatePrivateKey();
      await writePrivateKeyFile(path, d, { suite: 'sm2-sm3' });
      expect(mode(path)).toBe(0o600);
      expect(toHex(await readPrivateKeyFile(path, nodeSm2Suite))).toBe(toHex(d));
      const any = await readAnyPrivateKeyFile(path);
      expect(any.suite).toBe('sm2-sm3');
      expect(toHex(any.privateKey)).toBe(toHex(d));
      expect((await readAnyPrivateKeyFile(join(dir, 'a.pem'))).suite).toBe('ed25519-sha256');
    },
  );

  it('refuses an SM2 key file read as Ed25519 (the default), and an Ed25519 one read as SM2', async () => {
    const code = expect.objectContaining({ code: 'CRYPTO_BAD_PEM' });
    const sm2Path = join(dir, 'sm2-b.pem');
    await writePrivateKeyFile(sm2Path, nodeSm2Suite.generatePrivateKey(), { suite: 'sm2-sm3' });
    await expect(readPrivateKeyFile(sm2Path)).rejects.toThrow(code);
    const edPath = join(dir, 'ed-b.pem');
    await writePrivateKeyFile(edPath, seedB);
    await expect(readPrivateKeyFile(edPath, nodeSm2Suite)).rejects.toThrow(code);
  });

  it('refuses an SM2 scalar out of range before writing anything', async () => {
    const path = join(dir, 'sm2-zero.pem');
    await expect(writePrivateKeyFile(path, new Uint8Array(32), { suite: 'sm2-sm3' })).rejects.toThrow(
      expect.objectContaining({ code: 'CRYPTO_BAD_KEY' }),
    );
    expect(existsSync(path)).toBe(false);
  });
});
