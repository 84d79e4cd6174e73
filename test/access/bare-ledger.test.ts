/**
 * Acceptance (issue 13, finding 2): the law's checks are driven by the entries themselves, not by derived index rows.
 * An insider with valid keys appends through a `Ledger` opened without the enforcement kinds, so no index rows (other
 * than the core's) are written and no kind check runs. The ledger verify reports the missing rows as its own problem
 * (INDEX_MISSING), and the retention, access and record verifications still report each violation with its own code.
 */
import { describe, expect, it } from 'vitest';
import { ACC, verifyAccess, verifyArchive } from '../../src/access';
import { KIND } from '../../src/domain/kind-names';
import { verifyRecords } from '../../src/domain/verify';
import { Ledger } from '../../src/ledger';
import type { CborValue } from '../../src/ledger/types';
import { RET, Retention, verifyRetention } from '../../src/retention';
import {
  type World,
  avExpiry as expiry,
  avPurgeBody,
  entriesOfKind,
  people,
  type Segment,
  target,
  useWorld,
} from '../retention/helpers';

let w: World;
let segments: Segment[];
useWorld('el-bare-', async (world) => {
  w = world;
  segments = await entriesOfKind(w.ledger, KIND.segment);
});

/** Appends through a Ledger opened with no kind definitions (no kind rows, no kind checks); returns the seqs. */
async function bare(entries: Array<{ kind: string; body: CborValue; by: keyof typeof people }>) {
  await w.ledger.close();
  const l = await Ledger.open(w.ledgerPath, { clock: w.clock });
  const seqs: number[] = [];
  try {
    for (const e of entries) seqs.push((await l.append({ kind: e.kind, body: e.body }, people[e.by])).seq);
  } finally {
    await l.close();
    await w.reopen();
  }
  return seqs;
}

/** The ledger verify's problems at `seqs`: only missing index rows (the log itself is sound). */
async function onlyIndexMissing(seqs: number[]) {
  const rep = await w.ledger.verify();
  expect(rep.problems.length).toBeGreaterThan(0);
  for (const p of rep.problems) {
    expect(p.code).toBe('INDEX_MISSING');
    expect(seqs).toContain(p.seq);
  }
}

describe('appended through a Ledger opened without the kinds', () => {
  it('a granted retrieval and a disclosure without approval are each reported (Art. 24–26)', async () => {
    const seg = segments[0]!;
    const [r, d] = await bare([
      {
        kind: ACC.retrieval,
        body: {
          v: 1,
          requesterId: 'P-wang',
          caseId: w.caseId,
          target: target(seg),
          outcome: 'granted',
          at: w.now,
        } as CborValue,
        by: 'archivist',
      },
      {
        kind: ACC.disclosure,
        body: { v: 1, caseId: w.caseId, recipient: '某报社', outcome: 'granted', at: w.now } as CborValue,
        by: 'archivist',
      },
    ]);
    await onlyIndexMissing([r!, d!]);
    const rep = await verifyAccess(w.ledger);
    expect(rep.ok).toBe(false);
    expect(rep.stats).toEqual({ retrievals: 1, refused: 0, disclosures: 1 });
    expect(rep.checks.map((c) => [c.name, c.status, c.problems])).toEqual([
      ['retrievals', 'failed', 1],
      ['disclosures', 'failed', 1],
    ]);
    expect(rep.findings).toEqual([
      expect.objectContaining({
        code: 'RETRIEVAL_NO_APPROVAL',
        seqs: [r],
        article: '24',
        liability: '30(5)',
      }),
      expect.objectContaining({
        code: 'DISCLOSURE_NO_APPROVAL',
        seqs: [d],
        article: '26',
        liability: '30(5)',
      }),
    ]);
  });

  it('a purge before expiry, without request or approval, is reported with its own codes, not as missing content', async () => {
    const seg = segments[1]!;
    const at = expiry(seg) - 1;
    const [p] = await bare([
      {
        kind: RET.purge,
        body: avPurgeBody('BARE-P1', seg, {}, at),
        by: 'archivist',
      },
    ]);
    await w.store.removeForPurge(seg.content[0]!.digest, p!);
    const rep = await verifyRetention(w.ledger, w.store);
    expect(rep.ok).toBe(false);
    expect(rep.stats.purges).toBe(1);
    expect(rep.checks.map((c) => [c.name, c.status])).toEqual([
      ['purges', 'failed'],
      ['contents', 'passed'],
    ]);
    expect(rep.findings.filter((f) => f.seqs.includes(p!)).map((f) => f.code)).toEqual([
      'PURGE_BEFORE_EXPIRY',
      'PURGE_NO_APPROVAL',
      'PURGE_NO_REQUEST',
    ]);
    // The purge names the content: its absence is the purge's finding, not CONTENT_MISSING_UNPURGED.
    expect(rep.findings.map((f) => f.code)).not.toContain('CONTENT_MISSING_UNPURGED');
  });

  it('a hold placed without its rows still makes a later purge (through the API) unlawful', async () => {
    const seg = segments[2]!;
    const [h] = await bare([
      {
        kind: RET.hold,
        body: { v: 1, holdId: 'BARE-H1', caseId: w.caseId, reason: '诉讼', placedAt: w.now } as CborValue,
        by: 'head',
      },
    ]);
    const ret = new Retention(w.ledger, w.store, { clock: w.clock });
    await ret.requestPurge(
      { requestId: 'BARE-R2', targets: [target(seg)], reason: '期满', requestedAt: w.now },
      people.archivist,
    );
    await w.er.approve(
      'purge',
      {
        approvalId: 'BARE-A2',
        decision: 'approved',
        decidedAt: w.now,
        targets: [target(seg)],
        reason: '同意',
      },
      people.head,
    );
    w.now = expiry(seg) + 1000;
    // The append-time check reads the stored rows, which the hold lacks: the purge is written.
    const done = await ret.purge(
      { purgeId: 'BARE-P2', requestId: 'BARE-R2', approvalId: 'BARE-A2' },
      people.archivist,
    );
    const archive = await verifyArchive(w.ledger, w.store);
    expect(archive.findings.filter((f) => f.seqs.includes(done.purgeSeq))).toEqual([
      expect.objectContaining({
        code: 'PURGE_UNDER_HOLD',
        seqs: [seg.seq, h!, done.purgeSeq].sort((a, b) => a - b),
      }),
    ]);
  });

  it('a record checks against records that have no rows: a person id defined twice is a duplicate', async () => {
    const person = (name: string) =>
      ({ v: 1, personId: 'P-ghost', agencyId: 'jc-wjw', name, roles: ['archivist'] }) as CborValue;
    const [first] = await bare([{ kind: KIND.person, body: person('甲'), by: 'root' }]);
    // The append-time check does not see the first (no row) and lets the second in.
    const second = await w.ledger.append({ kind: KIND.person, body: person('乙') }, people.root);
    const rep = await verifyRecords(w.ledger);
    expect(rep.problems).toEqual([
      expect.objectContaining({
        seq: second.seq,
        code: 'RECORD_INVALID',
        issue: 'duplicate_id',
        path: ['body', 'personId'],
      }),
    ]);
    expect(rep.problems[0]!.message).toContain(`seq ${first}`);
    expect(rep.checks).toEqual([expect.objectContaining({ name: 'records', status: 'failed', problems: 1 })]);
  });
});
