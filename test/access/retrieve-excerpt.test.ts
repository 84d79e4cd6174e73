/**
 * A partial retrieval (Access.retrieveExcerpt): one chunk of an archived file with its inclusion proof, judged and
 * logged exactly like a whole retrieval (Art. 24–25) — refused and logged without an approval, granted once under
 * one, the event naming the chunk — and the excerpt verifies against the record's chunkRoot.
 */
import { describe, expect, it } from 'vitest';
import { ACC, Access, verifyAccess } from '../../src/access';
import { CHUNK_SIZE, verifyChunkExcerpt } from '../../src/content';
import { portableSuite } from '../../src/crypto/portable';
import { KIND } from '../../src/domain/kind-names';
import { PolicyError } from '../../src/errors';
import type { StoredEntry } from '../../src/ledger/types';
import { type World, entriesOfKind, people, sha256, useWorld } from '../retention/helpers';

let w: World;
let acc: Access;
let seg: StoredEntry;
const DAY = 86_400_000;

useWorld('el-acc-ex-', async (world) => {
  w = world;
  acc = new Access(w.ledger, w.store, { clock: w.clock });
  seg = (await entriesOfKind(w.ledger, KIND.segment))[0]!;
});

async function approve(approvalId: string) {
  const segmentId = (seg.body as { segmentId: string }).segmentId;
  await acc.requestRetrieval(
    {
      requestId: `RQ-${approvalId}`,
      scope: 'internal',
      requesterId: 'P-wang',
      purpose: '案件复核',
      caseId: w.caseId,
      segmentIds: [segmentId],
      requestedAt: w.now,
    },
    people.officer,
  );
  await w.er.approve(
    'retrieval',
    {
      approvalId,
      decision: 'approved',
      decidedAt: w.now,
      slipNo: `调用单-${approvalId}`,
      requesterId: 'P-wang',
      purpose: '案件复核',
      caseId: w.caseId,
      requestId: `RQ-${approvalId}`,
      validUntil: w.now + DAY,
    },
    people.supervisor,
  );
}

describe('retrieveExcerpt', () => {
  it('without an approval: refused and logged, the event naming the chunk; nothing returned', async () => {
    const before = w.ledger.size;
    const err = await acc
      .retrieveExcerpt(seg.seq, 0, { requesterId: 'P-wang' }, people.archivist)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('RETRIEVAL_NO_APPROVAL');
    expect(w.ledger.size).toBe(before + 1);
    const ev = await w.ledger.get(before);
    expect(ev.kind).toBe(ACC.retrieval);
    expect(ev.body).toMatchObject({ outcome: 'refused', chunk: 0, reason: 'RETRIEVAL_NO_APPROVAL' });
  });

  it('granted once under an approval: the excerpt is the chunk and verifies; a second use is refused', async () => {
    await approve('AP-EX-1');
    const ref = seg.content[0]!;
    const r = await acc.retrieveExcerpt(
      seg.seq,
      0,
      { requesterId: 'P-wang', approvalId: 'AP-EX-1' },
      people.archivist,
    );
    expect((await w.ledger.get(r.event.seq)).body).toMatchObject({
      outcome: 'granted',
      approvalId: 'AP-EX-1',
      chunk: 0,
      target: { seq: seg.seq, digest: ref.digest },
    });
    expect(r.excerpt.start).toBe(0);
    expect(r.excerpt.end).toBe(Math.min(CHUNK_SIZE, ref.size));
    if (ref.size <= CHUNK_SIZE) expect(sha256(r.excerpt.bytes)).toEqual(ref.digest);
    expect(verifyChunkExcerpt(portableSuite.hash, ref, r.excerpt)).toMatchObject({
      ok: true,
      code: 'EXCERPT_OK',
    });
    const again = await acc
      .retrieveExcerpt(seg.seq, 0, { requesterId: 'P-wang', approvalId: 'AP-EX-1' }, people.archivist)
      .catch((e: unknown) => e);
    expect((again as PolicyError).code).toBe('RETRIEVAL_USED_UP');
    // The log's access findings stay clean: the partial retrieval was approved.
    expect((await verifyAccess(w.ledger)).findings).toEqual([]);
  });

  it('a chunk beyond the content is a RangeError and nothing is written', async () => {
    await approve('AP-EX-2');
    const before = w.ledger.size;
    const beyond = Math.ceil(seg.content[0]!.size / CHUNK_SIZE);
    await expect(
      acc.retrieveExcerpt(
        seg.seq,
        beyond,
        { requesterId: 'P-wang', approvalId: 'AP-EX-2' },
        people.archivist,
      ),
    ).rejects.toThrow(RangeError);
    await expect(
      acc.retrieveExcerpt(seg.seq, -1, { requesterId: 'P-wang', approvalId: 'AP-EX-2' }, people.archivist),
    ).rejects.toThrow(RangeError);
    expect(w.ledger.size).toBe(before);
  });
});
