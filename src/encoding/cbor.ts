/**
 * Canonical CBOR (RFC 8949 §4.2.1 core deterministic encoding) for every structure we hash or sign.
 *
 * Written directly rather than through cbor-x: cbor-x cannot sort map keys (and a JS object iterates integer-like
 * keys first, so pre-sorting objects is impossible), writes numbers ≥ 2^32 as float64, writes every bigint with an
 * 8-byte head and tags −2^64 as a bignum; working round that costs a full copy of each value, and its decoder
 * accepts non-canonical input that we would have to pre-scan anyway. Speed: bench/encoding.ts.
 */
export type { CborValue } from './value';
export { type DecodeOptions, decodeCanonical } from './decode';
export { DEFAULT_MAX_DEPTH, type EncodeOptions, encodeCanonical } from './encode';
