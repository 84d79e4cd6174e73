/**
 * Acceptance (issue 7, Art. 23–26): a retrieval without approval, with an expired approval, with another requester's
 * approval, or beyond its use count is refused and the refusal is in the ledger; a granted retrieval is in the ledger
 * with its approval and returns the original bytes. Labels tighten who may approve; disclosures need the head.
 */
import { describe, expect, it } from 'vitest';
import { ACC, Access, verifyAccess } from '../../src/access';
import { KIND } from '../../src/domain/kind-names';
import { PolicyError } from '../../src/errors';
import { Retention, expiryOf } from '../../src/retention';
import {
  type DocumentEntry,
  type Segment,
  type World,
  entriesOfKind,
  people,
  sha256,
  useWorld,
} from '../retention/helpers';

let w: World;
let acc: Access;
let segments: Segment[];
let documents: DocumentEntry[];
const DAY = 86_400_000;
let n = 0;
const id = (p: string) => `${p}-${++n}`;
const segId = (e: Segment) => e.body.segmentId;

useWorld('el-acc-', async (world) => {
  w = world;
  acc = new Access(w.ledger, w.store, { clock: w.clock });
  segments = await entriesOfKind(w.ledger, KIND.segment);
  documents = await entriesOfKind(w.ledger, KIND.document);
});

/** An internal request by P-wang for `seg`, approved by `approver`. */
async function approved(
  seg: Segment,
  opts: {
    approver?: typeof people.head;
    maxUses?: number;
    validUntil?: number;
    requesterId?: string;
    scope?: 'internal' | 'external';
  } = {},
) {
  const requestId = id('RQ');
  const requesterId = opts.requesterId ?? 'P-wang';
  await acc.requestRetrieval(
    {
      requestId,
      scope: opts.scope ?? 'internal',
      requesterId,
      ...(opts.scope === 'external' ? { organisation: '某区人民法院', contactId: 'P-sun' } : {}),
      purpose: '案件复核',
      caseId: w.caseId,
      segmentIds: [segId(seg)],
      requestedAt: w.now,
    },
    opts.scope === 'external'
      ? people.archivist
      : requesterId === 'P-wang'
        ? people.officer
        : people.officer2,
  );
  const approvalId = id('AP');
  await w.er.approve(
    'retrieval',
    {
      approvalId,
      decision: 'approved',
      decidedAt: w.now,
      slipNo: `调用单-${n}`,
      requesterId: opts.scope === 'external' ? 'P-sun' : requesterId,
      purpose: '案件复核',
      caseId: w.caseId,
      requestId,
      validUntil: opts.validUntil ?? w.now + DAY,
      ...(opts.maxUses === undefined ? {} : { maxUses: opts.maxUses }),
    },
    opts.approver ?? people.supervisor,
  );
  return approvalId;
}

/** Expects a refusal with `code`, logged as the last entry with that reason. */
let refusals = 0;
async function refusedAndLogged(p: Promise<unknown>, code: string) {
  refusals++;
  const before = w.ledger.size;
  const err = (await p.catch((e: unknown) => e)) as PolicyError;
  expect(err).toBeInstanceOf(PolicyError);
  expect(err.code).toBe(code);
  expect(w.ledger.size).toBe(before + 1);
  const ev = await w.ledger.get(before);
  expect(ev.kind).toBe(ACC.retrieval);
  expect(ev.body).toMatchObject({ outcome: 'refused', reason: code });
  expect(err.details?.eventSeq).toBe(before);
  return ev;
}

describe('retrieve', () => {
  it('without an approval: refused, and the refusal is in the ledger', async () => {
    await refusedAndLogged(
      acc.retrieve(segments[0]!.seq, { requesterId: 'P-wang' }, people.archivist),
      'RETRIEVAL_NO_APPROVAL',
    );
    await refusedAndLogged(
      acc.retrieve(segments[0]!.seq, { requesterId: 'P-wang', approvalId: 'no-such' }, people.archivist),
      'RETRIEVAL_NO_APPROVAL',
    );
  });

  it('granted: the event names the approval; the bytes are the original; a second use is refused (used up)', async () => {
    const seg = segments[0]!;
    const approvalId = await approved(seg);
    const before = w.ledger.size;
    const r = await acc.retrieveBytes(
      seg.seq,
      { requesterId: 'P-wang', approvalId, purpose: '复核' },
      people.archivist,
    );
    expect(r.event.seq).toBe(before);
    expect(sha256(r.bytes)).toEqual(seg.content[0]!.digest);
    expect((await w.ledger.get(r.event.seq)).body).toMatchObject({
      outcome: 'granted',
      approvalId,
      requesterId: 'P-wang',
      caseId: w.caseId,
      target: { seq: seg.seq, digest: seg.content[0]!.digest },
    });
    await refusedAndLogged(
      acc.retrieve(seg.seq, { requesterId: 'P-wang', approvalId }, people.archivist),
      'RETRIEVAL_USED_UP',
    );
  });

  it('maxUses allows that many retrievals, then refuses', async () => {
    const seg = segments[1]!;
    const approvalId = await approved(seg, { maxUses: 2 });
    await acc.retrieveBytes(seg.seq, { requesterId: 'P-wang', approvalId }, people.archivist);
    await acc.retrieveBytes(seg.seq, { requesterId: 'P-wang', approvalId }, people.archivist);
    await refusedAndLogged(
      acc.retrieve(seg.seq, { requesterId: 'P-wang', approvalId }, people.archivist),
      'RETRIEVAL_USED_UP',
    );
  });

  it('with an expired approval: refused (one millisecond past validUntil), logged', async () => {
    const seg = segments[2]!;
    const approvalId = await approved(seg, { validUntil: w.now + 1000 });
    w.now += 1000;
    await refusedAndLogged(
      acc.retrieve(seg.seq, { requesterId: 'P-wang', approvalId }, people.archivist),
      'RETRIEVAL_APPROVAL_EXPIRED',
    );
  });

  it('with another requester’s approval: refused, logged', async () => {
    const seg = segments[3]!;
    const approvalId = await approved(seg, { requesterId: 'P-li' });
    await refusedAndLogged(
      acc.retrieve(seg.seq, { requesterId: 'P-wang', approvalId }, people.archivist),
      'RETRIEVAL_WRONG_REQUESTER',
    );
  });

  it('for a record the request does not name: refused, logged', async () => {
    const approvalId = await approved(segments[4]!);
    await refusedAndLogged(
      acc.retrieve(documents[0]!.seq, { requesterId: 'P-wang', approvalId }, people.archivist),
      'RETRIEVAL_WRONG_RECORD',
    );
  });

  it('a personal-privacy label requires the head: the supervisor’s approval is refused, the head’s granted', async () => {
    const seg = segments[5]!;
    await acc.label(
      {
        labelId: id('L'),
        caseId: w.caseId,
        segmentIds: [segId(seg)],
        labels: ['personal_privacy'],
        labelledAt: w.now,
      },
      people.archivist,
    );
    const bySupervisor = await approved(seg);
    await refusedAndLogged(
      acc.retrieve(seg.seq, { requesterId: 'P-wang', approvalId: bySupervisor }, people.archivist),
      'RETRIEVAL_APPROVER_ROLE',
    );
    const byHead = await approved(seg, { approver: people.head });
    await acc.retrieveBytes(seg.seq, { requesterId: 'P-wang', approvalId: byHead }, people.archivist);
  });

  it('an external request (Art. 25) needs the head by default', async () => {
    const seg = segments[6]!;
    const bySupervisor = await approved(seg, { scope: 'external', requesterId: '91140500MA0000000X' });
    await refusedAndLogged(
      acc.retrieve(
        seg.seq,
        { requesterId: '91140500MA0000000X', approvalId: bySupervisor },
        people.archivist,
      ),
      'RETRIEVAL_APPROVER_ROLE',
    );
    const byHead = await approved(seg, {
      scope: 'external',
      requesterId: '91140500MA0000000X',
      approver: people.head,
    });
    await acc.retrieveBytes(
      seg.seq,
      { requesterId: '91140500MA0000000X', approvalId: byHead },
      people.archivist,
    );
  });

  it('purged content: refused as purged, logged', async () => {
    const seg = segments[7]!;
    const t = { seq: seg.seq, digest: seg.content[0]!.digest };
    const ret = new Retention(w.ledger, w.store, { clock: w.clock });
    const requestId = id('PR');
    const purgeApproval = id('PA');
    await ret.requestPurge({ requestId, targets: [t], reason: '期满', requestedAt: w.now }, people.archivist);
    await w.er.approve(
      'purge',
      { approvalId: purgeApproval, decision: 'approved', decidedAt: w.now, targets: [t], reason: '同意' },
      people.head,
    );
    w.now = Math.max(w.now, expiryOf((seg.body as { endedAt: number }).endedAt, 6));
    await ret.purge({ purgeId: id('PG'), requestId, approvalId: purgeApproval }, people.archivist);
    const approvalId = await approved(seg);
    await refusedAndLogged(
      acc.retrieve(seg.seq, { requesterId: 'P-wang', approvalId }, people.archivist),
      'RETRIEVAL_CONTENT_PURGED',
    );
  });
});

describe('disclose (Art. 26)', () => {
  it('without the head’s approval: refused and logged; with it: granted', async () => {
    const before = w.ledger.size;
    const err = await acc
      .disclose({ caseId: w.caseId, recipient: '某报社', purpose: '报道' }, people.archivist)
      .catch((e) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect(err.code).toBe('DISCLOSURE_NO_APPROVAL');
    expect(w.ledger.size).toBe(before + 1);
    expect((await w.ledger.get(before)).body).toMatchObject({
      outcome: 'refused',
      reason: 'DISCLOSURE_NO_APPROVAL',
    });
    const approvalId = id('DA');
    await w.er.approve(
      'disclosure',
      {
        approvalId,
        decision: 'approved',
        decidedAt: w.now,
        caseId: w.caseId,
        recipient: '某报社',
        purpose: '报道',
      },
      people.head,
    );
    const ok = await acc.disclose(
      { approvalId, caseId: w.caseId, recipient: '某报社', purpose: '报道' },
      people.archivist,
    );
    expect((await w.ledger.get(ok.seq)).body).toMatchObject({ outcome: 'granted', approvalId });
  });
});

describe('verify', () => {
  it('every event written through the API verifies clean, and the log too', async () => {
    const rep = await verifyAccess(w.ledger);
    expect(rep.findings).toEqual([]);
    expect(rep.stats.refused).toBe(refusals);
    expect(rep.stats.retrievals).toBeGreaterThan(rep.stats.refused);
    expect((await w.ledger.verify()).problems).toEqual([]);
  });
});
