/**
 * The hash of C2SP signed-note key ids (c2sp.org/signed-note: key ID = SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]).
 * The specification fixes SHA-256 whatever the signature algorithm: key ids are identifiers, not security, so an
 * `sm2-sm3` checkpoint key keeps a SHA-256 key id and stays parseable by every signed-note tool. Portable.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export function noteKeyIdHash(data: Uint8Array): Uint8Array {
  return sha256(data);
}
