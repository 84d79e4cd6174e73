/**
 * nodeSuite (OpenSSL) and portableSuite (@noble) give the same answer on every input: honest signatures, RFC 8032
 * §5.1.7 edge cases (S ≥ L, non-canonical and small-order points, mixed-order points), malformed input and
 * bit flips. Where the raw libraries disagree, a test shows the raw disagreement first, so it fails if the input
 * no longer exercises the class.
 */

import * as nodeCrypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes';
import { isCanonicalScalar, isStrictPublicKey, SMALL_ORDER_ENCODINGS } from '../../src/crypto/ed25519-strict';
import { createNodeSigner, nodeSuite } from '../../src/crypto/node';
import { ed, sha512 } from '../../src/crypto/noble';
import { createPortableSigner, portableSuite } from '../../src/crypto/portable';
import { CryptoError } from '../../src/errors';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const P = 2n ** 255n - 19n;
const { Point } = ed;
type Pt = InstanceType<typeof Point>;

const le = (b: Uint8Array): bigint => {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
};
const toLE = (n: bigint, len = 32): Uint8Array => {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    b[i] = Number(n & 255n);
    n >>= 8n;
  }
  return b;
};
const challenge = (R: Uint8Array, A: Uint8Array, M: Uint8Array): bigint =>
  le(sha512(concatBytes(R, A, M))) % L;

/** OpenSSL's own answer, without our pre-checks. */
function rawOpenSsl(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  const key = nodeCrypto.createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]),
    format: 'der',
    type: 'spki',
  });
  return nodeCrypto.verify(null, msg, key, sig);
}
/** noble's own strict (cofactored) answer. */
function rawNobleStrict(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  return ed.verify(sig, msg, pub, { zip215: false });
}

/** Both suites' answers, asserted equal. */
function both(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
  const a = nodeSuite.verify(pub, msg, sig);
  const b = portableSuite.verify(pub, msg, sig);
  expect(b).toBe(a);
  return a;
}

/** [L]P of a random curve point P lands in the torsion subgroup; find one of order 8 (independent of our table). */
function torsionGenerator(): Pt {
  for (let y = 2n; ; y++) {
    let p: Pt;
    try {
      p = Point.fromBytes(toLE(y), false);
    } catch {
      continue;
    }
    const t = p.multiply(L - 1n, false).add(p);
    if (!t.multiply(4n, false).is0()) return t;
  }
}

const msg = new TextEncoder().encode('enforcement-ledger agreement');
const seed = fromHex('0d4a05b07352a5436e180356da0ae6efa0345ff7fb1572575772e8005ed978e9');
const a = 0x1234567890abcdefn; // a private scalar for hand-made (non-RFC-keygen) keys
const T8 = torsionGenerator();

describe('honest signatures', () => {
  it('1,000 random seeds and messages: byte-identical signatures, each verifies on the other path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 300 }),
        async (s, m) => {
          const n = createNodeSigner(s);
          const p = createPortableSigner(s);
          expect(toHex(n.publicKey)).toBe(toHex(p.publicKey));
          expect(n.keyId).toBe(p.keyId);
          const sn = await n.sign(m);
          const sp = await p.sign(m);
          expect(toHex(sn)).toBe(toHex(sp));
          expect(portableSuite.verify(n.publicKey, m, sn)).toBe(true);
          expect(nodeSuite.verify(p.publicKey, m, sp)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('agrees with noble strict verify on honest and corrupted signatures', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        async (s, m, corrupt) => {
          const signer = createPortableSigner(s);
          const sig = await signer.sign(m);
          if (corrupt) sig[0]! ^= 1;
          expect(portableSuite.verify(signer.publicKey, m, sig)).toBe(
            rawNobleStrict(signer.publicKey, m, sig),
          );
          expect(both(signer.publicKey, m, sig)).toBe(!corrupt);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('malformed input', () => {
  const signer = createNodeSigner(seed);
  it('a key that is not 32 bytes: CryptoError CRYPTO_BAD_KEY on both paths', async () => {
    const sig = await signer.sign(msg);
    for (const len of [0, 31, 33, 64]) {
      for (const suite of [nodeSuite, portableSuite]) {
        const run = () => suite.verify(new Uint8Array(len), msg, sig);
        expect(run).toThrow(CryptoError);
        expect(run).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_KEY' }));
      }
    }
  });

  it('a signature that is not 64 bytes: CryptoError CRYPTO_BAD_SIGNATURE on both paths', async () => {
    const sig = await signer.sign(msg);
    for (const bad of [new Uint8Array(0), sig.subarray(0, 63), concatBytes(sig, new Uint8Array(1))]) {
      for (const suite of [nodeSuite, portableSuite]) {
        expect(() => suite.verify(signer.publicKey, msg, bad)).toThrow(
          expect.objectContaining({ name: 'CryptoError', code: 'CRYPTO_BAD_SIGNATURE' }),
        );
      }
    }
  });

  it('a non-Uint8Array argument: TypeError naming it', async () => {
    const sig = await signer.sign(msg);
    const hex = toHex(sig) as unknown as Uint8Array;
    for (const suite of [nodeSuite, portableSuite]) {
      expect(() => suite.verify(signer.publicKey, msg, hex)).toThrow(/signature/);
      expect(() => suite.verify(signer.publicKey, 'x' as unknown as Uint8Array, sig)).toThrow(TypeError);
      expect(() => suite.verify([...signer.publicKey] as unknown as Uint8Array, msg, sig)).toThrow(
        /publicKey/,
      );
    }
  });
});

describe('RFC 8032 §5.1.7 edge cases', () => {
  const signer = createNodeSigner(seed);

  it('S + L (same value mod L) and S = L are rejected by both', async () => {
    const sig = await signer.sign(msg);
    const S = le(sig.subarray(32));
    const plusL = concatBytes(sig.subarray(0, 32), toLE(S + L));
    const exactlyL = concatBytes(sig.subarray(0, 32), toLE(L));
    expect(S + L < 2n ** 256n).toBe(true);
    expect(both(signer.publicKey, msg, sig)).toBe(true);
    expect(both(signer.publicKey, msg, plusL)).toBe(false);
    expect(both(signer.publicKey, msg, exactlyL)).toBe(false);
    expect(isCanonicalScalar(toLE(L - 1n))).toBe(true);
    expect(isCanonicalScalar(toLE(L))).toBe(false);
  });

  it('our small-order table is exactly the torsion subgroup plus the two x = 0 sign-bit encodings', () => {
    const subgroup = new Set<string>();
    for (let i = 0n; i < 8n; i++)
      subgroup.add(toHex(i === 0n ? Point.ZERO.toBytes() : T8.multiply(i, false).toBytes()));
    expect(subgroup.size).toBe(8);
    const table = SMALL_ORDER_ENCODINGS.map(toHex);
    expect(new Set(table.slice(0, 8))).toEqual(subgroup);
    for (const h of table.slice(8)) {
      expect(() => Point.fromBytes(fromHex(h), false)).toThrow(); // strict decoding refuses x = 0 with sign bit
      expect(Point.fromBytes(fromHex(h), true).isSmallOrder()).toBe(true);
    }
  });

  it('small-order public keys: OpenSSL alone accepts forgeries; both suites reject', () => {
    for (const A of SMALL_ORDER_ENCODINGS) {
      const Ap = Point.fromBytes(A, true);
      let forged: Uint8Array | undefined;
      for (let r = 1n; r < 200n && forged === undefined; r++) {
        const R = Point.BASE.multiply(r).toBytes();
        if (Ap.multiply(challenge(R, A, msg), false).is0()) forged = concatBytes(R, toLE(r)); // [S]B = R + [k]A
      }
      expect(forged).toBeDefined();
      expect(rawOpenSsl(A, msg, forged!)).toBe(true);
      expect(both(A, msg, forged!)).toBe(false);
    }
  });

  it('non-canonical public keys (y ≥ p): OpenSSL alone accepts; both suites reject', () => {
    for (let extra = 0n; extra < 19n; extra++) {
      for (const sign of [0, 0x80]) {
        const A = toLE(P + extra);
        A[31]! |= sign;
        expect(isStrictPublicKey(A)).toBe(false);
        // y = p + 1 is the identity point in disguise: R = [S]B verifies for any message under OpenSSL
        if (extra === 1n && sign === 0) {
          const forged = concatBytes(Point.BASE.multiply(5n).toBytes(), toLE(5n));
          expect(rawOpenSsl(A, msg, forged)).toBe(true);
          expect(both(A, msg, forged)).toBe(false);
        }
        expect(both(A, msg, concatBytes(Point.BASE.toBytes(), toLE(1n)))).toBe(false);
      }
    }
  });

  it('mixed-order public key (a·B + T): noble cofactored alone accepts; both suites reject unless [k]T = 0', () => {
    const A = Point.BASE.multiply(a).add(T8).toBytes();
    let disagreements = 0;
    for (let r = 1000n; r < 1032n; r++) {
      const R = Point.BASE.multiply(r).toBytes();
      const k = challenge(R, A, msg);
      const sig = concatBytes(R, toLE((r + k * a) % L));
      expect(rawNobleStrict(A, msg, sig)).toBe(true);
      const ok = both(A, msg, sig);
      expect(ok).toBe(k % 8n === 0n); // cofactorless: [S]B - [k]A = R - [k]T
      expect(rawOpenSsl(A, msg, sig)).toBe(ok);
      if (!ok) disagreements++;
    }
    expect(disagreements).toBeGreaterThan(0);
  });

  it('mixed-order R (r·B + T) under an honest key: noble cofactored alone accepts; both suites reject', () => {
    const A = Point.BASE.multiply(a).toBytes();
    for (let r = 2000n; r < 2016n; r++) {
      const R = Point.BASE.multiply(r).add(T8).toBytes();
      const sig = concatBytes(R, toLE((r + challenge(R, A, msg) * a) % L));
      expect(rawNobleStrict(A, msg, sig)).toBe(true);
      expect(rawOpenSsl(A, msg, sig)).toBe(false);
      expect(both(A, msg, sig)).toBe(false);
    }
  });

  it('R = identity with S = k·a: canonical R accepted by both; non-canonical (y = p + 1) or sign-bit R rejected', () => {
    const A = Point.BASE.multiply(a).toBytes();
    const variants: [Uint8Array, boolean][] = [
      [toLE(1n), true],
      [toLE(P + 1n), false],
      [
        (() => {
          const b = toLE(1n);
          b[31] = 0x80;
          return b;
        })(),
        false,
      ],
    ];
    for (const [R, expected] of variants) {
      const sig = concatBytes(R, toLE((challenge(R, A, msg) * a) % L)); // [S]B = [k]A = R + [k]A
      expect(both(A, msg, sig)).toBe(expected);
      expect(rawOpenSsl(A, msg, sig)).toBe(expected);
    }
  });

  it('undecodable A or R (no square root) returns false on both, never throws', async () => {
    const sig = await signer.sign(msg);
    let found = 0;
    for (let y = 2n; y < 40n; y++) {
      const enc = toLE(y);
      try {
        Point.fromBytes(enc, false);
        continue;
      } catch {
        found++;
      }
      expect(both(enc, msg, sig)).toBe(false);
      expect(both(signer.publicKey, msg, concatBytes(enc, sig.subarray(32)))).toBe(false);
    }
    expect(found).toBeGreaterThan(0);
  });

  it('random 32-byte keys and 64-byte signatures: same answer (false), no throw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (pub, sig) => {
          expect(both(pub, msg, sig)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('bit flips', () => {
  it('every one of the 512 bits of a short message signature, flipped, is rejected by both', async () => {
    const signer = createPortableSigner(seed);
    const m = new Uint8Array([0x61]);
    const sig = await signer.sign(m);
    expect(both(signer.publicKey, m, sig)).toBe(true);
    for (let bit = 0; bit < 512; bit++) {
      const bad = sig.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(both(signer.publicKey, m, bad)).toBe(false);
    }
  });

  it('fast-check: any key, short message, flipped signature bit → rejected identically', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 16 }),
        fc.integer({ min: 0, max: 511 }),
        async (s, m, bit) => {
          const signer = createNodeSigner(s);
          const sig = await signer.sign(m);
          sig[bit >> 3]! ^= 1 << (bit & 7);
          expect(both(signer.publicKey, m, sig)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
