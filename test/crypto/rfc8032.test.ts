/** RFC 8032 §7.1 Ed25519 test vectors (TEST 1, 2, 3, 1024, SHA(abc)) on both paths. */

import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/bytes';
import { publicKeyFromSeed } from '../../src/crypto/keys';
import { createNodeSigner, nodePublicKey, nodeSuite } from '../../src/crypto/node';
import { createPortableSigner, portablePublicKey, portableSuite } from '../../src/crypto/portable';
import vectors from '../vectors/rfc8032-7.1.json';

const suites = { node: nodeSuite, portable: portableSuite } as const;
const signers = { node: createNodeSigner, portable: createPortableSigner } as const;
const publicKeys = { node: nodePublicKey, portable: portablePublicKey, keys: publicKeyFromSeed } as const;

describe('RFC 8032 §7.1 vectors', () => {
  it('has the five Ed25519 vectors of the section', () => {
    expect(vectors.vectors.map((v) => v.name)).toEqual([
      'TEST 1',
      'TEST 2',
      'TEST 3',
      'TEST 1024',
      'TEST SHA(abc)',
    ]);
    expect(fromHex(vectors.vectors[3]!.message).length).toBe(1023);
  });

  for (const v of vectors.vectors) {
    const seed = fromHex(v.secretKey);
    const message = fromHex(v.message);

    for (const [name, derive] of Object.entries(publicKeys)) {
      it(`${v.name}: public key from seed (${name})`, () => {
        expect(toHex(derive(seed))).toBe(v.publicKey);
      });
    }

    for (const [name, create] of Object.entries(signers)) {
      it(`${v.name}: signature (${name} signer)`, async () => {
        const signer = create(seed);
        expect(toHex(signer.publicKey)).toBe(v.publicKey);
        expect(toHex(await signer.sign(message))).toBe(v.signature);
      });
    }

    for (const [name, suite] of Object.entries(suites)) {
      it(`${v.name}: verify (${name} suite), and a changed message fails`, () => {
        const publicKey = fromHex(v.publicKey);
        const signature = fromHex(v.signature);
        expect(suite.verify(publicKey, message, signature)).toBe(true);
        const other = new Uint8Array([...message, 0]);
        expect(suite.verify(publicKey, other, signature)).toBe(false);
      });
    }
  }
});
