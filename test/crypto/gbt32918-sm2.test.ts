/**
 * SM2 signatures (GB/T 32918.2-2016) with the GM/T 0009 default user id, on both `sm2-sm3` implementations, against
 * published known answers on the recommended curve (test/vectors/gm/gbt32918-sm2.json cites them): the GM/T 0003.5 /
 * GB/T 32918.5 Annex A example (Z_A, e, r, s) and OpenSSL's evppkey_sm2.txt Verify cases. Mutated inputs must fail.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/bytes';
import { nodeSm2Suite } from '../../src/crypto/node-sm2';
import { DEFAULT_USER_ID, sm2PublicKey, sm2VerifyDigest, sm2Z } from '../../src/crypto/sm2';
import { sm2PrivateKeyFromPem, sm2SignatureFromDer } from '../../src/crypto/sm2-keys';
import { portableSm2Suite } from '../../src/crypto/sm2-suite';

const V = JSON.parse(readFileSync(join(import.meta.dirname, '../vectors/gm/gbt32918-sm2.json'), 'utf8'));
const A = V.annexA as Record<string, string>;
const SUITES = { node: nodeSm2Suite, portable: portableSm2Suite };
const SIG = fromHex(A.r! + A.s!);
const MSG = utf8(A.message!);
const PUB = fromHex(A.publicKey!);

function flip(bytes: Uint8Array, i: number): Uint8Array {
  const out = bytes.slice();
  out[i]! ^= 0x01;
  return out;
}

describe('GM/T 0003.5 / GB/T 32918.5 Annex A signature example', () => {
  it('uses the GM/T 0009 default user id', () => {
    expect(DEFAULT_USER_ID).toBe(A.userId);
  });

  it('derives the public key, Z_A and e of the example', () => {
    expect(toHex(sm2PublicKey(fromHex(A.privateKey!)))).toBe(A.publicKey);
    expect(toHex(sm2Z(PUB))).toBe(A.z);
    for (const suite of Object.values(SUITES))
      expect(toHex(suite.hash(concatBytes(sm2Z(PUB), MSG)))).toBe(A.e);
  });

  it('the library signs e with the example nonce k to exactly (r, s)', () => {
    // The nonce is injected through the library's point pool: (k, x1) with (x1, y1) = [k]G (§6.1 A3–A4).
    const kG = sm2.getPublicKeyFromPrivateKey(A.k!);
    const pointPool = [{ k: BigInt(`0x${A.k}`), x1: BigInt(`0x${kG.slice(2, 66)}`) }];
    expect(sm2.doSignature(fromHex(A.e!), A.privateKey!, { hash: false, der: false, pointPool })).toBe(
      A.r! + A.s!,
    );
  });

  for (const [name, suite] of Object.entries(SUITES)) {
    it(`verifies (r, s) and refuses every mutation (${name})`, () => {
      expect(suite.verify(PUB, MSG, SIG)).toBe(true);
      expect(suite.verify(PUB, utf8('message digesT'), SIG)).toBe(false);
      expect(suite.verify(PUB, concatBytes(MSG, Uint8Array.of(0)), SIG)).toBe(false);
      for (const i of [0, 31, 32, 63])
        expect(suite.verify(PUB, MSG, flip(SIG, i)), `sig byte ${i}`).toBe(false);
      // A key that is off the curve is a failed check, not an exception.
      for (const i of [1, 33, 64]) expect(suite.verify(flip(PUB, i), MSG, SIG), `key byte ${i}`).toBe(false);
      // Another valid key.
      expect(suite.verify(sm2PublicKey(Uint8Array.from({ length: 32 }, (_, i) => i + 1)), MSG, SIG)).toBe(
        false,
      );
    });

    it(`refuses r or s outside [1, n-1] (${name})`, () => {
      const n = fromHex('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
      const zero = new Uint8Array(32);
      const r = SIG.subarray(0, 32);
      const s = SIG.subarray(32);
      for (const bad of [concatBytes(zero, s), concatBytes(r, zero), concatBytes(n, s), concatBytes(r, n)])
        expect(suite.verify(PUB, MSG, bad)).toBe(false);
      // r + n: same residue, must still fail (r is compared, not reduced).
      expect(suite.verify(PUB, MSG, concatBytes(new Uint8Array(32).fill(0xff), s))).toBe(false);
    });

    it(`throws on malformed lengths and non-bytes (${name})`, () => {
      const code = (c: string) => expect.objectContaining({ name: 'CryptoError', code: c });
      expect(() => suite.verify(PUB.subarray(1), MSG, SIG)).toThrow(code('CRYPTO_BAD_KEY'));
      expect(() => suite.verify(PUB, MSG, SIG.subarray(1))).toThrow(code('CRYPTO_BAD_SIGNATURE'));
      expect(() =>
        suite.verify(
          PUB,
          MSG,
          sm2SignatureFromDer(fromHex(V.openssl.verify[0].signatureDer)).subarray(0, 63),
        ),
      ).toThrow(code('CRYPTO_BAD_SIGNATURE'));
      expect(() => suite.verify(PUB, 'x' as unknown as Uint8Array, SIG)).toThrow(TypeError);
    });
  }
});

describe("OpenSSL's evppkey_sm2.txt Verify cases", () => {
  const d = sm2PrivateKeyFromPem(V.openssl.privateKeyPem);
  const pub = sm2PublicKey(d);

  it('verifies each (digest e, DER signature) and refuses a changed e', () => {
    for (const c of V.openssl.verify as { e: string; signatureDer: string }[]) {
      const sig = sm2SignatureFromDer(fromHex(c.signatureDer));
      expect(sm2VerifyDigest(pub, fromHex(c.e), sig)).toBe(true);
      expect(sm2VerifyDigest(pub, flip(fromHex(c.e), 31), sig)).toBe(false);
    }
  });
});

describe('signing on both paths', () => {
  for (const [name, suite] of Object.entries(SUITES)) {
    it(`signs what both paths and the library's own Z_A path verify (${name})`, async () => {
      const d = suite.generatePrivateKey();
      const signer = suite.createSigner(d);
      expect(signer.suite).toBe('sm2-sm3');
      expect(signer.keyId).toBe(suite.keyId(signer.publicKey));
      const msg = utf8('enforcement-ledger test message');
      const sig = await signer.sign(msg);
      expect(sig.length).toBe(64);
      for (const other of Object.values(SUITES)) expect(other.verify(signer.publicKey, msg, sig)).toBe(true);
      // Independent of our e = SM3(Z_A ‖ M): the library hashes with its own SM3 and default id.
      expect(
        sm2.doVerifySignature(msg, toHex(sig), toHex(signer.publicKey), { hash: true, der: false }),
      ).toBe(true);
      // Randomized (§6.1 A3): a second signature differs and verifies too.
      const again = await signer.sign(msg);
      expect(toHex(again)).not.toBe(toHex(sig));
      expect(suite.verify(signer.publicKey, msg, again)).toBe(true);
    });
  }

  it('verifies signatures the library makes through its own hashing path', () => {
    const kp = sm2.generateKeyPairHex();
    const msg = utf8('from sm-crypto-v2 with hash: true');
    const sig = fromHex(
      sm2.doSignature(msg, kp.privateKey, { hash: true, der: false, publicKey: kp.publicKey }),
    );
    for (const suite of Object.values(SUITES))
      expect(suite.verify(fromHex(kp.publicKey), msg, sig)).toBe(true);
  });

  it('keeps verifying correctly once a key has been used often enough to get precomputed tables', async () => {
    const signer = nodeSm2Suite.createSigner(nodeSm2Suite.generatePrivateKey());
    for (let i = 0; i < 8; i++) {
      const msg = utf8(`message ${i}`);
      const sig = await signer.sign(msg);
      expect(nodeSm2Suite.verify(signer.publicKey, msg, sig), `use ${i}`).toBe(true);
      expect(nodeSm2Suite.verify(signer.publicKey, msg, flip(sig, 5)), `use ${i} mutated`).toBe(false);
    }
  });
});
