/**
 * The suite registry: the one place that maps a manifest's suite id to an implementation, failing closed on
 * anything unknown (CryptoError CRYPTO_UNKNOWN_SUITE). This file is portable (browser entry); node-registry.ts
 * gives the Node implementations of the same suites.
 */

import { CryptoError } from '../errors';
import { portableSuite } from './portable';
import { portableSm2Suite } from './sm2-suite';
import type { CryptoSuite, SuiteId } from './types';

export const SUITE_IDS: readonly SuiteId[] = Object.freeze(['ed25519-sha256', 'sm2-sm3'] as const);

export function isSuiteId(id: unknown): id is SuiteId {
  return typeof id === 'string' && (SUITE_IDS as readonly string[]).includes(id);
}

/** The suite registered under `id` in `table`; CryptoError CRYPTO_UNKNOWN_SUITE for any other value. */
export function lookupSuite(table: ReadonlyMap<SuiteId, CryptoSuite>, id: unknown): CryptoSuite {
  const suite = isSuiteId(id) ? table.get(id) : undefined;
  if (suite === undefined) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 64)) : typeof id;
    throw new CryptoError(
      'CRYPTO_UNKNOWN_SUITE',
      `unknown crypto suite ${shown} (known: ${SUITE_IDS.join(', ')})`,
    );
  }
  return suite;
}

const PORTABLE = new Map<SuiteId, CryptoSuite>([
  ['ed25519-sha256', portableSuite],
  ['sm2-sm3', portableSm2Suite],
]);

/** The portable (browser-safe) implementation of suite `id`. */
export function portableSuiteById(id: unknown): CryptoSuite {
  return lookupSuite(PORTABLE, id);
}

/**
 * The private key of a PKCS#8 PEM of any known suite, with that suite's id. Each suite's decoder is strict and
 * names its own algorithm OID, so at most one accepts a given file. CryptoError CRYPTO_BAD_PEM if none does.
 */
export function privateKeyFromAnyPem(pem: string): {
  readonly suite: SuiteId;
  readonly privateKey: Uint8Array;
} {
  for (const suite of PORTABLE.values()) {
    try {
      return { suite: suite.id, privateKey: suite.privateKeyFromPem(pem) };
    } catch (err) {
      if (!(err instanceof CryptoError) || err.code !== 'CRYPTO_BAD_PEM') throw err;
    }
  }
  throw new CryptoError(
    'CRYPTO_BAD_PEM',
    `not a private key of a known suite (PKCS#8 ${SUITE_IDS.map((id) => PORTABLE.get(id)!.signatureName).join(' or ')})`,
  );
}
