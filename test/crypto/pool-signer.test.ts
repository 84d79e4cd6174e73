import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeSuite } from '../../src/crypto/node';
import { createNodeSigner } from '../../src/crypto/node';
import { nodeSm2Suite } from '../../src/crypto/node-sm2';
import { createPooledSigner, pooledSigner } from '../../src/crypto/pool-signer';

let workerMessages = 0;
process.on('worker', (w) => w.on('message', () => workerMessages++));

describe('createPooledSigner', () => {
  it('gives the same signatures as the node signer, for concurrent and lone calls', async () => {
    const seed = new Uint8Array(32).fill(7);
    const pooled = createPooledSigner(seed, { threads: 2 });
    const plain = createNodeSigner(seed);
    try {
      expect(pooled.keyId).toBe(plain.keyId);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 200 }),
          async (msgs) => {
            const got = await Promise.all(msgs.map((m) => pooled.sign(m)));
            const want = await Promise.all(msgs.map((m) => plain.sign(m)));
            expect(got).toEqual(want);
            for (let i = 0; i < msgs.length; i++)
              expect(nodeSuite.verify(pooled.publicKey, msgs[i]!, got[i]!)).toBe(true);
          },
        ),
        { numRuns: 30 },
      );
      const lone = await pooled.sign(Uint8Array.of(1, 2, 3));
      expect(lone).toEqual(await plain.sign(Uint8Array.of(1, 2, 3)));
    } finally {
      await pooled.close();
    }
    await expect(pooled.sign(Uint8Array.of(1))).rejects.toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
  });

  it('signs with an SM2 key on workers: every signature verifies, for concurrent and lone calls', async () => {
    const d = nodeSm2Suite.generatePrivateKey();
    const pooled = createPooledSigner(d, { threads: 2, suite: 'sm2-sm3' });
    const plain = nodeSm2Suite.createSigner(d);
    try {
      expect(pooled.suite).toBe('sm2-sm3');
      expect(pooled.keyId).toBe(plain.keyId);
      expect(pooled.publicKey).toEqual(plain.publicKey);
      const before = workerMessages;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 2, maxLength: 40 }),
          async (msgs) => {
            const got = await Promise.all(msgs.map((m) => pooled.sign(m)));
            for (let i = 0; i < msgs.length; i++) {
              expect(got[i]!.length).toBe(64);
              expect(nodeSm2Suite.verify(pooled.publicKey, msgs[i]!, got[i]!)).toBe(true);
              // Not a signature of another message.
              if (msgs.length > 1)
                expect(nodeSm2Suite.verify(pooled.publicKey, Uint8Array.of(...msgs[i]!, 0), got[i]!)).toBe(
                  false,
                );
            }
          },
        ),
        { numRuns: 8 },
      );
      expect(pooled.usesWorkers).toBe(true);
      expect(workerMessages - before).toBeGreaterThanOrEqual(3); // ready, and answers
      const lone = await pooled.sign(Uint8Array.of(1, 2, 3));
      expect(nodeSm2Suite.verify(pooled.publicKey, Uint8Array.of(1, 2, 3), lone)).toBe(true);
    } finally {
      await pooled.close();
    }
    await expect(pooled.sign(Uint8Array.of(1))).rejects.toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
  });

  it('without the SM2 library text for the workers, signs on this thread and says so', async () => {
    const d = nodeSm2Suite.generatePrivateKey();
    const here = pooledSigner(d, { threads: 2, suite: 'sm2-sm3' }, null);
    const before = workerMessages;
    const msgs = Array.from({ length: 8 }, (_, i) => Uint8Array.of(i));
    const sigs = await Promise.all(msgs.map((m) => here.sign(m)));
    expect(sigs.map((s, i) => nodeSm2Suite.verify(here.publicKey, msgs[i]!, s))).toEqual(
      msgs.map(() => true),
    );
    expect(here.usesWorkers).toBe(false);
    expect(workerMessages).toBe(before);
    await here.close();
  });

  it('rejects bad arguments', async () => {
    const n = Buffer.from('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123', 'hex');
    expect(() => createPooledSigner(new Uint8Array(32), { suite: 'sm2-sm3' })).toThrow(); // d = 0
    expect(() => createPooledSigner(new Uint8Array(n), { suite: 'sm2-sm3' })).toThrow(); // d = n
    expect(() => createPooledSigner(new Uint8Array(31).fill(1), { suite: 'sm2-sm3' })).toThrow();
    expect(() =>
      createPooledSigner(new Uint8Array(32), { suite: 'p256-sha256' as unknown as 'sm2-sm3' }),
    ).toThrow(RangeError);
    expect(() => createPooledSigner(new Uint8Array(31))).toThrow();
    expect(() => createPooledSigner(new Uint8Array(32), { threads: 0 })).toThrow(RangeError);
    const s = createPooledSigner(new Uint8Array(32), { threads: 1 });
    await expect(s.sign('x' as unknown as Uint8Array)).rejects.toBeInstanceOf(TypeError);
    await s.close();
  });
});
