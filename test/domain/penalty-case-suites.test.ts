/**
 * Issue 15, point 4: the whole penalty case on both crypto suites, end to end — built through the records API with
 * its media in a content store of the ledger's suite, verified, proven (inclusion and consistency, checked with the
 * portable suite), checkpointed, cosigned by a witness of the same suite, the case exported as a bundle and verified
 * offline from bytes alone (the verifier takes the suite from the carried manifest), and a lawful purge at expiry
 * (its checks find signatories by the suite's key ids and cite the policy by the suite's hash).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveKinds, declareArchiveKinds } from '../../src/access';
import { exportBundle } from '../../src/bundles/export';
import { verifyBundle } from '../../src/bundles/verify';
import { verifyCheckpoint } from '../../src/checkpoint/checkpoint';
import { Witness, type WitnessState } from '../../src/checkpoint/witness';
import { FsContentStore, verifyContent } from '../../src/content';
import { SUITE_IDS, portableSuiteById, suiteById } from '../../src/crypto';
import type { SuiteId } from '../../src/crypto/types';
import { KIND } from '../../src/domain/kind-names';
import { buildPenaltyCase, exampleSigner } from '../../src/domain/example-penalty-case';
import { Ledger } from '../../src/ledger';
import { decodeSignedEntry } from '../../src/ledger/format';
import { hashLeaf } from '../../src/merkle/hash';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify';
import { DEFAULT_RETENTION_POLICY, Retention, expiryOf, policyHash } from '../../src/retention';
import { witnessLedger } from '../../src/witness/ledger';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The suite's hash by OpenSSL's name, independent of src/crypto. */
const OPENSSL: Record<SuiteId, string> = { 'ed25519-sha256': 'sha256', 'sm2-sm3': 'sm3' };

async function* once(b: Uint8Array) {
  yield b;
}

describe.each(SUITE_IDS)('the penalty case on %s', (id) => {
  it('builds, verifies, proves, checkpoints, cosigns, exports a bundle that verifies offline, and purges', async () => {
    const dir = mkdtempSync(join(tmpdir(), `el-penalty-${id}-`));
    dirs.push(dir);
    const suite = suiteById(id);
    const portable = portableSuiteById(id);
    const store = await FsContentStore.open(join(dir, 'content'), { suite: id });
    const built = await buildPenaltyCase(join(dir, 'ledger'), {
      suite: id,
      putContent: (b) => store.put(once(b)),
    });
    expect(built.verify.problems).toEqual([]);

    let now = Date.UTC(2026, 4, 1);
    const root = exampleSigner('root', suite);
    const ledger = await Ledger.open(join(dir, 'ledger'), {
      kinds: archiveKinds(),
      clock: () => now,
      checkpointSigner: root,
    });
    try {
      const archivist = exampleSigner('P-sun', suite);
      const head = exampleSigner('P-chen', suite);
      expect([root.suite, ledger.suite.id, ledger.manifest.suite]).toEqual([id, id, id]);
      await declareArchiveKinds(ledger, root);

      // Every entry is signed in the suite's encoding; every content file is addressed by the suite's hash.
      let files = 0;
      for await (const e of ledger.entries()) {
        expect(decodeSignedEntry(e.bytes).signature.length).toBe(suite.signatureLength);
        for (const ref of e.content) {
          files++;
          expect((await verifyContent(store, ref)).status).toBe('ok');
          const bytes = readFileSync(store.path(ref.digest));
          expect(createHash(OPENSSL[id]).update(bytes).digest().equals(ref.digest)).toBe(true);
        }
      }
      expect(files).toBeGreaterThan(10);

      // Proofs, checked with the portable (browser) implementation.
      const size = ledger.size;
      const rootHash = await ledger.root();
      const e7 = await ledger.get(7);
      const inclusion = await ledger.inclusionProof(7, size);
      expect(
        verifyInclusion(portable.hash, 7, size, hashLeaf(portable.hash, e7.bytes), inclusion, rootHash),
      ).toBe(true);
      const flipped = inclusion.map((h, i) =>
        i === 0 ? Uint8Array.from(h, (b, j) => (j === 0 ? b ^ 1 : b)) : h,
      );
      expect(
        verifyInclusion(portable.hash, 7, size, hashLeaf(portable.hash, e7.bytes), flipped, rootHash),
      ).toBe(false);
      const root20 = await ledger.root(20);
      const consistency = await ledger.consistencyProof(20, size);
      expect(verifyConsistency(portable.hash, 20, size, consistency, root20, rootHash)).toBe(true);

      // A checkpoint signed with the suite, cosigned by a witness of the suite and recorded.
      const before = ledger.size;
      const note = await ledger.checkpoint();
      const logKey = {
        name: ledger.manifest.checkpointKey.name,
        publicKey: ledger.manifest.checkpointKey.publicKey,
      };
      expect(verifyCheckpoint(note, [logKey], portable).checkpoint.size).toBe(before);
      const witnessSigner = exampleSigner('witness-1', suite);
      const states = new Map<string, WitnessState>();
      const witness = new Witness({
        name: 'witness-1.example',
        signer: witnessSigner,
        suite: portable,
        store: { get: async (o) => states.get(o), set: async (o, s) => void states.set(o, s) },
      });
      const w = { name: 'witness-1.example', publicKey: witnessSigner.publicKey, suite: id };
      await witnessLedger(ledger, {
        witness: w,
        client: (req) => witness.addCheckpoint(req, [logKey], 1_772_000_000),
        signer: root,
      });

      // The case as a bundle, verified from bytes alone: the verifier picks the suite from the carried manifest.
      const bundle = await exportBundle(ledger, {
        exporter: archivist,
        caseIds: [built.caseId],
        clock: () => now,
      });
      const policy = { witnesses: [{ name: w.name, publicKey: w.publicKey }], quorum: 1 };
      const report = verifyBundle(bundle, { witnesses: policy });
      expect(report.problems).toEqual([]);
      expect([report.ok, report.anchored]).toEqual([true, true]);
      expect(report.cases).toEqual([{ caseId: built.caseId, findings: [], matches: true }]);
      expect(verifyBundle(bundle, { witnesses: policy, suite })).toEqual(report);
      const damaged = Uint8Array.from(bundle);
      damaged[damaged.length - 10]! ^= 0x01;
      expect(verifyBundle(damaged, { witnesses: policy }).ok).toBe(false);

      // A lawful purge of an AV segment at its expiry: the request, the head's approval and the purge entry are
      // appended through the kinds' checks, which find the signatories by this suite's key ids.
      const seg = (await collect(ledger)).find((e) => e.kind === KIND.segment)!;
      const target = { seq: seg.seq, digest: seg.content[0]!.digest };
      now = expiryOf((seg.body as { endedAt: number }).endedAt, 6);
      const ret = new Retention(ledger, store, { clock: () => now });
      const targets = [target];
      await ret.requestPurge(
        { requestId: 'PR-1', targets, reason: '保存期满（第二十二条第三项）', requestedAt: now },
        archivist,
      );
      const { EnforcementRecords } = await import('../../src/domain');
      await new EnforcementRecords(ledger).approve(
        'purge',
        { approvalId: 'PA-1', decision: 'approved', decidedAt: now, targets, reason: '同意销毁' },
        head,
      );
      const purged = await ret.purge({ purgeId: 'PG-1', requestId: 'PR-1', approvalId: 'PA-1' }, archivist);
      expect(await store.has(target.digest)).toBe(false);
      const cited = (await ledger.get(purged.purgeSeq)).body as { policy: string };
      expect(cited.policy).toBe(policyHash(DEFAULT_RETENTION_POLICY, portable.hash));
      expect(cited.policy).toBe(
        createHash(OPENSSL[id])
          .update(
            Buffer.from(
              policyHash(DEFAULT_RETENTION_POLICY, (b) => b),
              'hex',
            ),
          )
          .digest('hex'),
      );
      expect((await ledger.verify()).problems).toEqual([]);
    } finally {
      await ledger.close();
    }
  });
});

async function collect(ledger: Ledger) {
  const out = [];
  for await (const e of ledger.entries()) out.push(e);
  return out;
}
