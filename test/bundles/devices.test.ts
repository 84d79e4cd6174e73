/**
 * Art. 20 / 28 device rules in proof bundles (issue 14 point 5): the exporter carries, per case, the organisation
 * records its rules consult (the agency, each device its segments name and that device's custody and status events),
 * and the verifier re-evaluates the case with them, so a segment recorded by a device reported lost is a finding the
 * inspector sees and re-derives. An exporter that drops them, lists a record that is not the case's, or leaves out a
 * device's record is caught.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundles/export';
import { type BundlePayload, decodeBundle } from '../../src/bundles/format';
import { type BundleTrust, verifyBundle } from '../../src/bundles/verify';
import { bundleTimelines } from '../../src/cli/report/from-bundle';
import { nodeSuite } from '../../src/crypto/node';
import { decodeSignedEntry } from '../../src/ledger/format';
import { witnessLedger } from '../../src/witness/ledger';
import {
  cleanup,
  inProcessWitness,
  key,
  type PenaltySetup,
  penaltySetup,
  policyOf,
  resign,
  codes,
} from './helpers';

afterAll(cleanup);

const kindOf = (p: BundlePayload, seq: number) =>
  p.entries.map((e) => decodeSignedEntry(e.entry).entry).find((e) => e.seq === seq)?.kind;

describe('device rules in a proof bundle', () => {
  let s: PenaltySetup;
  let bytes: Uint8Array;
  let trust: BundleTrust;
  let statusSeq: number;
  let lastSeg: { seq: number; startedAt: number };
  beforeAll(async () => {
    s = await penaltySetup({ nWitnesses: 0 });
    // BC-0107 reported lost one minute before its last segment of the case began.
    const segs = (await s.records.caseRecords(s.caseId))
      .filter((r) => r.kind === 'enf/segment' && (r.body as { deviceId: string }).deviceId === 'BC-0107')
      .map((r) => ({ seq: r.seq, startedAt: (r.body as { startedAt: number }).startedAt }))
      .sort((a, b) => a.startedAt - b.startedAt);
    lastSeg = segs.at(-1)!;
    ({ seq: statusSeq } = await s.records.recordDeviceStatus(
      { eventId: 'DEV-EV-1', deviceId: 'BC-0107', status: 'lost', at: lastSeg.startedAt - 60_000 },
      key('P-zhao'),
    ));
    await s.ledger.checkpoint();
    const w = inProcessWitness(s.ledger, 1);
    await witnessLedger(s.ledger, { witness: w, client: w.client, signer: s.root });
    bytes = await exportBundle(s.ledger, {
      exporter: s.archivist,
      caseIds: [s.caseId],
      clock: () => Date.UTC(2026, 4, 1),
    });
    trust = { witnesses: policyOf([w]), suite: nodeSuite };
  });
  afterAll(() => s.ledger.close());

  it('carries the organisation records and the verifier re-derives the device finding', async () => {
    const p = decodeBundle(bytes).payload;
    const org = p.cases[0]!.organisation!;
    expect(org).toContain(statusSeq);
    expect(org.map((seq) => kindOf(p, seq))).toEqual(
      expect.arrayContaining(['enf/agency', 'enf/device', 'enf/device.status']),
    );
    const r = await verifyBundle(bytes, trust);
    expect(codes(r)).toEqual([]);
    expect(r.ok).toBe(true);
    const device = r.cases[0]!.findings.filter((f) => f.rule === 'art20-devices');
    expect(device).toEqual([
      expect.objectContaining({
        article: '28',
        code: 'device_lost_or_retired',
        severity: 'violation',
        liability: '30(2)',
        seqs: expect.arrayContaining([lastSeg.seq, statusSeq]),
      }),
    ]);
    // The inspector's report of the bundle shows it too.
    const [timeline] = bundleTimelines(bytes, nodeSuite);
    expect(timeline!.compliant).toBe(false);
    expect(timeline!.findings.map((f) => f.code)).toContain('device_lost_or_retired');
  });

  it('an exporter dropping the organisation records, or one of them, or listing another record is caught', async () => {
    // Without them the rule is silent: the exported finding can no longer be re-derived.
    const dropped = await resign(bytes, s.archivist, (p) => ({
      ...p,
      cases: p.cases.map(({ organisation: _o, ...c }) => c),
    }));
    const r1 = await verifyBundle(dropped, trust);
    expect(codes(r1)).toContain('FINDINGS_MISMATCH');
    expect(r1.cases[0]!.findings.some((f) => f.rule === 'art20-devices')).toBe(false);
    // The device's own record left out of the list (still carried): incomplete, and unaccounted for.
    const p = decodeBundle(bytes).payload;
    const deviceSeq = p.cases[0]!.organisation!.find((seq) => kindOf(p, seq) === 'enf/device')!;
    const noDevice = await resign(bytes, s.archivist, (q) => ({
      ...q,
      cases: q.cases.map((c) => ({ ...c, organisation: c.organisation!.filter((x) => x !== deviceSeq) })),
    }));
    expect(codes(await verifyBundle(noDevice, trust))).toEqual(
      expect.arrayContaining(['CASE_INCOMPLETE', 'ENTRY_UNACCOUNTED']),
    );
    // A record that is not an organisation record of this case (the case record itself).
    const caseSeq = p.cases[0]!.seqs[0]!;
    const foreign = await resign(bytes, s.archivist, (q) => ({
      ...q,
      cases: q.cases.map((c) => ({
        ...c,
        organisation: [...new Set([caseSeq, ...c.organisation!])].sort((a, b) => a - b),
      })),
    }));
    expect(codes(await verifyBundle(foreign, trust))).toContain('CASE_MISMATCH');
  });
});
