/**
 * Acceptance (issue 7): entries forged by raw writes into LevelDB — correctly signed by a real archivist key, chained,
 * with their tree nodes and index rows, so that the ledger's own verify is clean — are reported by the retention and
 * access verification: a purge before expiry, a purge without the head's approval, a purge under a hold, a granted
 * retrieval without approval, a disclosure without the head's approval.
 */
import { describe, expect, it } from 'vitest';
import { ACC, archiveKinds, verifyAccess, verifyArchive } from '../../src/access';
import { KIND } from '../../src/domain/kind-names';
import { Ledger } from '../../src/ledger';
import type { CborValue, StoredEntry } from '../../src/ledger/types';
import { RET, Retention, verifyRetention } from '../../src/retention';
import {
  type Segment,
  type World,
  avExpiry as expiry,
  avPurgeBody as purgeBody,
  entriesOfKind,
  people,
  rawAppend,
  target,
  useWorld,
} from './helpers';

let w: World;
let segments: Segment[];
const kinds = archiveKinds();
useWorld('el-ret-', async (world) => {
  w = world;
  segments = await entriesOfKind(w.ledger, KIND.segment);
});

/** Writes `body` raw, deletes the content as the insider would, reopens, and returns both verifications. */
async function forge(kind: string, body: CborValue, time: number, purged?: StoredEntry) {
  await w.ledger.close();
  const seq = await rawAppend(w.ledgerPath, kinds, people.archivist, kind, body, time);
  if (purged) await w.store.removeForPurge(purged.content[0]!.digest, seq);
  await w.reopen();
  const ledgerReport = await w.ledger.verify();
  return { seq, ledgerReport, archive: await verifyArchive(w.ledger, w.store) };
}

describe('forged by raw writes', () => {
  it('a purge before expiry (with request and approval) is reported although the log verifies', async () => {
    const ret = new Retention(w.ledger, w.store, { clock: w.clock });
    const seg = segments[0]!;
    await ret.requestPurge(
      { requestId: 'R1', targets: [target(seg)], reason: '期满', requestedAt: w.now },
      people.archivist,
    );
    await w.er.approve(
      'purge',
      { approvalId: 'A1', decision: 'approved', decidedAt: w.now, targets: [target(seg)], reason: '同意' },
      people.head,
    );
    const at = expiry(seg) - 1;
    const { seq, ledgerReport, archive } = await forge(
      RET.purge,
      purgeBody('F1', seg, { requestId: 'R1', approvalId: 'A1' }, at),
      at,
      seg,
    );
    expect(ledgerReport.problems).toEqual([]);
    expect(archive.ok).toBe(false);
    expect(archive.findings).toEqual([
      expect.objectContaining({
        code: 'PURGE_BEFORE_EXPIRY',
        seqs: [seg.seq, seq],
        article: '27',
        liability: '30(4)',
      }),
    ]);
  });

  it('a purge after expiry without the head’s approval (and without a request) is reported', async () => {
    const seg = segments[1]!;
    const at = expiry(seg) + 1000;
    const { seq, ledgerReport } = await forge(RET.purge, purgeBody('F2', seg, {}, at), at, seg);
    expect(ledgerReport.problems).toEqual([]);
    const rep = await verifyRetention(w.ledger, w.store);
    const mine = rep.findings.filter((f) => f.seqs.includes(seq)).map((f) => f.code);
    expect(mine.sort()).toEqual(['PURGE_NO_APPROVAL', 'PURGE_NO_REQUEST']);
    // Its content is not counted as lawfully purged.
    expect(rep.stats.purged).toBe(0);
  });

  it('a purge under a hold is reported', async () => {
    const ret = new Retention(w.ledger, w.store, { clock: w.clock });
    const seg = segments[2]!;
    await ret.hold({ holdId: 'H1', caseId: w.caseId, reason: '诉讼', placedAt: w.now }, people.head);
    await ret.requestPurge(
      { requestId: 'R3', targets: [target(seg)], reason: '期满', requestedAt: w.now },
      people.archivist,
    );
    await w.er.approve(
      'purge',
      { approvalId: 'A3', decision: 'approved', decidedAt: w.now, targets: [target(seg)], reason: '同意' },
      people.head,
    );
    const at = expiry(seg) + 1000;
    const { seq } = await forge(
      RET.purge,
      purgeBody('F3', seg, { requestId: 'R3', approvalId: 'A3' }, at),
      at,
      seg,
    );
    const rep = await verifyRetention(w.ledger, w.store);
    expect(rep.findings.filter((f) => f.seqs.includes(seq)).map((f) => f.code)).toEqual(['PURGE_UNDER_HOLD']);
  });

  it('a granted retrieval without an approval, and a disclosure without the head’s approval, are reported (Art. 30(5))', async () => {
    const seg = segments[3]!;
    const r = await forge(
      ACC.retrieval,
      {
        v: 1,
        requesterId: 'P-wang',
        caseId: w.caseId,
        target: target(seg),
        outcome: 'granted',
        at: w.now,
      } as CborValue,
      w.now,
    );
    const d = await forge(
      ACC.disclosure,
      { v: 1, caseId: w.caseId, recipient: '某报社', outcome: 'granted', at: w.now } as CborValue,
      w.now,
    );
    expect((await w.ledger.verify()).problems).toEqual([]);
    const rep = await verifyAccess(w.ledger);
    expect(rep.findings).toEqual([
      expect.objectContaining({
        code: 'RETRIEVAL_NO_APPROVAL',
        seqs: [r.seq],
        article: '24',
        liability: '30(5)',
      }),
      expect.objectContaining({
        code: 'DISCLOSURE_NO_APPROVAL',
        seqs: [d.seq],
        article: '26',
        liability: '30(5)',
      }),
    ]);
    // The same retrieval through the ledger API is refused by the kind check.
    const err = await w.ledger
      .append(
        {
          kind: ACC.retrieval,
          body: { v: 1, requesterId: 'P-wang', target: target(seg), outcome: 'granted', at: w.now },
        },
        people.archivist,
      )
      .catch((e) => e);
    expect(err.issues?.[0]?.code).toBe('RETRIEVAL_NO_APPROVAL');
  });

  it('Ledger.verify at rest with the archive kinds agrees the log itself is intact', async () => {
    await w.ledger.close();
    const rep = await Ledger.verify(w.ledgerPath, { kinds });
    expect(rep.problems).toEqual([]);
    await w.reopen();
  });
});
