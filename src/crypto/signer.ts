/** Choose a Signer implementation for a seed (Node side). */

import { createNodeSigner } from './node';
import { createPortableSigner } from './portable';
import type { Signer } from './types';

export interface CreateSignerOptions {
  /** `node` (OpenSSL, default) or `portable` (@noble/ed25519). Both give byte-identical signatures. */
  readonly impl: 'node' | 'portable';
}

export function createSigner(seed: Uint8Array, options: CreateSignerOptions = { impl: 'node' }): Signer {
  switch (options.impl) {
    case 'node':
      return createNodeSigner(seed);
    case 'portable':
      return createPortableSigner(seed);
    default:
      throw new RangeError(
        `options.impl must be 'node' or 'portable', got ${String((options as { impl: unknown }).impl)}`,
      );
  }
}
