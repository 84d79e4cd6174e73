/**
 * RFC 9162 §2.1.1 leaf and node hashes (src/merkle/hash.ts) against SHA-256 over the prefixed input computed here,
 * across the sizes where its reused input buffer changes (4 KiB, 64 KiB, beyond), in a mixed order: a reused buffer
 * must never leak bytes of an earlier, longer input into a later hash.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeSuite } from '../../src/crypto/node';
import { portableSuite } from '../../src/crypto/portable';
import { hashChildren, hashLeaf } from '../../src/merkle/hash';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

describe('leaf and node hashes', () => {
  it('equal SHA-256 of 0x00 ‖ data and 0x01 ‖ left ‖ right at every buffer boundary, in any order (property)', () => {
    const sizes = fc.constantFrom(0, 1, 63, 4094, 4095, 4096, 4097, 65_535, 65_536, 70_000);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(sizes, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (xs) => {
          for (const [n, fill] of xs) {
            const data = new Uint8Array(n).fill(fill);
            for (const suite of [nodeSuite, portableSuite]) {
              expect(hashLeaf(suite.hash, data)).toEqual(sha(Uint8Array.of(0), data));
              expect(hashChildren(suite.hash, data, data.subarray(0, 32))).toEqual(
                sha(Uint8Array.of(1), data, data.subarray(0, 32)),
              );
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
