/**
 * The Signer interface fits a key that lives in another process (a signature server, a UKey bridge): a child
 * process holding the key, speaking the line protocol of process-signer.ts, signs ledger-style messages for both
 * suites; its signatures verify; a misbehaving device fails with CRYPTO_SIGNER_FAILED instead of yielding bad bytes.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes';
import { suiteById } from '../../src/crypto/node-registry';
import { createProcessSigner } from '../../src/crypto/process-signer';
import type { SuiteId } from '../../src/crypto/types';

const SERVER = join(import.meta.dirname, 'fixtures/sign-server.mjs');

function start(suiteId: SuiteId, privateKey: Uint8Array, mode = 'ok') {
  return createProcessSigner({
    suite: suiteId,
    command: process.execPath,
    args: [SERVER],
    env: {
      ...process.env,
      SIGN_SERVER_SUITE: suiteId,
      SIGN_SERVER_KEY: toHex(privateKey),
      SIGN_SERVER_MODE: mode,
    },
    timeoutMs: 60_000,
  });
}
const failedCode = expect.objectContaining({ name: 'CryptoError', code: 'CRYPTO_SIGNER_FAILED' });

describe('a signer in another process', () => {
  for (const id of ['sm2-sm3', 'ed25519-sha256'] as const) {
    it(`signs for ${id} with the key it holds, concurrently, and closes`, async () => {
      const suite = suiteById(id);
      const d = suite.generatePrivateKey();
      const signer = await start(id, d);
      try {
        expect(signer.suite).toBe(id);
        expect(toHex(signer.publicKey)).toBe(toHex(suite.publicKeyFromPrivateKey(d)));
        expect(signer.keyId).toBe(suite.keyId(signer.publicKey));
        const messages = Array.from({ length: 12 }, (_, i) => utf8(`entry ${i}`));
        const sigs = await Promise.all(messages.map((m) => signer.sign(m)));
        sigs.forEach((sig, i) => {
          expect(suite.verify(signer.publicKey, messages[i]!, sig)).toBe(true);
          expect(suite.verify(signer.publicKey, messages[(i + 1) % 12]!, sig)).toBe(false);
        });
      } finally {
        await signer.close();
      }
      await expect(signer.sign(utf8('after close'))).rejects.toThrow(failedCode);
    });
  }

  it('refuses a signature that does not verify (a faulty device)', async () => {
    const signer = await start('sm2-sm3', suiteById('sm2-sm3').generatePrivateKey(), 'corrupt');
    try {
      await expect(signer.sign(utf8('x'))).rejects.toThrow(failedCode);
    } finally {
      await signer.close();
    }
  });

  it('fails pending signatures when the process dies or breaks the protocol', async () => {
    for (const mode of ['exit', 'garbage']) {
      const signer = await start('sm2-sm3', suiteById('sm2-sm3').generatePrivateKey(), mode);
      await expect(signer.sign(utf8('x')), mode).rejects.toThrow(failedCode);
      await signer.close();
    }
  });

  it('fails to start on a missing program or an unknown suite', async () => {
    await expect(
      createProcessSigner({ suite: 'sm2-sm3', command: '/nonexistent/signer', timeoutMs: 60_000 }),
    ).rejects.toThrow(failedCode);
    await expect(
      createProcessSigner({ suite: 'rsa-md5' as SuiteId, command: process.execPath }),
    ).rejects.toThrow(expect.objectContaining({ code: 'CRYPTO_UNKNOWN_SUITE' }));
  });
});
