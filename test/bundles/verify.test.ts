/**
 * verifyBundle (issue 8): the penalty-case bundle verifies offline with both crypto suites; each failure the issue
 * names (missing key registration, revoked signer, too few witnesses, inconsistent with the inspector's checkpoint)
 * fails with its code; findings, exporter, sample and content checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes';
import { buildBundle } from '../../src/bundles/build';
import { exportBundle } from '../../src/bundles/export';
import { decodeBundle, encodeBundle } from '../../src/bundles/format';
import { bundleToJson } from '../../src/bundles/json';
import { type BundleTrust, verifyBundle } from '../../src/bundles/verify';
import { JINCHENG_RULE_SET } from '../../src/compliance/rule-set';
import { nodeSuite } from '../../src/crypto/node';
import { portableSuite } from '../../src/crypto/portable';
import { decodeSignedEntry } from '../../src/ledger/format';
import { contentRefOfBytes } from '../../src/bundles/content-ref';
import { ForgedLog } from './forge';
import {
  cleanup,
  hash,
  key,
  penaltySetup,
  type PenaltySetup,
  policyOf,
  witnessKey,
  resign,
  codes,
  statuses,
} from './helpers';

afterAll(cleanup);

describe('the penalty-case bundle', () => {
  let s: PenaltySetup;
  let bytes: Uint8Array;
  let trust: BundleTrust;
  beforeAll(async () => {
    s = await penaltySetup();
    bytes = await exportBundle(s.ledger, {
      exporter: s.archivist,
      caseIds: [s.caseId],
      clock: () => Date.UTC(2026, 4, 1),
    });
    trust = { witnesses: policyOf(s.witnesses), suite: nodeSuite };
  });
  afterAll(() => s.ledger.close());

  it('verifies offline: every check passes, with the same report on both crypto suites', () => {
    const r = verifyBundle(bytes, trust);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.anchored).toBe(true);
    expect(statuses(r)).toEqual({
      format: 'passed',
      suite: 'passed',
      signers: 'passed',
      exporter: 'passed',
      // Signed by the manifest's key, which the inspector did not pin: the witnesses anchor the tree.
      checkpoint: 'not_anchored',
      witnesses: 'passed',
      consistency: 'not_checked',
      inclusion: 'passed',
      completeness: 'passed',
      rules: 'passed',
      compliance: 'passed',
      content: 'not_checked',
      sample: 'not_checked',
    });
    expect(r.cosigners).toEqual(s.witnesses.map((w) => w.name));
    expect(r.exporter?.principal).toBe('P-sun');
    expect(r.cases).toEqual([{ caseId: s.caseId, findings: [], matches: true }]);
    const p = verifyBundle(bytes, { ...trust, suite: portableSuite });
    expect(p).toEqual(r);
  });

  it('carries every record of the case and the key registrations of every signer, each proven', () => {
    const b = decodeBundle(bytes);
    const kinds = b.payload.entries.map((e) => decodeSignedEntry(e.entry).entry.kind);
    expect(kinds[0]).toBe('core/manifest');
    // Registered keys: exactly the signers of the carried entries (other than the root key) and the exporter.
    const decoded = b.payload.entries.map((e) => decodeSignedEntry(e.entry).entry);
    const registered = decoded
      .filter((e) => e.kind === 'core/key.register')
      .map((e) => nodeSuite.keyId((e.body as { publicKey: Uint8Array }).publicKey));
    const signers = new Set([...decoded.map((e) => e.signer), s.archivist.keyId]);
    signers.delete(s.root.keyId);
    expect(new Set(registered)).toEqual(signers);
    expect(registered.length).toBeGreaterThanOrEqual(4);
    expect(kinds.filter((k) => k.startsWith('enf/')).length).toBeGreaterThan(40);
    const json = bundleToJson(bytes) as {
      entries: Array<{ kind: string }>;
      cases: Array<{ caseId: string }>;
    };
    expect(json.entries.length).toBe(b.payload.entries.length);
    expect(json.cases[0]!.caseId).toBe(s.caseId);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('fails with SIGNER_UNKNOWN when a key registration is left out', async () => {
    const b = decodeBundle(bytes);
    const deviceKey = key('BC-0107').keyId;
    const keep = b.payload.entries.filter((e) => {
      const d = decodeSignedEntry(e.entry).entry;
      return !(
        d.kind === 'core/key.register' &&
        nodeSuite.keyId((d.body as { publicKey: Uint8Array }).publicKey) === deviceKey
      );
    });
    expect(keep.length).toBe(b.payload.entries.length - 1);
    const cut = await buildBundle(
      {
        origin: b.payload.origin,
        checkpoint: b.payload.checkpoint,
        entries: keep,
        cases: b.payload.cases.map((c) => ({
          caseId: c.caseId,
          seqs: c.seqs,
          asOf: c.asOf,
          ...(c.organisation ? { organisation: c.organisation } : {}),
        })),
        ruleSet: JINCHENG_RULE_SET,
        exported: 1,
        suite: nodeSuite,
      },
      s.archivist,
    );
    const r = verifyBundle(cut, trust);
    expect(r.ok).toBe(false);
    expect(r.checks.signers.status).toBe('failed');
    expect(new Set(codes(r))).toEqual(new Set(['SIGNER_UNKNOWN']));
    const firstBySegment = keep
      .map((e) => decodeSignedEntry(e.entry).entry)
      .find((e) => e.signer === deviceKey)!;
    expect(r.problems[0]).toMatchObject({ check: 'signers', seq: firstBySegment.seq });
  });

  it('fails with WITNESS_QUORUM when too few trusted witnesses cosigned', () => {
    const three = [...s.witnesses, witnessKey(3)];
    const r = verifyBundle(bytes, { ...trust, witnesses: policyOf(three, 3) });
    expect(codes(r)).toEqual(['WITNESS_QUORUM']);
    expect(verifyBundle(bytes, { ...trust, witnesses: policyOf(three, 2) }).ok).toBe(true);
    // Witnesses the verifier does not trust count for nothing.
    expect(codes(verifyBundle(bytes, { ...trust, witnesses: policyOf([witnessKey(3)], 1) }))).toEqual([
      'WITNESS_QUORUM',
    ]);
  });

  it('checks consistency with the inspector checkpoint: proven, missing, or inconsistent', async () => {
    const size = decodeBundle(bytes).payload.checkpoint.split('\n')[1];
    const cpSize = Number(size);
    const older = 20;
    const olderRoot = await s.ledger.root(older);
    const withProof = await exportBundle(s.ledger, {
      exporter: s.archivist,
      caseIds: [s.caseId],
      inspectorSize: older,
      clock: () => 1,
    });
    const ok = verifyBundle(withProof, { ...trust, checkpoint: { size: older, rootHash: olderRoot } });
    expect(ok.problems).toEqual([]);
    expect(ok.checks.consistency.status).toBe('passed');
    // The same bundle against a forked view of size 20 (another root).
    const forked = verifyBundle(withProof, {
      ...trust,
      checkpoint: { size: older, rootHash: hash(utf8('fork')) },
    });
    expect(codes(forked)).toEqual(['CONSISTENCY_FAILED']);
    // No proof for the inspector's size.
    expect(
      codes(verifyBundle(bytes, { ...trust, checkpoint: { size: older, rootHash: olderRoot } })),
    ).toEqual(['CONSISTENCY_MISSING']);
    // Same size, another root: a fork with no proof needed.
    expect(
      codes(verifyBundle(bytes, { ...trust, checkpoint: { size: cpSize, rootHash: olderRoot } })),
    ).toEqual(['CONSISTENCY_FAILED']);
    // The inspector's own signed note of the same log at that size verifies.
    const [latest] = await s.ledger.checkpoints(1);
    expect(verifyBundle(bytes, { ...trust, checkpoint: latest! }).checks.consistency.status).toBe('passed');
  });

  it('checks the exporter: registered, holding an exporter role, and its signature', async () => {
    const officer = key('P-wang');
    const byOfficer = await exportBundle(s.ledger, {
      exporter: officer,
      caseIds: [s.caseId],
      clock: () => 1,
    });
    expect(codes(verifyBundle(byOfficer, trust))).toEqual(['EXPORTER_ROLE']);
    expect(verifyBundle(byOfficer, { ...trust, exporterRoles: ['officer'] }).ok).toBe(true);
    const stranger = key('nobody');
    const byStranger = await resign(bytes, stranger, (p) => p);
    expect(codes(verifyBundle(byStranger, trust))).toEqual(['EXPORTER_UNKNOWN']);
    const b = decodeBundle(bytes);
    const badSig = encodeBundle(
      b.payloadBytes,
      new Uint8Array(Buffer.from(b.exporter, 'hex')),
      new Uint8Array(64).fill(1),
    );
    expect(codes(verifyBundle(badSig, trust))).toEqual(['EXPORTER_SIGNATURE']);
  });

  it('re-evaluates compliance: findings altered by the exporter are caught', async () => {
    const lying = await resign(bytes, s.archivist, (p) => ({
      ...p,
      cases: p.cases.map((c) => ({
        ...c,
        findings: [
          {
            rule: 'art17-av-continuity',
            article: '17',
            liability: '30(1)',
            severity: 'violation',
            seqs: [c.seqs[3]!],
            code: 'gap',
            message: { zh: '假', en: 'fake' },
            evidence: {},
          },
        ],
      })),
    }));
    const r = verifyBundle(lying, trust);
    expect(codes(r)).toEqual(['FINDINGS_MISMATCH']);
    expect(r.cases[0]).toMatchObject({ caseId: s.caseId, matches: false, findings: [] });
    // A rule set the inspector does not accept.
    expect(codes(verifyBundle(bytes, { ...trust, ruleSetHashes: ['00'.repeat(32)] }))).toEqual([
      'RULE_SET_UNTRUSTED',
    ]);
    // A carried record left out of its case's list is unaccounted for (issue 13.5): the case is not evaluated.
    const dropped = await resign(bytes, s.archivist, (p) => ({
      ...p,
      cases: p.cases.map((c) => ({ ...c, seqs: c.seqs.filter((x, i) => i !== 5 || x < 0) })),
    }));
    const d = verifyBundle(dropped, trust);
    expect(d.ok).toBe(false);
    expect(d.checks.completeness.status).toBe('failed');
    expect(d.problems).toContainEqual(
      expect.objectContaining({ code: 'ENTRY_UNACCOUNTED', check: 'completeness' }),
    );
    expect(d.cases).toEqual([]);
  });

  it('checks content carried in the bundle and content the inspector brings', async () => {
    const withContent = await exportBundle(s.ledger, {
      exporter: s.archivist,
      caseIds: [s.caseId],
      content: async (ref) => s.files.get(toHex(ref.digest)),
      clock: () => 1,
    });
    const r = verifyBundle(withContent, trust);
    expect(r.problems).toEqual([]);
    expect(r.checks.content.status).toBe('passed');
    expect(r.content.checked).toBe(s.files.size);
    expect(r.content.unchecked).toBe(0);
    // Files given by the inspector.
    const some = [...s.files.values()].slice(0, 3);
    const given = verifyBundle(bytes, { ...trust, content: some });
    expect(given.ok).toBe(true);
    expect(given.content).toEqual({ checked: 3, unchecked: s.files.size - 3 });
    const altered = some[0]!.slice();
    altered[0]! ^= 1;
    expect(codes(verifyBundle(bytes, { ...trust, content: [altered] }))).toEqual(['CONTENT_UNKNOWN']);
    // A carried file swapped by the exporter.
    const swapped = await resign(withContent, s.archivist, (p) => ({
      ...p,
      content: [altered, ...p.content.slice(1)],
    }));
    expect(codes(verifyBundle(swapped, trust))).toEqual(['CONTENT_UNREFERENCED']);
    // contentRefOfBytes agrees with the refs recorded by the example.
    expect(toHex(contentRefOfBytes(some[0]!, hash).digest)).toBe([...s.files.keys()][0]);
  });

  it('checks a sample: drawn from the checkpoint and the inspector nonce', async () => {
    const nonce = new Uint8Array(32).fill(7);
    const sampled = await exportBundle(s.ledger, {
      exporter: s.archivist,
      sample: { nonce, k: 1 },
      clock: () => 1,
    });
    const r = verifyBundle(sampled, { ...trust, nonce });
    expect(r.problems).toEqual([]);
    expect(r.checks.sample.status).toBe('passed');
    expect(decodeBundle(sampled).payload.sample?.population).toEqual([s.caseId]);
    expect(codes(verifyBundle(sampled, { ...trust, nonce: new Uint8Array(32) }))).toEqual([
      'SAMPLE_NONCE_MISMATCH',
    ]);
    expect(codes(verifyBundle(bytes, { ...trust, nonce }))).toEqual(['SAMPLE_MISSING']);
    // The exporter claims a larger population: the selection no longer gives the exported case.
    const padded = await resign(sampled, s.archivist, (p) => ({
      ...p,
      sample: {
        ...p.sample!,
        population: Array.from({ length: 50 }, (_, i) => `A-${String(i).padStart(3, '0')}`)
          .concat(s.caseId)
          .sort(),
      },
    }));
    expect(codes(verifyBundle(padded, { ...trust, nonce }))).toEqual(['SAMPLE_MISMATCH']);
  });
});

describe('the exported findings of a case with defects', () => {
  it('are re-evaluated to the same violations', async () => {
    const s = await penaltySetup({ defects: ['unexcused_gap', 'late_deposit'], nWitnesses: 1 });
    try {
      const bytes = await exportBundle(s.ledger, {
        exporter: s.archivist,
        caseIds: [s.caseId],
        clock: () => 1,
      });
      const r = verifyBundle(bytes, { witnesses: policyOf(s.witnesses), suite: nodeSuite });
      expect(r.problems).toEqual([]);
      expect(r.cases[0]!.findings.map((f) => `${f.article} ${f.code}`)).toEqual([
        '17 gap',
        '22(1) late_deposit',
      ]);
      expect(decodeBundle(bytes).payload.cases[0]!.findings.map((f) => f.code)).toEqual([
        'gap',
        'late_deposit',
      ]);
    } finally {
      await s.ledger.close();
    }
  });
});

describe('a log the Ledger would refuse to write', () => {
  it('an entry signed by a revoked key fails with SIGNER_REVOKED at that entry', async () => {
    const root = key('forge-root');
    const officer = key('forge-officer');
    const archivist = key('forge-archivist');
    const w = witnessKey(1);
    const log = await ForgedLog.create('forge.example/log', root);
    await log.add('core/kind.declare', { kind: 'test/note', roles: ['officer'] }, root);
    await log.add(
      'core/key.register',
      { publicKey: officer.publicKey, principal: 'P-1', roles: ['officer'] },
      root,
    );
    await log.add(
      'core/key.register',
      { publicKey: archivist.publicKey, principal: 'P-2', roles: ['archivist'] },
      root,
    );
    const ok = await log.add('test/note', { text: 'before revocation' }, officer);
    await log.add(
      'core/key.revoke',
      { keyId: new Uint8Array(Buffer.from(officer.keyId, 'hex')), reason: 'lost' },
      root,
    );
    const late = await log.add('test/note', { text: 'after revocation' }, officer);
    const bundle = await buildBundle(
      {
        origin: log.origin,
        checkpoint: await log.checkpoint([w]),
        entries: log.entries(),
        exported: 1,
        suite: nodeSuite,
      },
      archivist,
    );
    const r = verifyBundle(bundle, { witnesses: policyOf([w]), suite: nodeSuite });
    expect(r.problems.filter((p) => p.check === 'signers')).toEqual([
      expect.objectContaining({ check: 'signers', code: 'SIGNER_REVOKED', seq: late }),
    ]);
    // The notes belong to no case: carried but unaccounted for (a bundle carries cases and what proves them).
    expect(r.problems.filter((p) => p.check === 'completeness').map((p) => [p.code, p.seq])).toEqual([
      ['ENTRY_UNACCOUNTED', ok],
      ['ENTRY_UNACCOUNTED', late],
    ]);
    expect(r.problems.some((p) => p.check === 'signers' && p.seq === ok)).toBe(false);
    // An entry of a kind nobody declared, and one signed by a key without the kind's role.
    const log2 = await ForgedLog.create('forge.example/log2', root);
    await log2.add(
      'core/key.register',
      { publicKey: archivist.publicKey, principal: 'P-2', roles: ['archivist'] },
      root,
    );
    const undeclared = await log2.add('test/other', { x: 1 }, archivist);
    await log2.add('core/kind.declare', { kind: 'test/note', roles: ['officer'] }, root);
    const wrongRole = await log2.add('test/note', { text: 'x' }, archivist);
    const b2 = await buildBundle(
      {
        origin: log2.origin,
        checkpoint: await log2.checkpoint([w]),
        entries: log2.entries(),
        exported: 1,
        suite: nodeSuite,
      },
      archivist,
    );
    expect(
      verifyBundle(b2, { witnesses: policyOf([w]), suite: nodeSuite })
        .problems.filter((p) => p.check === 'signers')
        .map((p) => [p.code, p.seq]),
    ).toEqual([
      ['KIND_UNDECLARED', undeclared],
      ['ROLE_MISSING', wrongRole],
    ]);
  });

  it('an entry beyond the checkpoint and a wrong origin pin are reported', async () => {
    const root = key('forge-root');
    const archivist = key('forge-archivist');
    const w = witnessKey(1);
    const log = await ForgedLog.create('forge.example/log', root);
    await log.add(
      'core/key.register',
      { publicKey: archivist.publicKey, principal: 'P-2', roles: ['archivist'] },
      root,
    );
    const cp = await log.checkpoint([w]);
    await log.add(
      'core/key.register',
      { publicKey: key('x').publicKey, principal: 'P-3', roles: ['officer'] },
      root,
    );
    const entries = log.entries([0, 1], 2).concat([{ entry: log.signed[2]!, proof: log.proof(1, 2) }]);
    const b = await buildBundle(
      { origin: log.origin, checkpoint: cp, entries, exported: 1, suite: nodeSuite },
      archivist,
    );
    const r = verifyBundle(b, { witnesses: policyOf([w]), suite: nodeSuite, origin: 'other.example/log' });
    expect(r.problems.map((p) => p.code).sort()).toEqual(['INCLUSION_BEYOND_CHECKPOINT', 'ORIGIN_UNTRUSTED']);
  });

  it('entries out of order or repeated are a format failure', async () => {
    const root = key('forge-root');
    const archivist = key('forge-archivist');
    const log = await ForgedLog.create('forge.example/log', root);
    await log.add(
      'core/key.register',
      { publicKey: archivist.publicKey, principal: 'P-2', roles: ['archivist'] },
      root,
    );
    const good = await buildBundle(
      {
        origin: log.origin,
        checkpoint: await log.checkpoint(),
        entries: log.entries(),
        exported: 1,
        suite: nodeSuite,
      },
      archivist,
    );
    for (const order of [
      [1, 0],
      [0, 0, 1],
    ]) {
      const bad = await resign(good, archivist, (p) => ({ ...p, entries: order.map((i) => p.entries[i]!) }));
      const r = verifyBundle(bad, { witnesses: { witnesses: [], quorum: 0 }, suite: nodeSuite });
      expect(codes(r)).toEqual(['BUNDLE_ENTRY_ORDER']);
      expect(r.checks.format.status).toBe('failed');
    }
  });
});
