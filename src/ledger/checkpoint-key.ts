/** Verifies checkpoint notes against a ledger's manifest: its checkpoint key and its origin. Pure. */
import { verifyCheckpoint } from '../checkpoint/checkpoint';
import type { CryptoSuite } from '../crypto/types';
import { CryptoError } from '../errors';
import type { ManifestBody } from './registry';

export interface CheckpointView {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
}

/** Returns a function that parses and verifies a note, throwing CryptoError('CRYPTO_BAD_NOTE') when it fails. */
export function checkpointVerifier(
  manifest: ManifestBody,
  suite: CryptoSuite,
): (note: string) => CheckpointView {
  const key = { name: manifest.checkpointKey.name, publicKey: manifest.checkpointKey.publicKey };
  return (note) => {
    const { checkpoint } = verifyCheckpoint(note, [key], suite);
    if (checkpoint.origin !== manifest.origin)
      throw new CryptoError('CRYPTO_BAD_NOTE', `checkpoint origin ${checkpoint.origin} is not this ledger's`);
    return checkpoint;
  };
}
