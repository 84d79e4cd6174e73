import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, fromUtf8, toBase64, toHex, utf8 } from '../../src/bytes';
import { EncodingError } from '../../src/errors';

describe('bytes', () => {
  it('UTF-8 round-trips exactly, a leading BOM included', () => {
    expect(fromUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x61))).toBe('\ufeffa');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(fromUtf8(utf8(s))).toBe(s);
      }),
    );
    expect(() => fromUtf8(Uint8Array.of(0xff))).toThrow(TypeError);
  });

  it('base64 matches Node and refuses non-canonical text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        const text = toBase64(b);
        expect(text).toBe(Buffer.from(b).toString('base64'));
        expect(fromBase64(text)).toEqual(b);
      }),
    );
    expect(() => fromBase64('YQ=')).toThrow(RangeError);
    expect(() => fromBase64('YR==')).toThrow(RangeError); // trailing bits set
    expect(() => fromBase64('Y Q==')).toThrow(RangeError);
  });

  it('hex round-trips and refuses odd or non-hex text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(fromHex(toHex(b))).toEqual(b);
      }),
    );
    expect(fromHex('00fFaB')).toEqual(Uint8Array.of(0, 255, 171));
    const refused = (hex: string) => {
      try {
        fromHex(hex);
      } catch (err) {
        return err instanceof EncodingError ? { code: err.code, offset: err.offset } : err;
      }
      return 'accepted';
    };
    expect(refused('abc')).toEqual({ code: 'ENCODING_BAD_HEX', offset: 2 });
    expect(refused('zz')).toEqual({ code: 'ENCODING_BAD_HEX', offset: 0 });
    expect(refused('00 1')).toEqual({ code: 'ENCODING_BAD_HEX', offset: 2 });
    expect(refused('0x00')).toEqual({ code: 'ENCODING_BAD_HEX', offset: 1 });
  });
});
