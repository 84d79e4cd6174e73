/** createSigner and the two Signer implementations; generateSeed. */

import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes';
import { generateSeed, publicKeyFromSeed } from '../../src/crypto/keys';
import { nodeSuite } from '../../src/crypto/node';
import { portableSuite } from '../../src/crypto/portable';
import { createSigner } from '../../src/crypto/signer';

describe('createSigner', () => {
  const seed = new Uint8Array(32).map((_, i) => i);

  it('defaults to node; both implementations expose the same suite, key, key id and signatures', async () => {
    const n = createSigner(seed);
    const p = createSigner(seed, { impl: 'portable' });
    const m = utf8('signed message');
    for (const s of [n, p]) {
      expect(s.suite).toBe('ed25519-sha256');
      expect(toHex(s.publicKey)).toBe(toHex(publicKeyFromSeed(seed)));
      expect(s.keyId).toBe(nodeSuite.keyId(s.publicKey));
    }
    const sig = await n.sign(m);
    expect(toHex(await p.sign(m))).toBe(toHex(sig));
    expect(portableSuite.verify(n.publicKey, m, sig)).toBe(true);
    expect(Object.getPrototypeOf(sig)).toBe(Uint8Array.prototype);
  });

  it('keeps its own copy of the seed', async () => {
    const s = seed.slice();
    const signers = [createSigner(s), createSigner(s, { impl: 'portable' })];
    const m = utf8('x');
    const before = await Promise.all(signers.map((x) => x.sign(m)));
    s.fill(0);
    const after = await Promise.all(signers.map((x) => x.sign(m)));
    expect(after.map(toHex)).toEqual(before.map(toHex));
  });

  it('misuse: RangeError for an unknown impl, CRYPTO_BAD_KEY for a wrong-length seed, TypeError for a bad message', async () => {
    expect(() => createSigner(seed, { impl: 'hsm' as 'node' })).toThrow(RangeError);
    for (const impl of ['node', 'portable'] as const) {
      expect(() => createSigner(new Uint8Array(31), { impl })).toThrow(
        expect.objectContaining({ name: 'CryptoError', code: 'CRYPTO_BAD_KEY' }),
      );
      expect(() => createSigner('00'.repeat(32) as unknown as Uint8Array, { impl })).toThrow(TypeError);
      await expect(createSigner(seed, { impl }).sign('text' as unknown as Uint8Array)).rejects.toThrow(
        TypeError,
      );
    }
  });
});

describe('generateSeed', () => {
  it('returns 32 fresh random bytes each call', () => {
    const seeds = Array.from({ length: 8 }, generateSeed);
    for (const s of seeds) expect(s.length).toBe(32);
    expect(new Set(seeds.map(toHex)).size).toBe(8);
  });
});
