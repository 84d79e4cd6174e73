/** RFC 8949 Appendix A examples, byte for byte; the ones outside the canonical profile are refused with a code. */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/bytes';
import { decodeCanonical, encodeCanonical } from '../../src/encoding';
import { EncodingError } from '../../src/errors';
import type { CborValue } from '../../src/ledger/types';
import { sameValue } from './arbitraries';
import vectors from './rfc8949-appendix-a.json';

interface Accept {
  value?: CborValue;
  bigint?: string;
  bytes?: string;
  hex: string;
}

function vectorValue(v: Accept): CborValue {
  if (v.bigint !== undefined) return BigInt(v.bigint);
  if (v.bytes !== undefined) return fromHex(v.bytes);
  return v.value as CborValue;
}

describe('RFC 8949 Appendix A', () => {
  it.each((vectors.accept as Accept[]).map((v) => [v.hex, v] as const))(
    'encodes and decodes %s',
    (hex, v) => {
      const value = vectorValue(v);
      expect(toHex(encodeCanonical(value))).toBe(hex);
      expect(sameValue(decodeCanonical(fromHex(hex)), value)).toBe(true);
    },
  );

  it.each(vectors.refuse.map((v) => [v.what, v.hex, v.code] as const))('refuses %s', (_what, hex, code) => {
    let err: unknown;
    try {
      decodeCanonical(fromHex(hex));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EncodingError);
    expect((err as EncodingError).code).toBe(code);
  });
});
