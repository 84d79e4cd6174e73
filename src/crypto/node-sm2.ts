/**
 * `sm2-sm3` on Node: SM3 from node:crypto (OpenSSL 3), measured faster than the portable SM3 (bench/RESULTS.md);
 * SM2 from sm-crypto-v2 as in the portable suite, because node:crypto cannot set the SM2 user id: Node signs and
 * verifies SM2 keys with an empty id, which no 国密 tool using the GM/T 0009 default accepts (docs/design/crypto.md).
 */

import * as nodeCrypto from 'node:crypto';
import { makeSm2Sm3Suite } from './sm2-suite';
import type { CryptoSuite } from './types';

const oneShot = (nodeCrypto as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash;

function plain(buf: Buffer): Uint8Array {
  return buf.byteOffset === 0 && buf.buffer.byteLength === buf.length
    ? new Uint8Array(buf.buffer, 0, buf.length)
    : new Uint8Array(buf);
}

export function nodeSm3(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array');
  return plain(
    oneShot !== undefined
      ? oneShot('sm3', data, 'buffer')
      : nodeCrypto.createHash('sm3').update(data).digest(),
  );
}

export const nodeSm2Suite: CryptoSuite = makeSm2Sm3Suite(nodeSm3);
