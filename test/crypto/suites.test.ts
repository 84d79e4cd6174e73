/**
 * One conformance suite that every CryptoSuite implementation runs (Node and portable, ed25519-sha256 and sm2-sm3),
 * and the registry that maps a manifest's suite id to them, failing closed.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes';
import { nodeSuite } from '../../src/crypto/node';
import { nodeSm2Suite } from '../../src/crypto/node-sm2';
import { createStreamingHash, suiteById } from '../../src/crypto/node-registry';
import { portableSuite } from '../../src/crypto/portable';
import { SUITE_IDS, portableSuiteById, privateKeyFromAnyPem } from '../../src/crypto/registry';
import { portableSm2Suite } from '../../src/crypto/sm2-suite';
import type { CryptoSuite } from '../../src/crypto/types';

const IMPLS: [string, CryptoSuite][] = [
  ['node ed25519-sha256', nodeSuite],
  ['portable ed25519-sha256', portableSuite],
  ['node sm2-sm3', nodeSm2Suite],
  ['portable sm2-sm3', portableSm2Suite],
];

function flip(bytes: Uint8Array, i: number): Uint8Array {
  const out = bytes.slice();
  out[i]! ^= 0x80;
  return out;
}

describe.each(IMPLS)('CryptoSuite conformance: %s', (_name, suite) => {
  it('declares lengths that its keys, signatures and digests have', async () => {
    const d = suite.generatePrivateKey();
    expect(d.length).toBe(suite.privateKeyLength);
    const pub = suite.publicKeyFromPrivateKey(d);
    expect(pub.length).toBe(suite.publicKeyLength);
    expect(suite.hash(utf8('x')).length).toBe(suite.hashLength);
    expect(suite.keyId(pub)).toMatch(new RegExp(`^[0-9a-f]{${2 * suite.hashLength}}$`));
    expect(suite.keyId(pub)).toBe(toHex(suite.hash(pub)));
    const sig = await suite.createSigner(d).sign(utf8('m'));
    expect(sig.length).toBe(suite.signatureLength);
    expect(suite.noteSignatureType).toMatch(/^(0[1-9a-f]|ff[0-9a-f]{2,})$/);
    expect(suite.cosignatureType).not.toBe(suite.noteSignatureType);
  });

  it('verifies its own signatures and refuses mutated ones', async () => {
    const signer = suite.createSigner(suite.generatePrivateKey());
    const msg = utf8('enforcement-ledger/entry/v1 …');
    const sig = await signer.sign(msg);
    expect(suite.verify(signer.publicKey, msg, sig)).toBe(true);
    for (const i of [0, suite.signatureLength - 1])
      expect(suite.verify(signer.publicKey, msg, flip(sig, i))).toBe(false);
    expect(suite.verify(signer.publicKey, flip(msg, 0), sig)).toBe(false);
    const other = suite.publicKeyFromPrivateKey(suite.generatePrivateKey());
    expect(suite.verify(other, msg, sig)).toBe(false);
  });

  it('round-trips private and public keys through PEM, and refuses the other suite’s PEM', () => {
    const d = suite.generatePrivateKey();
    const pub = suite.publicKeyFromPrivateKey(d);
    expect(toHex(suite.privateKeyFromPem(suite.privateKeyToPem(d)))).toBe(toHex(d));
    expect(toHex(suite.publicKeyFromPem(suite.publicKeyToPem(pub)))).toBe(toHex(pub));
    const other = IMPLS.find(([, s]) => s.id !== suite.id)![1];
    const od = other.generatePrivateKey();
    const code = expect.objectContaining({ code: 'CRYPTO_BAD_PEM' });
    expect(() => suite.privateKeyFromPem(other.privateKeyToPem(od))).toThrow(code);
    expect(() => suite.publicKeyFromPem(other.publicKeyToPem(other.publicKeyFromPrivateKey(od)))).toThrow(
      code,
    );
  });

  it('throws CRYPTO_BAD_KEY for keys of the wrong length', () => {
    const code = expect.objectContaining({ code: 'CRYPTO_BAD_KEY' });
    expect(() => suite.keyId(new Uint8Array(suite.publicKeyLength + 1))).toThrow(code);
    expect(() => suite.createSigner(new Uint8Array(suite.privateKeyLength - 1))).toThrow(code);
    expect(() => suite.checkPublicKey(new Uint8Array(3))).toThrow(code);
  });
});

describe('Node and portable implementations agree', () => {
  it('on sm2-sm3 hashes and verdicts for random messages and mutations', async () => {
    const signer = nodeSm2Suite.createSigner(nodeSm2Suite.generatePrivateKey());
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.nat(63), async (msg, i) => {
        expect(toHex(portableSm2Suite.hash(msg))).toBe(toHex(nodeSm2Suite.hash(msg)));
        const sig = await signer.sign(msg);
        const bad = flip(sig, i);
        for (const s of [sig, bad])
          expect(portableSm2Suite.verify(signer.publicKey, msg, s)).toBe(
            nodeSm2Suite.verify(signer.publicKey, msg, s),
          );
      }),
      { numRuns: 25 },
    );
  });
});

describe('suite registry', () => {
  it('maps each known id to the implementation of that suite', () => {
    expect(SUITE_IDS).toEqual(['ed25519-sha256', 'sm2-sm3']);
    for (const id of SUITE_IDS) {
      expect(suiteById(id).id).toBe(id);
      expect(portableSuiteById(id).id).toBe(id);
    }
    expect(suiteById('sm2-sm3')).toBe(nodeSm2Suite);
    expect(portableSuiteById('sm2-sm3')).toBe(portableSm2Suite);
    expect(suiteById('ed25519-sha256')).toBe(nodeSuite);
  });

  it('fails closed on anything else', () => {
    const code = expect.objectContaining({ name: 'CryptoError', code: 'CRYPTO_UNKNOWN_SUITE' });
    for (const id of [
      'ED25519-SHA256',
      'sm2-sm3 ',
      'sm2',
      '',
      '__proto__',
      'toString',
      'constructor',
      42,
      null,
      undefined,
      {},
    ]) {
      expect(() => suiteById(id), String(id)).toThrow(code);
      expect(() => portableSuiteById(id), String(id)).toThrow(code);
    }
  });

  it('recognises which suite a private key file belongs to', () => {
    for (const suite of [nodeSuite, nodeSm2Suite]) {
      const d = suite.generatePrivateKey();
      const got = privateKeyFromAnyPem(suite.privateKeyToPem(d));
      expect(got.suite).toBe(suite.id);
      expect(toHex(got.privateKey)).toBe(toHex(d));
    }
    expect(() =>
      privateKeyFromAnyPem('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
    ).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_PEM' }));
  });

  it('streams each suite’s hash to the same digest as the one-shot hash', () => {
    const data = new Uint8Array(100_000).map((_, i) => i & 0xff);
    for (const id of SUITE_IDS) {
      const h = createStreamingHash(suiteById(id));
      for (let i = 0; i < data.length; i += 7_777) h.update(data.subarray(i, i + 7_777));
      expect(toHex(h.digest()), id).toBe(toHex(suiteById(id).hash(data)));
    }
  });
});
