/**
 * SM3 (GB/T 32905-2016) without node: imports, from sm-crypto-v2, for the portable `sm2-sm3` suite. The Node suite
 * uses OpenSSL's SM3 instead (node-sm2.ts); test/crypto/sm3.test.ts checks both against the standard's examples,
 * against each other on random inputs and against `openssl dgst -sm3`.
 */

import { sm3 } from 'sm-crypto-v2';
import { fromHex } from '../bytes';

export function portableSm3(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  return fromHex(sm3(data));
}
