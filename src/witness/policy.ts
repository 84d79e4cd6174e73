/**
 * A verifier's witness policy: the witnesses it trusts (name + public key of the log's suite; c2sp.org/tlog-cosignature type 0x04 for Ed25519)
 * and how many of them must have cosigned a checkpoint (quorum). Pure: runs in browsers.
 */
import type { CryptoSuite, SuiteId } from '../crypto/types';
import { SUITE_ID } from '../ledger/registry';
import { CryptoError } from '../errors';
import { verifyCosignature } from '../checkpoint/cosignature';
import { type NoteKey, SIG_COSIGNATURE_V1, toNoteKey } from '../checkpoint/note-key';
import { parseNote } from '../checkpoint/note';

export interface WitnessPolicy {
  readonly witnesses: ReadonlyArray<{ readonly name: string; readonly publicKey: Uint8Array }>;
  /** Distinct trusted witnesses whose valid cosignature is required. */
  readonly quorum: number;
}

export interface QuorumResult {
  readonly ok: boolean;
  /** Names of trusted witnesses whose cosignature verified, with their timestamps (POSIX seconds). */
  readonly cosigners: ReadonlyArray<{ readonly name: string; readonly timestamp: number }>;
  /** Trusted witnesses with a signature line that does not verify (or is malformed). */
  readonly invalid: readonly string[];
  readonly quorum: number;
}

/** The policy's witnesses as cosignature keys of `suite` (default `ed25519-sha256`); TypeError/RangeError on misuse. */
export function checkPolicy(policy: WitnessPolicy, suite: SuiteId = SUITE_ID): NoteKey[] {
  if (!policy || typeof policy !== 'object' || !Array.isArray(policy.witnesses))
    throw new TypeError('policy must be { witnesses, quorum }');
  if (!Number.isSafeInteger(policy.quorum) || policy.quorum < 0 || policy.quorum > policy.witnesses.length)
    throw new RangeError('policy.quorum must be an integer in [0, witnesses.length]');
  const keys = policy.witnesses.map((w) =>
    toNoteKey({ ...w, type: SIG_COSIGNATURE_V1 }, SIG_COSIGNATURE_V1, suite),
  );
  if (new Set(keys.map((k) => k.name)).size !== keys.length)
    throw new RangeError('policy.witnesses must have distinct names');
  return keys;
}

/**
 * Counts the trusted witnesses that cosigned the checkpoint in `note` (the log's own signature is not checked here).
 * Throws CRYPTO_BAD_NOTE when the note is malformed; a bad cosignature is reported in `invalid`, never counted.
 */
export function checkWitnessQuorum(note: string, policy: WitnessPolicy, suite: CryptoSuite): QuorumResult {
  const keys = checkPolicy(policy, suite.id);
  const parsed = parseNote(note);
  const cosigners: Array<{ name: string; timestamp: number }> = [];
  const invalid: string[] = [];
  for (const key of keys) {
    const lines = parsed.signatures.filter((s) => s.name === key.name && s.keyId === key.keyId);
    if (lines.length === 0) continue;
    let timestamp: number | undefined;
    let bad = false;
    for (const sig of lines) {
      try {
        const t = verifyCosignature(parsed.text, sig, key, suite);
        if (t === undefined) bad = true;
        else timestamp ??= t;
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        bad = true;
      }
    }
    if (bad) invalid.push(key.name);
    else if (timestamp !== undefined) cosigners.push({ name: key.name, timestamp });
  }
  return { ok: cosigners.length >= policy.quorum, cosigners, invalid, quorum: policy.quorum };
}
