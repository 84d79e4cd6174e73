/**
 * Acceptance (issue 7): purge with an injected clock — one millisecond before expiry refused, at expiry done; under a
 * hold refused; without the request or the head's approval refused; refusals write nothing. After a lawful purge the
 * content is gone, the entries stay, and verify is clean; content deleted directly from the store is reported.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/access';
import { KIND } from '../../src/domain/kind-names';
import { PolicyError, ValidationError } from '../../src/errors';
import type { StoredEntry } from '../../src/ledger/types';
import {
  DEFAULT_RETENTION_POLICY,
  RET,
  Retention,
  expiryOf,
  policyHash,
  verifyRetention,
} from '../../src/retention';
import { type World, cst, entriesOfKind, people, signer, target, useWorld } from './helpers';
import { inspectionCase } from '../domain/bodies';

let w: World;
let ret: Retention;
let segments: StoredEntry[];
let documents: StoredEntry[];
let n = 0;
const id = (p: string) => `${p}-${++n}`;

useWorld('el-ret-', async (world) => {
  w = world;
  ret = new Retention(w.ledger, w.store, { clock: w.clock });
  segments = await entriesOfKind(w.ledger, KIND.segment);
  documents = await entriesOfKind(w.ledger, KIND.document);
});

const expiry = (e: StoredEntry) => expiryOf((e.body as { endedAt: number }).endedAt, 6);

/** Archivist's request and head's approval for `targets`. */
async function requestAndApprove(
  targets: Array<{ seq: number; digest: Uint8Array }>,
  approve: 'approved' | 'rejected' | 'none' = 'approved',
) {
  const requestId = id('PR');
  await ret.requestPurge(
    { requestId, targets, reason: '保存期满（第二十二条第三项）', requestedAt: w.now },
    people.archivist,
  );
  const approvalId = id('PA');
  if (approve !== 'none')
    await w.er.approve(
      'purge',
      { approvalId, decision: approve, decidedAt: w.now, targets, reason: '同意销毁' },
      people.head,
    );
  return { requestId, approvalId };
}

async function refused(p: Promise<unknown>, code: string) {
  const before = w.ledger.size;
  const err = (await p.catch((e: unknown) => e)) as PolicyError;
  expect(err).toBeInstanceOf(PolicyError);
  expect(err.code).toBe(code);
  expect(w.ledger.size).toBe(before);
  return err as PolicyError;
}

describe('retention schedule', () => {
  it('AV not used as evidence: 6 months from its recording; documents: the case file D30 from the next 1 January', async () => {
    const sched = await ret.retentionSchedule(w.now, { caseId: w.caseId });
    const seg = sched.find((i) => i.seq === segments[0]!.seq)!;
    expect(seg).toMatchObject({
      state: 'scheduled',
      retentionClass: 'AV',
      basis: 'av_recording',
      evidence: false,
      purgeable: false,
    });
    // Recorded on 2026-03-03 (UTC+8): last day 2026-09-03, purgeable from 2026-09-04 00:00 (UTC+8).
    const ended = (segments[0]!.body as { endedAt: number }).endedAt;
    expect(ended).toBeGreaterThanOrEqual(cst(2026, 3, 3));
    expect(ended).toBeLessThan(cst(2026, 3, 4));
    expect(seg.expiresAt).toBe(cst(2026, 9, 4));
    const doc = sched.find((i) => i.seq === documents[0]!.seq)!;
    // Archived 2026-04-22 as D30: 30 whole years from 2027-01-01.
    expect(doc).toMatchObject({
      state: 'scheduled',
      retentionClass: 'D30',
      basis: 'case_file',
      expiresAt: cst(2057, 1, 1),
    });
    // Ordered by expiry: every AV item before every document.
    const firstDoc = sched.findIndex((i) => i.kind === KIND.document);
    expect(sched.slice(firstDoc).every((i) => i.kind !== KIND.segment)).toBe(true);
    expect(sched.length).toBe(
      segments.length +
        documents.reduce((k, d) => k + d.content.length, 0) +
        (await entriesOfKind(w.ledger, KIND.data)).reduce((k, d) => k + d.content.length, 0),
    );
  });

  it('a reclassified case file and a per-type class change the expiry; "permanent" never expires', async () => {
    await ret.reclassify(
      {
        reclassificationId: id('RC'),
        caseId: w.caseId,
        retentionClass: 'Y',
        reason: '重大案件',
        decidedAt: w.now,
      },
      people.archivist,
    );
    const doc = await ret.recordRetention(documents[0]!.seq);
    expect(doc).toMatchObject({
      state: 'permanent',
      retentionClass: 'Y',
      expiresAt: undefined,
      purgeable: false,
    });
    await ret.reclassify(
      {
        reclassificationId: id('RC'),
        caseId: w.caseId,
        retentionClass: 'D30',
        reason: '恢复',
        decidedAt: w.now,
      },
      people.archivist,
    );
    expect((await ret.recordRetention(documents[0]!.seq)).retentionClass).toBe('D30');
    const perType = new Retention(w.ledger, w.store, {
      clock: w.clock,
      policy: {
        ...DEFAULT_RETENTION_POLICY,
        documentTypes: { [(documents[0]!.body as { type: string }).type]: 'D10' },
      },
    });
    expect((await perType.recordRetention(documents[0]!.seq)).expiresAt).toBe(cst(2037, 1, 1));
    const err = await ret
      .reclassify(
        {
          reclassificationId: id('RC'),
          caseId: w.caseId,
          retentionClass: 'D99',
          reason: 'x',
          decidedAt: w.now,
        },
        people.archivist,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues[0]).toMatchObject({
      code: 'unknown_retention_class',
      path: ['body', 'retentionClass'],
    });
  });

  it('AV counted from its deposit when the policy says so', async () => {
    const byDeposit = new Retention(w.ledger, w.store, {
      clock: w.clock,
      policy: { ...DEFAULT_RETENTION_POLICY, av: { months: 6, from: 'deposit' } },
    });
    const seg = segments[0]!;
    const segmentId = (seg.body as { segmentId: string }).segmentId;
    const deposit = (await entriesOfKind(w.ledger, KIND.deposit)).find((d) =>
      ((d.body as { segmentIds?: string[] }).segmentIds ?? []).includes(segmentId),
    )!;
    const depositedAt = (deposit.body as { depositedAt: number }).depositedAt;
    expect(await byDeposit.recordRetention(seg.seq)).toMatchObject({
      basis: 'av_deposit',
      from: depositedAt,
      expiresAt: expiryOf(depositedAt, 6),
    });
    expect(expiryOf(depositedAt, 6)).toBeGreaterThan(expiry(seg));
  });

  it('only the archivist may mark evidence (the kind role)', async () => {
    const err = await ret
      .markEvidence(
        {
          markId: id('EM'),
          caseId: w.caseId,
          segmentIds: [(segments[0]!.body as { segmentId: string }).segmentId],
          evidence: true,
          reason: 'x',
          markedAt: w.now,
        },
        people.officer,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(PolicyError);
  });
});

describe('purge', () => {
  it('one millisecond before expiry is refused and writes nothing; at expiry it records, then deletes', async () => {
    const seg = segments[0]!;
    const t = target(seg);
    const { requestId, approvalId } = await requestAndApprove([t]);
    w.now = expiry(seg) - 1;
    const err = await refused(
      ret.purge({ purgeId: id('PG'), requestId, approvalId }, people.archivist),
      'PURGE_BEFORE_EXPIRY',
    );
    expect((err.details!.problems as Array<{ code: string }>).map((p) => p.code)).toEqual([
      'PURGE_BEFORE_EXPIRY',
    ]);
    expect(await w.store.has(t.digest)).toBe(true);

    w.now = expiry(seg);
    const purgeId = id('PG');
    const r = await ret.purge({ purgeId, requestId, approvalId }, people.archivist);
    expect(r.resumed).toBe(false);
    expect(await w.store.has(t.digest)).toBe(false);
    expect(await w.store.purgedBy(t.digest)).toBe(r.purgeSeq);
    const entry = await w.ledger.get(r.purgeSeq);
    expect(entry.kind).toBe(RET.purge);
    expect(entry.time).toBe(expiry(seg));
    expect(entry.body).toMatchObject({
      purgeId,
      requestId,
      approvalId,
      policy: policyHash(DEFAULT_RETENTION_POLICY),
      targets: [{ seq: seg.seq, retentionClass: 'AV', basis: 'av_recording', expiresAt: expiry(seg) }],
    });
    // The original entry stays.
    expect((await w.ledger.get(seg.seq)).content[0]!.digest).toEqual(t.digest);
    // Re-running is idempotent.
    expect(await ret.purge({ purgeId, requestId, approvalId }, people.archivist)).toEqual({
      purgeSeq: r.purgeSeq,
      resumed: true,
      removed: [],
    });
    const rep = await verifyArchive(w.ledger, w.store);
    expect(rep.findings).toEqual([]);
    expect(rep.ok).toBe(true);
    expect(rep.retention).toMatchObject({ purged: 1, missing: 0, purges: 1 });
    expect((await w.ledger.verify()).problems).toEqual([]);
    expect((await ret.recordRetention(seg.seq)).purgedBy).toBe(r.purgeSeq);
  });

  it('under a hold it is refused (even after expiry); after the release it works', async () => {
    const seg = segments[1]!;
    const t = target(seg);
    const holdId = id('H');
    await ret.hold({ holdId, caseId: w.caseId, reason: '行政诉讼中', placedAt: w.now }, people.head);
    const { requestId, approvalId } = await requestAndApprove([t]);
    w.now = Math.max(w.now, expiry(seg)) + 86_400_000;
    await refused(
      ret.purge({ purgeId: id('PG'), requestId, approvalId }, people.archivist),
      'PURGE_UNDER_HOLD',
    );
    expect((await ret.recordRetention(seg.seq)).holds.length).toBe(1);
    await ret.releaseHold({ holdId, reason: '诉讼终结', releasedAt: w.now }, people.archivist);
    await ret.purge({ purgeId: id('PG'), requestId, approvalId }, people.archivist);
    expect(await w.store.has(t.digest)).toBe(false);
  });

  it('a hold naming one record holds it and not the others', async () => {
    const [a, b] = [segments[2]!, segments[3]!];
    await ret.hold(
      {
        holdId: id('H'),
        caseId: w.caseId,
        segmentIds: [(a.body as { segmentId: string }).segmentId],
        reason: '复议',
        placedAt: w.now,
      },
      people.archivist,
    );
    expect((await ret.recordRetention(a.seq)).holds.length).toBe(1);
    expect((await ret.recordRetention(b.seq)).holds.length).toBe(0);
    const { requestId, approvalId } = await requestAndApprove([target(a), target(b)]);
    const err = await refused(
      ret.purge({ purgeId: id('PG'), requestId, approvalId }, people.archivist),
      'PURGE_UNDER_HOLD',
    );
    expect(err.details!.problems).toEqual([expect.objectContaining({ code: 'PURGE_UNDER_HOLD', target: 0 })]);
  });

  it('without the head’s approval, with a rejected approval, or without the archivist’s request it is refused', async () => {
    const seg = segments[4]!;
    const t = target(seg);
    w.now = Math.max(w.now, expiry(seg));
    const none = await requestAndApprove([t], 'none');
    await refused(
      ret.purge({ purgeId: id('PG'), requestId: none.requestId }, people.archivist),
      'PURGE_NO_APPROVAL',
    );
    await refused(
      ret.purge({ purgeId: id('PG'), requestId: none.requestId, approvalId: 'no-such' }, people.archivist),
      'PURGE_NO_APPROVAL',
    );
    const rejected = await requestAndApprove([t], 'rejected');
    await refused(ret.purge({ purgeId: id('PG'), ...rejected }, people.archivist), 'PURGE_APPROVAL_REJECTED');
    await refused(
      ret.purge(
        { purgeId: id('PG'), requestId: 'no-such', approvalId: rejected.approvalId },
        people.archivist,
      ),
      'PURGE_NO_REQUEST',
    );
    // A request for one target does not cover another.
    const other = await requestAndApprove([target(segments[5]!)]);
    await refused(
      ret.purge({ purgeId: id('PG'), ...other, targets: [t] }, people.archivist),
      'PURGE_TARGET_NOT_REQUESTED',
    );
    expect(await w.store.has(t.digest)).toBe(true);
  });

  it('one person holding both roles cannot request and approve the same purge (two people)', async () => {
    const both = people.root; // give a new key both roles through a person record
    const dual = signer('P-dual');
    await w.er.registerOfficer(
      { personId: 'P-dual', name: '双岗', roles: ['archivist', 'head'], agencyId: 'jc-wjw' },
      dual.publicKey,
      both,
    );
    const seg = segments[5]!;
    const t = target(seg);
    w.now = Math.max(w.now, expiry(seg));
    const requestId = id('PR');
    await ret.requestPurge({ requestId, targets: [t], reason: '期满', requestedAt: w.now }, dual);
    const approvalId = id('PA');
    await w.er.approve(
      'purge',
      { approvalId, decision: 'approved', decidedAt: w.now, targets: [t], reason: '同意' },
      dual,
    );
    await refused(
      ret.purge({ purgeId: id('PG'), requestId, approvalId }, people.archivist),
      'PURGE_SAME_PERSON',
    );
    const lenient = new Retention(w.ledger, w.store, {
      clock: w.clock,
      policy: { ...DEFAULT_RETENTION_POLICY, purge: { ...DEFAULT_RETENTION_POLICY.purge, twoPerson: false } },
    });
    // The ledger's own kind check (opened with the default policy) still refuses it atomically.
    const err = await lenient
      .purge({ purgeId: id('PG'), requestId, approvalId }, people.archivist)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues.map((i: { code: string }) => i.code)).toContain('PURGE_SAME_PERSON');
  });

  it('AV marked as evidence follows its case file: not purgeable after 6 months', async () => {
    const seg = segments[6]!;
    await ret.markEvidence(
      {
        markId: id('EM'),
        caseId: w.caseId,
        segmentIds: [(seg.body as { segmentId: string }).segmentId],
        evidence: true,
        reason: '作为证据使用',
        markedAt: w.now,
      },
      people.archivist,
    );
    expect(await ret.recordRetention(seg.seq)).toMatchObject({
      evidence: true,
      retentionClass: 'D30',
      expiresAt: cst(2057, 1, 1),
    });
    const ids = await requestAndApprove([target(seg)]);
    w.now = Math.max(w.now, expiry(seg)) + 1;
    await refused(ret.purge({ purgeId: id('PG'), ...ids }, people.archivist), 'PURGE_BEFORE_EXPIRY');
  });

  it('appending a purge entry directly through the ledger is refused by the kind check (same rules)', async () => {
    const doc = documents[1]!;
    const t = target(doc);
    const ids = await requestAndApprove([t]);
    const body = {
      v: 1,
      purgeId: id('PG'),
      ...ids,
      policy: policyHash(DEFAULT_RETENTION_POLICY),
      targets: [{ ...t, retentionClass: 'D30', basis: 'case_file', from: 0, expiresAt: 0 }],
      purgedAt: w.now,
    };
    const before = w.ledger.size;
    const err = await w.ledger.append({ kind: RET.purge, body }, people.archivist).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toContainEqual(
      expect.objectContaining({ code: 'PURGE_BEFORE_EXPIRY', path: ['body', 'targets', 0] }),
    );
    expect(w.ledger.size).toBe(before);
  });

  it('content deleted directly from the store (not purged) is reported at its record', async () => {
    const doc = documents[2]!;
    const t = target(doc);
    rmSync(w.store.path(t.digest));
    const rep = await verifyRetention(w.ledger, w.store);
    expect(rep.ok).toBe(false);
    expect(rep.findings).toEqual([
      expect.objectContaining({
        code: 'CONTENT_MISSING_UNPURGED',
        seqs: [doc.seq],
        article: '27',
        liability: '30(4)',
        severity: 'violation',
      }),
    ]);
    // The ledger itself is intact: only the retention check sees the loss.
    expect((await w.ledger.verify()).problems).toEqual([]);
  });
});

describe('Art. 22(3): an open case keeps its AV (issue 14 point 9)', () => {
  it('a segment of a case not yet closed is pending whatever its age; purge refused; after closing it expires', async () => {
    const T = cst(2026, 10, 1, 9, 0);
    const MIN = 60_000;
    const c = 'JC-OPEN-1';
    const officers = ['P-wang', 'P-li'];
    const party = { name: '某某诊所', kind: 'organisation' as const };
    w.now = T + 60 * MIN;
    await w.er.openCase(inspectionCase(c, officers, T), people.officer);
    await w.er.startAction(
      {
        actionId: `${c}-ACT`,
        caseId: c,
        actionTypes: ['on_site_inspection'],
        officers,
        target: party,
        location: '某路 1 号',
        startedAt: T,
      },
      people.officer,
    );
    const stored = await w.store.put(
      (async function* () {
        yield new TextEncoder().encode(`${c} segment`);
      })(),
    );
    const { seq } = await w.er.recordSegment(
      {
        segmentId: `${c}-SEG`,
        caseId: c,
        actionId: `${c}-ACT`,
        deviceId: 'BC-0107',
        officerId: 'P-wang',
        startedAt: T,
        endedAt: T + 10 * MIN,
        sessionId: `${c}-S`,
        position: 0,
        prevDigest: null,
      },
      stored,
      signer('BC-0107'),
    );
    await w.er.endAction({ actionId: `${c}-ACT`, caseId: c, endedAt: T + 30 * MIN }, people.officer);
    const seg = await w.ledger.get(seq);
    const t = target(seg);

    // A year after the recording (its 6 months long past), the case still open: pending, not purgeable.
    w.now = cst(2027, 10, 1, 9, 0);
    const open = await ret.recordRetention(seq);
    expect(open).toMatchObject({
      state: 'pending',
      pendingReason: 'case_open',
      expiresAt: undefined,
      purgeable: false,
    });
    const sched = await ret.retentionSchedule(w.now, { caseId: c });
    expect(sched.map((i) => [i.seq, i.state, i.pendingReason])).toEqual([[seq, 'pending', 'case_open']]);
    // Marking it "not evidence" settles nothing while the case is open.
    await ret.markEvidence(
      {
        markId: id('EV'),
        caseId: c,
        segmentIds: [`${c}-SEG`],
        evidence: false,
        reason: '未作为证据使用',
        markedAt: w.now,
      },
      people.archivist,
    );
    expect((await ret.recordRetention(seq)).pendingReason).toBe('case_open');
    const ids = await requestAndApprove([t]);
    await refused(ret.purge({ purgeId: id('PG'), ...ids }, people.archivist), 'PURGE_RETENTION_UNKNOWN');
    expect(await w.store.has(t.digest)).toBe(true);
    // Nor can a purge entry written straight through the ledger take it (the kind's own check).
    const forged = {
      v: 1,
      purgeId: id('PG'),
      ...ids,
      policy: policyHash(DEFAULT_RETENTION_POLICY),
      targets: [{ ...t, retentionClass: 'AV', basis: 'av_recording', from: 0, expiresAt: 0 }],
      purgedAt: w.now,
    };
    const err = await w.ledger.append({ kind: RET.purge, body: forged }, people.archivist).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toContainEqual(
      expect.objectContaining({ code: 'PURGE_RETENTION_UNKNOWN', path: ['body', 'targets', 0] }),
    );

    // Once the case is closed (办结) the 6 months count from the recording as before.
    await w.er.closeCase({ caseId: c, closedAt: w.now, outcome: '结案' }, people.officer);
    const closed = await ret.recordRetention(seq);
    expect(closed).toMatchObject({
      state: 'scheduled',
      basis: 'av_recording',
      expiresAt: expiryOf(T + 10 * MIN, 6),
      purgeable: true,
    });
    const again = await requestAndApprove([t]);
    await ret.purge({ purgeId: id('PG'), ...again }, people.archivist);
    expect(await w.store.has(t.digest)).toBe(false);
  });
});
