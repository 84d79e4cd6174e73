import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../src/encoding/cbor';
import { EncodingError } from '../../src/errors';
import { decodeSignedEntry, encodeEntry, encodeSignedEntry, signedEntryLeaf } from '../../src/ledger/format';
import { entryKey, indexKey, indexPrefix, nodeKey, readU64 } from '../../src/ledger/keyspace';
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

describe('signed entry frame, read directly', () => {
  const e = entry('x');
  const eb = encodeEntry(e);
  const sig = new Uint8Array(64).fill(5);

  it('gives plain copies, from a Buffer too, at every byte-string head size of the entry', () => {
    for (const pad of [0, 30, 250, 70_000]) {
      const big = encodeEntry(entry('y'.repeat(pad)));
      const signed = encodeSignedEntry(big, sig);
      for (const input of [signed, Buffer.from(signed)]) {
        const d = decodeSignedEntry(input);
        expect(d.entryBytes.constructor).toBe(Uint8Array);
        expect(d.signature.constructor).toBe(Uint8Array);
        expect(d.entryBytes).toEqual(big);
        expect(d.signature).toEqual(sig);
        expect(d.entryBytes.buffer).not.toBe(input.buffer); // a copy, not a view of the stored bytes
      }
    }
  });

  it('with `views`, gives the same values as plain views of the input (no copy), from a Buffer too', () => {
    for (const pad of [0, 30, 250, 70_000]) {
      const big = encodeEntry(entry('y'.repeat(pad)));
      const signed = encodeSignedEntry(big, sig);
      for (const input of [signed, Buffer.from(signed)]) {
        const d = decodeSignedEntry(input, { views: true });
        expect(d.entryBytes.constructor).toBe(Uint8Array);
        expect(d.signature.constructor).toBe(Uint8Array);
        expect(d.entryBytes).toEqual(big);
        expect(d.signature).toEqual(sig);
        expect(d.entry).toEqual(decodeSignedEntry(input).entry);
        expect(d.entryBytes.buffer).toBe(input.buffer);
        expect(d.signature.buffer).toBe(input.buffer);
        // The entry's own byte strings too (ledger id, prev).
        expect(d.entry.ledgerId.buffer).toBe(input.buffer);
        expect(d.entry.prev.buffer).toBe(input.buffer);
        expect(decodeSignedEntry(input).entry.ledgerId.buffer).not.toBe(input.buffer);
      }
    }
  });

  it('refuses every frame that is not the canonical one, as the general decoder does (property)', () => {
    // Frames a decoder might be lenient with: non-shortest heads, a 3-element array, a 63- or 65-byte signature,
    // trailing bytes, a text string instead of bytes. Each must be refused with a coded error.
    const bstr = (b: Uint8Array, width: 0 | 1 | 2 | 4) => {
      const n = b.length;
      const head =
        width === 0
          ? [0x40 | n]
          : width === 1
            ? [0x58, n]
            : width === 2
              ? [0x59, n >> 8, n & 0xff]
              : [0x5a, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
      return [...head, ...b];
    };
    const shortest = (n: number) => (n < 24 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : 4);
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 4),
        fc.constantFrom(63, 64, 65),
        fc.constantFrom(0x82, 0x83, 0x81),
        fc.boolean(),
        (width, sigLen, arrayHead, trailing) => {
          if (width === 0 && eb.length >= 24) return;
          if (width === 1 && eb.length >= 0x100) return;
          const s = new Uint8Array(sigLen).fill(5);
          const extra = arrayHead === 0x83 ? [0x00] : [];
          const bytes = Uint8Array.from([
            arrayHead,
            ...bstr(eb, width as 0 | 1 | 2 | 4),
            ...(arrayHead === 0x81 ? [] : bstr(s, 1)),
            ...extra,
            ...(trailing ? [0] : []),
          ]);
          const canonical = arrayHead === 0x82 && width === shortest(eb.length) && sigLen === 64 && !trailing;
          for (const views of [false, true]) {
            if (canonical) expect(decodeSignedEntry(bytes, { views }).entry).toEqual(e);
            else expect(() => decodeSignedEntry(bytes, { views })).toThrow(EncodingError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('storage keys (docs/FORMAT.md §Storage), built in place', () => {
  // Independent construction: Buffer's UTF-8 and BigInt's big-endian u64.
  const be64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return b;
  };
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.constantFrom('', 'enf/id:document', '晋卫询〔2026〕1号', '\ud800 lone', 'x'.repeat(300)),
  );
  const seq = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER));

  it('equal the prefix byte, UTF-8 (WHATWG, lone surrogates as U+FFFD) and big-endian u64 of their parts', () => {
    fc.assert(
      fc.property(text, text, seq, (index, key, n) => {
        const u8 = (s: string) => new TextEncoder().encode(s);
        const prefix = Buffer.concat([Buffer.from('x'), u8(index), Buffer.of(0), u8(key), Buffer.of(0)]);
        expect(Buffer.from(indexKey(index, key, n))).toEqual(Buffer.concat([prefix, be64(n)]));
        expect(Buffer.from(indexPrefix(index, key))).toEqual(prefix);
        expect(Buffer.from(indexPrefix(index))).toEqual(
          Buffer.concat([Buffer.from('x'), u8(index), Buffer.of(0)]),
        );
        expect(Buffer.from(entryKey(n))).toEqual(Buffer.concat([Buffer.from('e'), be64(n)]));
        expect(Buffer.from(nodeKey(n % 64, n))).toEqual(Buffer.concat([Buffer.of(0x6e, n % 64), be64(n)]));
        expect(readU64(indexKey(index, key, n), indexKey(index, key, n).length - 8)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});
