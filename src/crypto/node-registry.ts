/**
 * The suite registry on Node: the fast implementation of each suite (node:crypto where it is correct), and
 * streaming hashes for large content. Fails closed like registry.ts.
 */

import * as nodeCrypto from 'node:crypto';
import { nodeSuite } from './node';
import { nodeSm2Suite } from './node-sm2';
import { lookupSuite } from './registry';
import type { CryptoSuite, SuiteId } from './types';

const NODE = new Map<SuiteId, CryptoSuite>([
  ['ed25519-sha256', nodeSuite],
  ['sm2-sm3', nodeSm2Suite],
]);

/** OpenSSL's name for each suite's hash. */
const OPENSSL_HASH: Readonly<Record<SuiteId, string>> = { 'ed25519-sha256': 'sha256', 'sm2-sm3': 'sm3' };

/** The Node implementation of suite `id`; CryptoError CRYPTO_UNKNOWN_SUITE for anything unknown. */
export function suiteById(id: unknown): CryptoSuite {
  return lookupSuite(NODE, id);
}

/**
 * OpenSSL's name of the suite's hash (`createHash(name)` in node:crypto), for code that cannot hold a CryptoSuite:
 * worker sources, which are strings that import only Node builtins (src/workers/pool.ts).
 */
export function opensslHashName(suite: CryptoSuite | SuiteId): string {
  return OPENSSL_HASH[lookupSuite(NODE, typeof suite === 'string' ? suite : suite.id).id];
}

export interface StreamingHash {
  update(data: Uint8Array): StreamingHash;
  digest(): Uint8Array;
  /** An independent copy of the state so far (the digest of a prefix while the whole goes on). */
  copy(): StreamingHash;
}

function wrap(h: nodeCrypto.Hash): StreamingHash {
  const wrapper: StreamingHash = {
    update(data) {
      h.update(data);
      return wrapper;
    },
    digest: () => new Uint8Array(h.digest()),
    copy: () => wrap(h.copy()),
  };
  return wrapper;
}

/** An incremental hash of the suite's algorithm (OpenSSL), for files hashed as they stream. */
export function createStreamingHash(suite: CryptoSuite | SuiteId): StreamingHash {
  return wrap(nodeCrypto.createHash(opensslHashName(suite)));
}
