import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../src/encoding/cbor';
import { EncodingError } from '../../src/errors';
import { decodeSignedEntry, encodeEntry, encodeSignedEntry, signedEntryLeaf } from '../../src/ledger/format';
import { hashLeaf } from '../../src/merkle/hash';
import { nodeSuite } from '../../src/crypto/node';
import type { Entry } from '../../src/ledger/types';

const entry = (body: string): Entry => ({
  version: 1,
  ledgerId: new Uint8Array(32).fill(1),
  seq: 7,
  prev: new Uint8Array(32).fill(2),
  time: 1_767_000_000_000,
  kind: 'test/x',
  body: { text: body },
  content: [],
  signer: 'ab'.repeat(32),
});

describe('signed entry framing', () => {
  it('equals the general canonical encoding at every byte-string head size', () => {
    for (const n of [0, 1, 23, 24, 255, 256, 65535, 65536, 70000]) {
      const bytes = new Uint8Array(n).fill(7);
      const sig = new Uint8Array(64).fill(9);
      expect(encodeSignedEntry(bytes, sig)).toEqual(encodeCanonical([bytes, sig]));
      // The leaf input append hashes: 0x00 then exactly those bytes, hashed as hashLeaf hashes the signed entry.
      const leaf = signedEntryLeaf(bytes, sig);
      expect(leaf[0]).toBe(0);
      expect(leaf.subarray(1)).toEqual(encodeCanonical([bytes, sig]));
      expect(nodeSuite.hash(leaf)).toEqual(hashLeaf(nodeSuite.hash, encodeCanonical([bytes, sig])));
    }
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (b, s) => {
          expect(encodeSignedEntry(b, s)).toEqual(encodeCanonical([b, s]));
        },
      ),
    );
  });

  it('round-trips, and every single-byte change of the framing is refused with a coded error', () => {
    const e = entry('现场笔录 '.repeat(10));
    const eb = encodeEntry(e);
    const signed = encodeSignedEntry(eb, new Uint8Array(64).fill(5));
    const d = decodeSignedEntry(signed);
    expect(d.entry).toEqual(e);
    expect(d.entryBytes).toEqual(eb);
    // The outer framing: array head, the entry's byte-string head, and the signature's head (2 bytes).
    const head = signed.length - 1 - eb.length - 66;
    expect(head).toBe(3); // this entry is 256…65535 bytes long
    const sigHead = 1 + head + eb.length;
    const framing = [0, 1, 2, 3, sigHead, sigHead + 1];
    for (const at of framing)
      for (let bit = 0; bit < 8; bit++) {
        const m = Uint8Array.from(signed);
        m[at]! ^= 1 << bit;
        expect(() => decodeSignedEntry(m), `byte ${at} bit ${bit}`).toThrow(EncodingError);
      }
    expect(() => decodeSignedEntry(signed.subarray(0, signed.length - 1))).toThrow(EncodingError);
    expect(() => decodeSignedEntry(Uint8Array.from([...signed, 0]))).toThrow(EncodingError);
  });
});
