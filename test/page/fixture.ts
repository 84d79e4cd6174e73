/**
 * What an inspector is handed: the penalty-case proof bundle (cosigned by two witnesses), the trust anchors as the
 * verifier keys the CLI prints (`name+hexid+base64`), the case's content files, and tampered variants.
 */
import { exportBundle } from '../../src/bundles/export';
import {
  type BundlePayload,
  bundleSigningMessage,
  decodeBundle,
  encodeBundle,
  encodePayload,
} from '../../src/bundles/format';
import { SIG_COSIGNATURE_V1, SIG_ED25519, formatVerifierKey, noteKey } from '../../src/checkpoint/note-key';
import { identifyRuleSet, JINCHENG_RULE_SET } from '../../src/compliance';
import type { PenaltyCaseDefect } from '../../src/domain/example-penalty-case';
import { cleanup, penaltySetup, witnessKey } from '../bundles/helpers';

export interface PageFixture {
  readonly bundle: Uint8Array;
  /** The log's checkpoint verifier key, as `init` prints it. */
  readonly logKey: string;
  /** The two witnesses' verifier keys. */
  readonly witnesses: readonly string[];
  /** The log key of another log (origin `ledger.other.example/penalty`): what an inspector of that log trusts. */
  readonly otherLogKey: string;
  /** The bundle's signed checkpoint note, as an inspector might hold it. */
  readonly checkpoint: string;
  /** A witness key that cosigned nothing here. */
  readonly strangerWitness: string;
  /** The Jincheng rule set's identity (SHA-256 hex). */
  readonly ruleSet: string;
  /** The case's content files (document scans, AV), named by their hex digest. */
  readonly files: ReadonlyArray<{ name: string; bytes: Uint8Array }>;
  /** The bundle with one entry's last byte flipped, re-signed by the (dishonest) exporter. */
  readonly entryTampered: Uint8Array;
  /** The bundle with a byte of the exporter's signature flipped. */
  readonly signatureTampered: Uint8Array;
}

export async function pageFixture(defects: PenaltyCaseDefect[] = []): Promise<PageFixture> {
  const s = await penaltySetup({ defects });
  try {
    const bundle = await exportBundle(s.ledger, {
      exporter: s.archivist,
      caseIds: [s.caseId],
      clock: () => Date.UTC(2026, 4, 1),
    });
    const cp = s.ledger.manifest.checkpointKey;
    const resign = async (edit: (p: BundlePayload) => BundlePayload) => {
      const payload = encodePayload(edit(decodeBundle(bundle).payload));
      const sig = await s.archivist.sign(bundleSigningMessage(payload));
      return encodeBundle(payload, new Uint8Array(Buffer.from(s.archivist.keyId, 'hex')), sig);
    };
    const entryTampered = await resign((p) => ({
      ...p,
      entries: p.entries.map((e, i) => {
        if (i !== 3) return e;
        const entry = e.entry.slice();
        entry[entry.length - 1]! ^= 1;
        return { ...e, entry };
      }),
    }));
    const signatureTampered = bundle.slice();
    signatureTampered[signatureTampered.length - 10]! ^= 1;
    const stranger = witnessKey(9);
    const other = witnessKey(8);
    return {
      bundle,
      logKey: formatVerifierKey(noteKey(cp.name, cp.publicKey, SIG_ED25519)),
      witnesses: s.witnesses.map((w) => formatVerifierKey(noteKey(w.name, w.publicKey, SIG_COSIGNATURE_V1))),
      otherLogKey: formatVerifierKey(noteKey('ledger.other.example/penalty', other.publicKey, SIG_ED25519)),
      checkpoint: decodeBundle(bundle).payload.checkpoint,
      strangerWitness: formatVerifierKey(noteKey(stranger.name, stranger.publicKey, SIG_COSIGNATURE_V1)),
      ruleSet: identifyRuleSet(JINCHENG_RULE_SET).hash,
      files: [...s.files].map(([hex, bytes]) => ({ name: `${hex.slice(0, 12)}.bin`, bytes })),
      entryTampered,
      signatureTampered,
    };
  } finally {
    await s.ledger.close();
    await cleanup();
  }
}
