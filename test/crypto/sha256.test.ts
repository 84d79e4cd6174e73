/** SHA-256 (FIPS 180-4) on both paths, and key ids. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes';
import { nodeSuite } from '../../src/crypto/node';
import { portableSuite } from '../../src/crypto/portable';
import { CryptoError } from '../../src/errors';

const suites = [nodeSuite, portableSuite];

// FIPS 180-2 Appendix B.1 / B.2 examples and the empty message.
const KNOWN: [string, string][] = [
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
];

describe('SHA-256', () => {
  for (const suite of suites) {
    it(`matches the FIPS 180 examples (${suite === nodeSuite ? 'node' : 'portable'})`, () => {
      for (const [text, digest] of KNOWN) expect(toHex(suite.hash(utf8(text)))).toBe(digest);
    });
  }

  it('gives equal digests on both paths for random inputs (including subarray views)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.nat(64), (data, cut) => {
        const view = data.subarray(Math.min(cut, data.length));
        const a = nodeSuite.hash(view);
        const b = portableSuite.hash(view);
        expect(a).toBeInstanceOf(Uint8Array);
        expect(a.length).toBe(32);
        expect(toHex(a)).toBe(toHex(b));
      }),
      { numRuns: 500 },
    );
  });

  it('returns plain Uint8Arrays, not Buffers', () => {
    expect(Object.getPrototypeOf(nodeSuite.hash(utf8('x')))).toBe(Uint8Array.prototype);
  });

  it('throws TypeError on a non-Uint8Array', () => {
    for (const suite of suites) expect(() => suite.hash('abc' as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('keyId', () => {
  it('is the lowercase hex SHA-256 of the public key, equal on both paths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (pub) => {
        const id = nodeSuite.keyId(pub);
        expect(id).toMatch(/^[0-9a-f]{64}$/);
        expect(id).toBe(toHex(portableSuite.hash(pub)));
        expect(portableSuite.keyId(pub)).toBe(id);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a public key that is not 32 bytes', () => {
    for (const suite of suites) {
      for (const len of [0, 31, 33, 64]) {
        expect(() => suite.keyId(new Uint8Array(len))).toThrow(CryptoError);
        try {
          suite.keyId(new Uint8Array(len));
        } catch (e) {
          expect((e as CryptoError).code).toBe('CRYPTO_BAD_KEY');
        }
      }
      expect(() => suite.keyId([1, 2] as unknown as Uint8Array)).toThrow(TypeError);
    }
  });
});
