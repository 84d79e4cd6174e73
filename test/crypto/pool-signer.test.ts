import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeSuite } from '../../src/crypto/node';
import { createNodeSigner } from '../../src/crypto/node';
import { createPooledSigner } from '../../src/crypto/pool-signer';

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

  it('rejects bad arguments', async () => {
    expect(() => createPooledSigner(new Uint8Array(31))).toThrow();
    expect(() => createPooledSigner(new Uint8Array(32), { threads: 0 })).toThrow(RangeError);
    const s = createPooledSigner(new Uint8Array(32), { threads: 1 });
    await expect(s.sign('x' as unknown as Uint8Array)).rejects.toBeInstanceOf(TypeError);
    await s.close();
  });
});
