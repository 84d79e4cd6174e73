/**
 * The archive lock (Art. 22(2), 27): after a case's `enf/case.archive` record, every case-file kind naming that case
 * is refused with `case_archived` and nothing is written; the same records are accepted before the archive and for
 * a case that is not archived; retention, access, retrieval, disclosure and purge records stay open; a record forged
 * into the log after the archive (append checks bypassed) is reported by verify at its seq.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACC, archiveKinds, declareArchiveKinds } from '../../src/access';
import { utf8 } from '../../src/bytes';
import { nodeSuite } from '../../src/crypto/node';
import type { Signer } from '../../src/crypto/types';
import {
  ALL_SPECS,
  EnforcementRecords,
  KIND,
  buildPenaltyCase,
  contentRefOf,
  cst,
  exampleSigner,
  verifyRecords,
} from '../../src/domain';
import { ValidationError } from '../../src/errors';
import { Ledger } from '../../src/ledger';
import type { CborValue, KindDefinition } from '../../src/ledger/types';
import { RET } from '../../src/retention';
import { inspectionCase } from './bodies';

const base = mkdtempSync(join(tmpdir(), 'domain-archive-lock-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const hash = nodeSuite.hash;
const key = (label: string): Signer => exampleSigner(label, hash);
const root = key('root');
const officer = key('P-wang');
const head = key('P-chen');
const supervisor = key('P-zhao');
const archivist = key('P-sun');
const camera = key('BC-0107');
const OFFICERS = ['P-wang', 'P-li'];
const party = { name: '某某诊所', kind: 'organisation' as const };
const T = cst(2026, 5, 4, 9, 0);
const MIN = 60_000;

/** One would-be record of a case-file kind: its kind and how to append it. */
interface Attempt {
  readonly kind: string;
  readonly append: (er: EnforcementRecords) => Promise<unknown>;
}

/** Records every later attempt needs: the case, an ended action with a segment and a document, an open action. */
async function prerequisites(er: EnforcementRecords, c: string): Promise<void> {
  await er.openCase(inspectionCase(c, OFFICERS, T), officer);
  for (const a of [`${c}-ACT`, `${c}-ACT-open-pre`, `${c}-ACT-open-post`])
    await er.startAction(
      {
        actionId: a,
        caseId: c,
        actionTypes: ['on_site_inspection'],
        officers: OFFICERS,
        target: party,
        location: '某路 1 号',
        startedAt: T,
      },
      officer,
    );
  await er.recordSegment(
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
    contentRefOf(utf8(`${c} segment`), hash),
    camera,
  );
  for (const d of [`${c}-DOC`, `${c}-DOC-orig-pre`, `${c}-DOC-orig-post`])
    await er.recordDocument(
      {
        documentId: d,
        caseId: c,
        actionId: `${c}-ACT`,
        type: 'ON_SITE_INSPECTION_RECORD',
        officers: OFFICERS,
        startedAt: T + MIN,
        signatures: { officers: true, party: 'signed' },
      },
      officer,
    );
  await er.recordException(
    {
      exceptionId: `${c}-EX`,
      caseId: c,
      actionId: `${c}-ACT`,
      reason: 'personal_privacy',
      from: T + 10 * MIN,
      to: T + 12 * MIN,
    },
    officer,
  );
  await er.endAction({ actionId: `${c}-ACT`, caseId: c, endedAt: T + 30 * MIN }, officer);
}

/** One record of every case-file kind for case `c`; each valid given `prerequisites` (tag: fresh ids). */
function attempts(c: string, tag: 'pre' | 'post'): Attempt[] {
  const id = (what: string) => `${c}-${what}-${tag}`;
  const t = T + 60 * MIN;
  const approval = { decision: 'approved' as const, decidedAt: t };
  return [
    {
      kind: KIND.actionStart,
      append: (er) =>
        er.startAction(
          {
            actionId: id('ACT'),
            caseId: c,
            actionTypes: ['inquiry'],
            officers: OFFICERS,
            target: party,
            location: '某路 1 号',
            startedAt: t,
          },
          officer,
        ),
    },
    {
      kind: KIND.actionEnd,
      append: (er) => er.endAction({ actionId: `${c}-ACT-open-${tag}`, caseId: c, endedAt: t }, officer),
    },
    {
      kind: KIND.segment,
      append: (er) =>
        er.recordSegment(
          {
            segmentId: id('SEG'),
            caseId: c,
            actionId: `${c}-ACT`,
            deviceId: 'BC-0107',
            officerId: 'P-wang',
            startedAt: T + 12 * MIN,
            endedAt: T + 20 * MIN,
            sessionId: id('S'),
            position: 0,
            prevDigest: null,
          },
          contentRefOf(utf8(id('SEG')), hash),
          camera,
        ),
    },
    {
      kind: KIND.document,
      append: (er) =>
        er.recordDocument(
          {
            documentId: id('DOC'),
            caseId: c,
            type: 'INQUIRY_RECORD',
            officers: OFFICERS,
            startedAt: t,
            signatures: { officers: true, party: 'signed' },
            files: [{ mediaType: 'application/pdf' }],
          },
          officer,
          [contentRefOf(utf8(id('DOC')), hash)],
        ),
    },
    {
      kind: KIND.document, // a correction (supersedes)
      append: (er) =>
        er.recordDocument(
          {
            documentId: id('DOC-fix'),
            caseId: c,
            actionId: `${c}-ACT`,
            type: 'ON_SITE_INSPECTION_RECORD',
            officers: OFFICERS,
            startedAt: T + MIN,
            signatures: { officers: true, party: 'signed' },
            supersedes: `${c}-DOC-orig-${tag}`,
            correctionReason: '笔误更正',
          },
          officer,
        ),
    },
    {
      kind: KIND.data,
      append: (er) =>
        er.recordData(
          {
            dataId: id('DATA'),
            caseId: c,
            documentId: `${c}-DOC`,
            system: '执法平台',
            recordedAt: t,
            fields: { party: party.name },
          },
          officer,
        ),
    },
    {
      kind: KIND.exception,
      append: (er) =>
        er.recordException(
          {
            exceptionId: id('EX'),
            caseId: c,
            actionId: `${c}-ACT`,
            reason: 'other',
            reasonText: '设备故障',
            from: T + 20 * MIN,
            to: T + 21 * MIN,
          },
          officer,
        ),
    },
    {
      kind: KIND.deposit,
      append: (er) =>
        er.deposit(
          {
            depositId: id('DEP'),
            caseId: c,
            actionId: `${c}-ACT`,
            depositedAt: t,
            basis: 'on_site_end',
            basisAt: T + 30 * MIN,
            segmentIds: [`${c}-SEG`],
          },
          archivist,
        ),
    },
    {
      kind: KIND.approvalCoerciveMeasure,
      append: (er) =>
        er.approve(
          'coercive_measure',
          { approvalId: id('APR-cm'), caseId: c, measure: 'seal_premises', ...approval },
          head,
        ),
    },
    {
      kind: KIND.approvalAvException,
      append: (er) =>
        er.approve(
          'av_exception',
          { approvalId: id('APR-ex'), caseId: c, exceptionId: `${c}-EX`, ...approval },
          head,
        ),
    },
    {
      kind: KIND.approvalLateDeposit,
      append: (er) =>
        er.approve(
          'late_deposit',
          { approvalId: id('APR-ld'), caseId: c, actionId: `${c}-ACT`, reason: '异地', ...approval },
          supervisor,
        ),
    },
    {
      kind: KIND.obstruction,
      append: (er) =>
        er.recordObstruction(
          {
            obstructionId: id('OBS'),
            caseId: c,
            occurredAt: T + 5 * MIN,
            description: '当事人阻挠拍摄',
            segmentIds: [`${c}-SEG`],
            reportedToPolice: false,
          },
          officer,
        ),
    },
    {
      kind: KIND.caseClose,
      append: (er) => er.closeCase({ caseId: c, closedAt: t + MIN, outcome: '结案' }, officer),
    },
  ];
}

const archive = (er: EnforcementRecords, c: string, at: number) =>
  er.archiveCase({ caseId: c, archivedAt: at, archiveNo: `${c}-档`, retentionClass: 'D10' }, archivist);

/** The ValidationError `fn` is refused with; the ledger size must not change. */
async function refusal(er: EnforcementRecords, fn: () => Promise<unknown>): Promise<ValidationError> {
  const size = er.ledger.size;
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'should be refused').toBeInstanceOf(ValidationError);
  expect(er.ledger.size).toBe(size);
  return err as ValidationError;
}

const archived = { code: 'case_archived', path: ['body', 'caseId'] };

describe('archive lock', () => {
  const dir = join(base, 'ledger');
  let er: EnforcementRecords;
  let penaltyCase: string;
  let penaltySegment: { seq: number; digest: Uint8Array };

  beforeAll(async () => {
    const r = await buildPenaltyCase(dir, { keepOpen: true });
    er = r.records!;
    penaltyCase = r.caseId;
    await declareArchiveKinds(er.ledger, root);
    const seg = (await er.caseRecords(penaltyCase)).find((x) => x.kind === KIND.segment)!;
    penaltySegment = { seq: seg.seq, digest: seg.content[0]!.digest };
  });
  afterAll(async () => {
    await er.ledger.close().catch(() => {});
  });

  it('the attempts cover exactly the case-file kinds; access and retention-facing kinds are not case-file', () => {
    const caseFile = ALL_SPECS.filter((s) => s.caseFile).map((s) => s.kind);
    expect(new Set(attempts('X', 'pre').map((a) => a.kind))).toEqual(new Set(caseFile));
    for (const k of [
      KIND.caseArchive,
      KIND.approvalRetrieval,
      KIND.approvalDisclosure,
      KIND.approvalPurge,
      KIND.case,
      KIND.person,
    ])
      expect(caseFile, k).not.toContain(k);
  });

  it('every case-file record is accepted before the archive and refused with case_archived after it', async () => {
    const c = 'B';
    await prerequisites(er, c);
    for (const a of attempts(c, 'pre')) await a.append(er);
    const at = T + 2 * 60 * MIN;
    const archivedSeq = (await archive(er, c, at)).seq;
    for (const a of attempts(c, 'post')) {
      const err = await refusal(er, () => a.append(er));
      expect(err.issues, a.kind).toContainEqual(expect.objectContaining(archived));
      expect(err.issues.find((i) => i.code === 'case_archived')!.message).toContain(`seq ${archivedSeq}`);
      // Nothing else is wrong with the record (only the close is also a second close of the case).
      const others = err.issues.filter((i) => i.code !== 'case_archived').map((i) => i.code);
      expect(others, a.kind).toEqual(a.kind === KIND.caseClose ? ['duplicate_id'] : []);
    }
    // A second archive record is refused for what it is, not by the lock.
    const again = await refusal(er, () => archive(er, c, at + MIN));
    expect(again.issues.map((i) => i.code)).toEqual(['duplicate_id']);
  });

  it('the penalty example (archived last) takes no new document, action or correction', async () => {
    const c = penaltyCase;
    const doc = (await er.caseRecords(c)).find((x) => x.kind === KIND.document)!;
    const body = doc.body as { type: string; officers: string[]; startedAt: number; documentId: string };
    for (const fn of [
      () =>
        er.recordDocument(
          {
            documentId: 'PEN-late-doc',
            caseId: c,
            type: 'INQUIRY_RECORD',
            officers: OFFICERS,
            startedAt: T,
            signatures: { officers: true, party: 'signed' },
          },
          officer,
        ),
      () =>
        er.recordDocument(
          {
            documentId: 'PEN-fix',
            caseId: c,
            type: body.type,
            officers: body.officers,
            startedAt: body.startedAt,
            signatures: { officers: true, party: 'signed' },
            supersedes: body.documentId,
            correctionReason: '补正',
          },
          officer,
        ),
      () =>
        er.startAction(
          {
            actionId: 'PEN-late-act',
            caseId: c,
            actionTypes: ['inquiry'],
            officers: OFFICERS,
            target: party,
            location: '某路',
            startedAt: T,
          },
          officer,
        ),
    ]) {
      const err = await refusal(er, fn);
      expect(err.issues).toEqual([expect.objectContaining(archived)]);
    }
  });

  it('a case that is not archived is unaffected, but it cannot correct a record of an archived case', async () => {
    const c = 'C';
    await prerequisites(er, c);
    for (const a of attempts(c, 'pre')) await a.append(er);
    const err = await refusal(er, () =>
      er.recordDocument(
        {
          documentId: 'C-fixes-B',
          caseId: c,
          type: 'ON_SITE_INSPECTION_RECORD',
          officers: OFFICERS,
          startedAt: T + MIN,
          signatures: { officers: true, party: 'signed' },
          supersedes: 'B-DOC',
          correctionReason: '更正',
        },
        officer,
      ),
    );
    expect(err.issues).toContainEqual(
      expect.objectContaining({ code: 'case_archived', path: ['body', 'supersedes'] }),
    );
    expect(err.issues).toContainEqual(expect.objectContaining({ code: 'reference_mismatch' }));
    expect(err.issues).not.toContainEqual(expect.objectContaining(archived));
  });

  it('retention, access, retrieval, disclosure and purge records of an archived case are accepted', async () => {
    const t = T + 3 * 60 * MIN;
    const size = er.ledger.size;
    for (const c of ['B', penaltyCase]) {
      await er.ledger.append(
        {
          kind: RET.hold,
          body: { v: 1, holdId: `${c}-HOLD`, caseId: c, reason: '行政复议', placedAt: t } as CborValue,
        },
        archivist,
      );
      await er.ledger.append(
        {
          kind: ACC.retrievalRequest,
          body: {
            v: 1,
            requestId: `${c}-REQ`,
            scope: 'internal',
            requesterId: 'P-wang',
            purpose: '复议答辩',
            caseId: c,
            requestedAt: t,
          } as CborValue,
        },
        officer,
      );
      await er.approve(
        'retrieval',
        {
          approvalId: `${c}-APR-ret`,
          slipNo: `${c}-调用单`,
          requesterId: 'P-wang',
          purpose: '复议答辩',
          caseId: c,
          requestId: `${c}-REQ`,
          decision: 'approved',
          decidedAt: t,
        },
        supervisor,
      );
      await er.approve(
        'disclosure',
        {
          approvalId: `${c}-APR-dis`,
          caseId: c,
          recipient: '复议机关',
          purpose: '复议',
          decision: 'approved',
          decidedAt: t,
        },
        head,
      );
    }
    await er.approve(
      'purge',
      {
        approvalId: 'PEN-APR-purge',
        caseId: penaltyCase,
        targets: [penaltySegment],
        reason: '保存期满',
        decision: 'approved',
        decidedAt: t,
      },
      head,
    );
    expect(er.ledger.size).toBe(size + 9);
  });

  it('verify finds nothing wrong in all of the above', async () => {
    const report = await er.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const records = await verifyRecords(er.ledger);
    expect(records.checked).toBeGreaterThan(100);
  });

  it('a record forged into the log after the archive is reported by verify at its seq', async () => {
    await er.ledger.close();
    // Same kinds, but with the append-time checks removed: a writer bypassing them (signed, chained, indexed).
    const unchecked: KindDefinition[] = archiveKinds().map(({ check: _check, ...d }) => d);
    const forger = await Ledger.open(dir, { kinds: unchecked });
    const body = {
      v: 1,
      documentId: 'B-forged',
      caseId: 'B',
      type: 'INQUIRY_RECORD',
      officers: OFFICERS,
      startedAt: T,
      signatures: { officers: true, party: 'signed' },
    };
    const forged = await forger.append({ kind: KIND.document, body: body as CborValue }, officer);
    // A forged record of the unarchived case C is not a finding.
    await forger.append(
      { kind: KIND.document, body: { ...body, documentId: 'C-late', caseId: 'C' } as CborValue },
      officer,
    );
    await forger.close();

    const ledger = await Ledger.open(dir, { kinds: archiveKinds() });
    er = new EnforcementRecords(ledger);
    // The ledger alone sees a well-formed entry; the records check is what reports it.
    expect((await ledger.verify()).problems).toEqual([]);
    const report = await er.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        seq: forged.seq,
        code: 'RECORD_INVALID',
        issue: 'case_archived',
        path: ['body', 'caseId'],
      }),
    ]);
    // And appending the same record through the checked path is refused.
    const err = await refusal(er, () =>
      er.recordDocument({ ...body, documentId: 'B-forged-2' } as never, officer),
    );
    expect(err.issues).toEqual([expect.objectContaining(archived)]);
  });

  it('incremental: records before `from` (a trusted checkpoint) are not re-checked; from the forged seq on they are', async () => {
    const forgedSeq = (await verifyRecords(er.ledger)).problems[0]!.seq;
    expect((await verifyRecords(er.ledger, { from: forgedSeq })).problems.map((p) => p.seq)).toEqual([
      forgedSeq,
    ]);
    const after = await verifyRecords(er.ledger, { from: forgedSeq + 1 });
    expect(after.problems).toEqual([]);
    expect(after.checked).toBe(er.ledger.size - forgedSeq - 1);
    await expect(verifyRecords(er.ledger, { from: -1 })).rejects.toThrow(RangeError);
    // EnforcementRecords.verify with `since`: a checkpoint taken now trusts everything before it.
    await er.ledger.close();
    const ledger = await Ledger.open(dir, { kinds: archiveKinds(), checkpointSigner: root });
    er = new EnforcementRecords(ledger);
    const since = await ledger.checkpoint();
    expect((await er.verify()).ok).toBe(false);
    const incremental = await er.verify({ since });
    expect(incremental.problems).toEqual([]);
    expect(incremental.ok).toBe(true);
  });
});
