/** nodeSuite builds one OpenSSL KeyObject per public key, not per verification, and the cache stays bounded. */

import { describe, expect, it, vi } from 'vitest';

const counter = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return {
    ...real,
    createPublicKey: (...args: Parameters<typeof real.createPublicKey>) => {
      counter.calls++;
      return real.createPublicKey(...args);
    },
  };
});

const { nodeSuite } = await import('../../src/crypto/node');
const { createPortableSigner } = await import('../../src/crypto/portable');

describe('nodeSuite public key cache', () => {
  it('verifies 3,000 signatures by 3 keys with 3 KeyObjects', async () => {
    const signers = [1, 2, 3].map((b) => createPortableSigner(new Uint8Array(32).fill(b)));
    const m = new Uint8Array([1, 2, 3]);
    const sigs = await Promise.all(signers.map((s) => s.sign(m)));
    counter.calls = 0;
    for (let i = 0; i < 3000; i++) {
      const j = i % 3;
      expect(nodeSuite.verify(signers[j]!.publicKey.slice(), m, sigs[j]!)).toBe(true);
    }
    expect(counter.calls).toBe(3);
  });

  it('is bounded: after many other keys the first key is rebuilt', async () => {
    const first = createPortableSigner(new Uint8Array(32).fill(200));
    const m = new Uint8Array([9]);
    const sig = await first.sign(m);
    expect(nodeSuite.verify(first.publicKey, m, sig)).toBe(true);
    counter.calls = 0;
    expect(nodeSuite.verify(first.publicKey, m, sig)).toBe(true);
    expect(counter.calls).toBe(0);
    for (let i = 0; i < 300; i++) {
      const other = createPortableSigner(
        new Uint8Array(32).fill(i & 0xff).map((v, k) => (k === 0 ? i >> 8 : v)),
      );
      nodeSuite.verify(other.publicKey, m, sig);
    }
    counter.calls = 0;
    expect(nodeSuite.verify(first.publicKey, m, sig)).toBe(true);
    expect(counter.calls).toBe(1);
  });
});
