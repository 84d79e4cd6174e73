/**
 * A minimal log written by hand for tests: entries are signed whatever the rules say (so a test can make a log the
 * Ledger would refuse to write, e.g. an entry by a revoked key), with an RFC 9162 tree computed from scratch.
 */
import { cosign } from '../../src/checkpoint/cosignature';
import { signCheckpoint } from '../../src/checkpoint/checkpoint';
import { nodeSuite } from '../../src/crypto/node';
import type { Signer } from '../../src/crypto/types';
import { encodeCanonical } from '../../src/encoding/cbor';
import { encodeEntry, encodeSignedEntry, signingMessage } from '../../src/ledger/format';
import type { CborValue, ContentRef } from '../../src/ledger/types';
import { hashLeaf, rootFromLeafHashes } from '../../src/merkle/hash';
import { inclusionProofPlan, materialize } from '../../src/merkle/proof-plan';
import { addSignatureLines } from '../../src/witness/ledger';

const hash = nodeSuite.hash;

export class ForgedLog {
  readonly signed: Uint8Array[] = [];
  readonly ledgerId: Uint8Array;
  #time = Date.UTC(2026, 2, 2);
  #prev: Uint8Array = new Uint8Array(32);

  private constructor(
    readonly origin: string,
    readonly root: Signer,
    manifest: Record<string, CborValue>,
  ) {
    this.ledgerId = hash(encodeCanonical(manifest));
  }

  static async create(origin: string, root: Signer): Promise<ForgedLog> {
    const manifest = {
      v: 1,
      origin,
      suite: 'ed25519-sha256',
      created: Date.UTC(2026, 2, 2),
      rootKeys: [{ publicKey: root.publicKey, principal: 'root' }],
      checkpointKey: { name: origin, publicKey: root.publicKey },
    };
    const log = new ForgedLog(origin, root, manifest);
    await log.add('core/manifest', manifest, root);
    return log;
  }

  async add(kind: string, body: CborValue, signer: Signer, content: ContentRef[] = []): Promise<number> {
    const seq = this.signed.length;
    const entryBytes = encodeEntry({
      version: 1,
      ledgerId: this.ledgerId,
      seq,
      prev: this.#prev,
      time: this.#time++,
      kind,
      body,
      content,
      signer: signer.keyId,
    });
    const sig = await signer.sign(signingMessage(entryBytes));
    this.signed.push(encodeSignedEntry(entryBytes, sig));
    this.#prev = hash(entryBytes);
    return seq;
  }

  get size(): number {
    return this.signed.length;
  }

  treeRoot(size = this.size): Uint8Array {
    return rootFromLeafHashes(
      hash,
      this.signed.slice(0, size).map((b) => hashLeaf(hash, b)),
    );
  }

  proof(seq: number, size = this.size): Uint8Array[] {
    const leaves = this.signed.slice(0, size).map((b) => hashLeaf(hash, b));
    return materialize(hash, inclusionProofPlan(seq, size), (id) =>
      rootFromLeafHashes(hash, leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level)),
    );
  }

  /** Signed checkpoint of the whole log, cosigned by `witnesses`. */
  async checkpoint(witnesses: ReadonlyArray<{ name: string; signer: Signer }> = []): Promise<string> {
    const note = await signCheckpoint(
      { origin: this.origin, size: this.size, rootHash: this.treeRoot() },
      this.origin,
      this.root,
    );
    const body = note.slice(0, note.indexOf('\n\n') + 1);
    const lines = [];
    for (const w of witnesses) lines.push(await cosign(body, w.name, w.signer, 1_772_000_000));
    return addSignatureLines(note, lines);
  }

  entries(seqs: readonly number[] = this.signed.map((_, i) => i), size = this.size) {
    return seqs.map((s) => ({ entry: this.signed[s]!, proof: this.proof(s, size) }));
  }
}
