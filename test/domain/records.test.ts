/**
 * The record kinds on a real ledger: generated records round-trip byte-exact; refused records (schema, references,
 * state, roles) list their problems with paths and codes and leave the ledger unchanged; queries; verify catches
 * forged roles and tampered index rows.
 */
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual } from '../../src/bytes';
import {
  ALL_SPECS,
  EnforcementRecords,
  INDEX,
  KIND,
  type KindName,
  SPEC_BY_KIND,
  createDocumentRegistry,
} from '../../src/domain';
import { encodeCanonical } from '../../src/encoding/cbor';
import { PolicyError, ValidationError } from '../../src/errors';
import { Ledger, decodeSignedEntry, encodeEntry, encodeSignedEntry, signingMessage } from '../../src/ledger';
import { entryKey, indexKey } from '../../src/ledger/keyspace';
import type { CborValue } from '../../src/ledger/types';
import { type Step, T0, WORLD, applyStep, recordArbitraries, signerFor, worldSteps } from './arbitraries';

type DB = MemoryLevel<Uint8Array, Uint8Array>;

/** Whether a field of an object schema holds a list (looking through optional). */
function isListField(schema: unknown, field: string): boolean {
  type Def = { type: string; innerType?: { _zod: { def: Def } } };
  let def = (schema as { shape: Record<string, { _zod: { def: Def } }> }).shape[field]!._zod.def;
  while (def.type === 'optional' && def.innerType) def = def.innerType._zod.def;
  return def.type === 'array';
}

async function freshWorld(): Promise<{ er: EnforcementRecords; db: DB; segmentSeq: number }> {
  const db: DB = new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' });
  let t = T0 - 2 * 86_400_000;
  const er = await EnforcementRecords.create(db, {
    origin: 'test.example/domain',
    signer: signerFor('admin'),
    clock: () => (t += 1000),
  });
  let segmentSeq = -1;
  for (const s of worldSteps()) {
    const r = await applyStep(er, s);
    if (s.kind === KIND.segment) segmentSeq = r.seq;
  }
  return { er, db, segmentSeq };
}

/** Expects `fn` to be refused with a ValidationError whose issues include `expected`, and nothing written. */
async function refused(
  er: EnforcementRecords,
  fn: () => Promise<unknown>,
  ...expected: Array<{ code: string; path: unknown[] }>
) {
  const size = er.ledger.size;
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'should be refused').toBeInstanceOf(ValidationError);
  for (const x of expected)
    expect((err as ValidationError).issues).toContainEqual(expect.objectContaining(x));
  expect(er.ledger.size).toBe(size);
  return err as ValidationError;
}

async function policyRefused(er: EnforcementRecords, fn: () => Promise<unknown>, code: string) {
  const size = er.ledger.size;
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PolicyError);
  expect((err as PolicyError).code).toBe(code);
  expect(er.ledger.size).toBe(size);
}

const raw = (
  er: EnforcementRecords,
  kind: string,
  body: Record<string, unknown>,
  signer: string,
  content = [] as never[],
) => er.ledger.append({ kind, body: body as CborValue, content }, signerFor(signer));

describe('records on a ledger', () => {
  let er: EnforcementRecords;
  let db: DB;
  let arbs: ReturnType<typeof recordArbitraries>;
  /** A fresh valid scenario of a kind (prerequisites and the record), not yet appended. Fresh seed each call. */
  let seed = 1000;
  const sample = (kind: KindName): Step[] => fc.sample(arbs[kind], { numRuns: 1, seed: seed++ })[0]!;

  beforeAll(async () => {
    const w = await freshWorld();
    er = w.er;
    db = w.db;
    const seg = await er.ledger.get(w.segmentSeq);
    arbs = recordArbitraries({ segmentSeq: w.segmentSeq, segmentDigest: seg.content[0]!.digest });
  });
  afterAll(async () => {
    await er.ledger.close();
    await db.close();
  });

  it('builds the world and verifies', async () => {
    expect((await er.ledger.verify()).problems).toEqual([]);
  });

  describe('round trip', () => {
    for (const spec of ALL_SPECS) {
      it(`${spec.kind}: generated records are stored byte-exact and decode typed`, async () => {
        await fc.assert(
          fc.asyncProperty(arbs[spec.kind as KindName], async (steps) => {
            for (const s of steps) {
              const r = await applyStep(er, s);
              const stored = await er.ledger.get(r.seq);
              expect(stored.kind).toBe(s.kind);
              expect(bytesEqual(encodeCanonical(stored.body), encodeCanonical(s.body as CborValue))).toBe(
                true,
              );
              expect(stored.body).toEqual(s.body);
              expect(stored.content).toEqual(s.content ?? []);
              // The stored bytes are the canonical encoding of the decoded entry.
              expect(bytesEqual(encodeSignedEntry(encodeEntry(stored), stored.signature), stored.bytes)).toBe(
                true,
              );
              const rec = await er.record(r.seq);
              expect(rec?.kind).toBe(s.kind);
              expect(rec?.body).toEqual(s.body);
              expect(rec?.signer.principal).toBe(s.signer === 'admin' ? 'root' : s.signer);
            }
          }),
          { numRuns: 8 },
        );
      });
    }

    it('the log of every generated record verifies', async () => {
      const report = await er.ledger.verify();
      expect(report.problems).toEqual([]);
    });
  });

  describe('refusals leave the ledger unchanged', () => {
    for (const spec of ALL_SPECS) {
      it(`${spec.kind}: missing field, wrong type, unknown field (raw append)`, async () => {
        const steps = sample(spec.kind as KindName);
        for (const s of steps.slice(0, -1)) await applyStep(er, s);
        const last = steps[steps.length - 1]!;
        const body = last.body;
        const firstRequired = Object.keys(body).find((k) => k !== 'v')!;
        const { [firstRequired]: _, ...missing } = body;
        await refused(er, () => raw(er, last.kind, missing, last.signer, last.content as never[]), {
          code: 'required',
          path: ['body', firstRequired],
        });
        await refused(
          er,
          () => raw(er, last.kind, { ...body, [firstRequired]: true }, last.signer, last.content as never[]),
          {
            code: 'invalid_type',
            path: ['body', firstRequired],
          },
        );
        await refused(
          er,
          () => raw(er, last.kind, { ...body, note: 'x' }, last.signer, last.content as never[]),
          {
            code: 'unknown_field',
            path: ['body', 'note'],
          },
        );
      });

      if (spec.refs.length)
        it(`${spec.kind}: every reference field, pointing nowhere, is a dangling_reference at its path`, async () => {
          const steps = sample(spec.kind as KindName);
          for (const s of steps.slice(0, -1)) await applyStep(er, s);
          const last = steps[steps.length - 1]!;
          for (const ref of spec.refs) {
            const list = isListField(spec.schema, ref.field);
            const body = { ...last.body, [ref.field]: list ? ['NO-SUCH-ID'] : 'NO-SUCH-ID' };
            if (ref.field === 'supersedes') body.correctionReason = '更正';
            const path = list ? ['body', ref.field, 0] : ['body', ref.field];
            await refused(er, () => raw(er, last.kind, body, last.signer, last.content as never[]), {
              code: 'dangling_reference',
              path,
            });
          }
        });
    }

    it('end before start, unknown document types (raw and typed API)', async () => {
      const [doc] = sample(KIND.document);
      await refused(
        er,
        () =>
          raw(
            er,
            KIND.document,
            { ...doc!.body, startedAt: T0 + 10, endedAt: T0 },
            doc!.signer,
            doc!.content as never[],
          ),
        {
          code: 'end_before_start',
          path: ['body', 'endedAt'],
        },
      );
      await refused(
        er,
        () => raw(er, KIND.document, { ...doc!.body, type: 'NOPE' }, doc!.signer, doc!.content as never[]),
        {
          code: 'unknown_document_type',
          path: ['body', 'type'],
        },
      );
      const { v: _v, ...input } = doc!.body as Record<string, unknown>;
      await refused(
        er,
        () =>
          er.recordDocument(
            { ...(input as Record<string, unknown>), type: '不存在的文书' } as never,
            signerFor(doc!.signer),
            doc!.content,
          ),
        { code: 'unknown_document_type', path: ['body', 'type'] },
      );
      const [seg] = sample(KIND.segment);
      await refused(
        er,
        () =>
          raw(
            er,
            KIND.segment,
            { ...seg!.body, startedAt: T0 + 10, endedAt: T0 },
            seg!.signer,
            seg!.content as never[],
          ),
        {
          code: 'end_before_start',
          path: ['body', 'endedAt'],
        },
      );
      await refused(
        er,
        () =>
          er.endAction(
            { actionId: WORLD.actionId, caseId: WORLD.caseId, endedAt: 1 },
            signerFor(WORLD.officers[0]),
          ),
        {
          code: 'duplicate_id',
          path: ['body', 'actionId'],
        },
      );
    });

    it('the typed API lists every problem at once: schema and references together', async () => {
      const err = await refused(
        er,
        () =>
          er.recordDocument(
            {
              documentId: 'DOC-multi',
              caseId: 'NO-CASE',
              actionId: 'NO-ACTION',
              type: '询问记录',
              officers: [WORLD.officers[0], 'NO-PERSON', WORLD.headId],
              startedAt: T0 + 100,
              endedAt: T0,
              signatures: { officers: true, party: 'signed' },
            },
            signerFor(WORLD.officers[0]),
          ),
        { code: 'end_before_start', path: ['body', 'endedAt'] },
        { code: 'dangling_reference', path: ['body', 'caseId'] },
        { code: 'dangling_reference', path: ['body', 'actionId'] },
        { code: 'dangling_reference', path: ['body', 'officers', 1] },
        { code: 'reference_lacks_role', path: ['body', 'officers', 2] },
      );
      expect(err.issues).toHaveLength(5);
      // The alias was resolved: no complaint about the type.
      expect(err.issues.some((i) => i.path[1] === 'type')).toBe(false);
    });

    it('wrong_reference_kind: an approval of another subject, a case id given as an action', async () => {
      await er.approve(
        'av_exception',
        {
          approvalId: 'APR-x',
          caseId: WORLD.caseId,
          exceptionId: WORLD.exceptionId,
          decision: 'approved',
          decidedAt: T0,
        },
        signerFor(WORLD.headId),
      );
      await refused(
        er,
        () =>
          er.deposit(
            {
              depositId: 'DEP-wrong',
              caseId: WORLD.caseId,
              actionId: WORLD.actionId,
              depositedAt: WORLD.actionEnd + 1,
              basis: 'on_site_end',
              basisAt: WORLD.actionEnd,
              lateApprovalId: 'APR-x',
            },
            signerFor(WORLD.archivistId),
          ),
        { code: 'wrong_reference_kind', path: ['body', 'lateApprovalId'] },
      );
    });

    it('reference_mismatch: a record naming an action of another case', async () => {
      await er.openCase(
        {
          caseId: 'C-other',
          agencyId: WORLD.agencyId,
          matterType: 'inspection',
          documentNumber: 'n',
          title: 't',
          target: { name: 'x', kind: 'person' },
          openedAt: T0,
        },
        signerFor(WORLD.officers[0]),
      );
      await refused(
        er,
        () =>
          er.recordException(
            {
              exceptionId: 'EX-mis',
              caseId: 'C-other',
              actionId: WORLD.actionId,
              reason: 'force_majeure',
              from: T0,
              to: T0 + 1,
            },
            signerFor(WORLD.officers[0]),
          ),
        { code: 'reference_mismatch', path: ['body', 'actionId'] },
      );
    });
  });

  describe('state checks', () => {
    const o1 = () => signerFor(WORLD.officers[0]);

    it('ids are unique per space; an action ends once; a case is archived only after closing', async () => {
      await refused(
        er,
        () =>
          er.openCase(
            {
              caseId: WORLD.caseId,
              agencyId: WORLD.agencyId,
              matterType: 'penalty',
              documentNumber: 'n',
              title: 't',
              target: { name: 'x', kind: 'person' },
              openedAt: T0,
            },
            o1(),
          ),
        { code: 'duplicate_id', path: ['body', 'caseId'] },
      );
      await er.openCase(
        {
          caseId: 'C-open',
          agencyId: WORLD.agencyId,
          matterType: 'levy',
          documentNumber: 'n',
          title: 't',
          target: { name: 'x', kind: 'person' },
          openedAt: T0,
        },
        o1(),
      );
      await refused(
        er,
        () =>
          er.archiveCase(
            { caseId: 'C-open', archivedAt: T0, archiveNo: 'a', retentionClass: 'D10' },
            signerFor(WORLD.archivistId),
          ),
        {
          code: 'case_not_closed',
          path: ['body', 'caseId'],
        },
      );
      await refused(er, () => er.closeCase({ caseId: 'C-open', closedAt: T0 - 1, outcome: 'x' }, o1()), {
        code: 'end_before_start',
        path: ['body', 'closedAt'],
      });
    });

    it('deposits need the action ended and name its end time; remote actions need a return time', async () => {
      await er.startAction(
        {
          actionId: 'ACT-remote',
          caseId: WORLD.caseId,
          actionTypes: ['investigation'],
          officers: [...WORLD.officers.slice(0, 2)],
          target: { name: 'x', kind: 'person' },
          location: '太原',
          startedAt: T0,
          remote: true,
        },
        o1(),
      );
      const dep = {
        depositId: 'DEP-r',
        caseId: WORLD.caseId,
        actionId: 'ACT-remote',
        depositedAt: T0 + 86_400_000,
        basis: 'return' as const,
        basisAt: T0 + 7_200_000,
      };
      await refused(er, () => er.deposit(dep, o1()), {
        code: 'action_not_ended',
        path: ['body', 'actionId'],
      });
      await refused(
        er,
        () => er.endAction({ actionId: 'ACT-remote', caseId: WORLD.caseId, endedAt: T0 + 3_600_000 }, o1()),
        {
          code: 'required',
          path: ['body', 'returnedAt'],
        },
      );
      await refused(
        er,
        () =>
          er.endAction(
            { actionId: 'ACT-remote', caseId: WORLD.caseId, endedAt: T0 - 1, returnedAt: T0 },
            o1(),
          ),
        {
          code: 'end_before_start',
          path: ['body', 'endedAt'],
        },
      );
      await er.endAction(
        { actionId: 'ACT-remote', caseId: WORLD.caseId, endedAt: T0 + 3_600_000, returnedAt: T0 + 7_200_000 },
        o1(),
      );
      await refused(er, () => er.deposit({ ...dep, basisAt: T0 + 3_600_000 }, o1()), {
        code: 'reference_mismatch',
        path: ['body', 'basisAt'],
      });
      // Art. 22(1) 不得由经办人员自行保存: the action's officer may neither sign as custodian nor be named as one.
      await refused(er, () => er.deposit(dep, o1()), { code: 'custodian_is_officer', path: ['signer'] });
      await refused(
        er,
        () => er.deposit({ ...dep, custodianId: WORLD.officers[1] }, signerFor(WORLD.archivistId)),
        {
          code: 'custodian_is_officer',
          path: ['body', 'custodianId'],
        },
      );
      await er.deposit({ ...dep, custodianId: WORLD.archivistId }, o1());
      await refused(
        er,
        () =>
          er.endAction(
            {
              actionId: WORLD.actionId,
              caseId: WORLD.caseId,
              endedAt: WORLD.actionEnd,
              returnedAt: WORLD.actionEnd,
            },
            o1(),
          ),
        {
          code: 'not_remote',
          path: ['body', 'returnedAt'],
        },
      );
    });

    it('segments chain within a session: position, previous digest, device, one file', async () => {
      const dev = signerFor(WORLD.deviceId);
      const ref = (n: number) => ({
        digest: new Uint8Array(32).fill(n),
        size: n,
        chunkRoot: new Uint8Array(32).fill(n),
      });
      const seg = (id: string, position: number, prevDigest: Uint8Array | null) => ({
        segmentId: id,
        caseId: WORLD.caseId,
        actionId: WORLD.actionId,
        deviceId: WORLD.deviceId,
        officerId: WORLD.officers[0],
        startedAt: T0 + position * 1000,
        endedAt: T0 + position * 1000 + 1000,
        sessionId: 'S-chain',
        position,
        prevDigest,
      });
      await er.recordSegment(seg('SC-0', 0, null), ref(10), dev);
      await refused(er, () => er.recordSegment(seg('SC-0b', 0, null), ref(11), dev), {
        code: 'duplicate_position',
        path: ['body', 'position'],
      });
      await refused(er, () => er.recordSegment(seg('SC-1', 1, ref(99).digest), ref(11), dev), {
        code: 'chain_mismatch',
        path: ['body', 'prevDigest'],
      });
      await refused(er, () => er.recordSegment(seg('SC-2', 2, ref(10).digest), ref(12), dev), {
        code: 'session_gap',
        path: ['body', 'position'],
      });
      await refused(
        er,
        () =>
          er.ledger.append(
            {
              kind: KIND.segment,
              body: { v: 1, ...seg('SC-1', 1, ref(10).digest) } as CborValue,
              content: [],
            },
            dev,
          ),
        {
          code: 'required',
          path: ['content'],
        },
      );
      await er.recordSegment(seg('SC-1', 1, ref(10).digest), ref(11), dev);
    });

    it('corrections supersede by reference; both stay readable; a document is superseded once', async () => {
      const o = o1();
      const base = {
        caseId: WORLD.caseId,
        type: '询问记录',
        officers: [WORLD.officers[0], WORLD.officers[1]],
        startedAt: T0,
        signatures: { officers: true, party: 'signed' as const },
      };
      await er.recordDocument({ ...base, documentId: 'Q-1', fields: { answer: '否' } }, o);
      await er.recordDocument(
        {
          ...base,
          documentId: 'Q-2',
          supersedes: 'Q-1',
          correctionReason: '笔误更正',
          fields: { answer: '是' },
        },
        o,
      );
      await refused(
        er,
        () =>
          er.recordDocument(
            { ...base, documentId: 'Q-2b', supersedes: 'Q-1', correctionReason: '再次更正' },
            o,
          ),
        {
          code: 'already_superseded',
          path: ['body', 'supersedes'],
        },
      );
      await refused(
        er,
        () =>
          er.recordDocument(
            { ...base, type: 'HEARING_RECORD', documentId: 'Q-2c', supersedes: 'Q-2', correctionReason: 'x' },
            o,
          ),
        {
          code: 'reference_mismatch',
          path: ['body', 'supersedes'],
        },
      );
      await er.recordDocument({ ...base, documentId: 'Q-3', supersedes: 'Q-2', correctionReason: '补充' }, o);
      for (const id of ['Q-1', 'Q-2', 'Q-3']) {
        const h = await er.documentHistory(id);
        expect(h.map((r) => r.body.documentId)).toEqual(['Q-1', 'Q-2', 'Q-3']);
        expect(h[0]!.body.type).toBe('INQUIRY_RECORD');
        expect(h[0]!.body.fields).toEqual({ answer: '否' });
      }
      expect(await er.documentHistory('NOPE')).toEqual([]);
    });
  });

  describe('roles (checked by the core on append)', () => {
    it('an approval by an officer without supervisor/head, an exception approved by a non-head, an archive by an officer', async () => {
      const late = {
        approvalId: 'APR-late',
        caseId: WORLD.caseId,
        actionId: WORLD.actionId,
        reason: '设备故障',
        decision: 'approved' as const,
        decidedAt: T0,
      };
      await policyRefused(
        er,
        () => er.approve('late_deposit', late, signerFor(WORLD.officers[0])),
        'ROLE_MISSING',
      );
      const ex = {
        approvalId: 'APR-ex2',
        caseId: WORLD.caseId,
        exceptionId: WORLD.exceptionId,
        decision: 'approved' as const,
        decidedAt: T0,
      };
      await policyRefused(
        er,
        () => er.approve('av_exception', ex, signerFor(WORLD.supervisorId)),
        'ROLE_MISSING',
      );
      await er.approve('av_exception', ex, signerFor(WORLD.headId));
      await er.approve('late_deposit', late, signerFor(WORLD.supervisorId));
    });

    it('a segment signed by an unregistered device, by an officer, or by another registered device', async () => {
      const body = {
        segmentId: 'SEG-role',
        caseId: WORLD.caseId,
        actionId: WORLD.actionId,
        deviceId: WORLD.deviceId,
        officerId: WORLD.officers[0],
        startedAt: T0,
        endedAt: T0 + 1,
        sessionId: 'S-role',
        position: 0,
        prevDigest: null,
      };
      const ref = { digest: new Uint8Array(32).fill(7), size: 1, chunkRoot: new Uint8Array(32).fill(7) };
      await policyRefused(
        er,
        () => er.recordSegment(body, ref, signerFor('unregistered-device')),
        'SIGNER_UNKNOWN',
      );
      await policyRefused(
        er,
        () => er.recordSegment(body, ref, signerFor(WORLD.officers[0])),
        'ROLE_MISSING',
      );
      await er.registerDevice(
        {
          deviceId: 'D-bc2',
          agencyId: WORLD.agencyId,
          deviceType: 'body_camera',
          serialNo: 'SN-2',
          assignedOfficerId: WORLD.officers[1],
        },
        signerFor('D-bc2').publicKey,
        signerFor('admin'),
      );
      await refused(er, () => er.recordSegment(body, ref, signerFor('D-bc2')), {
        code: 'signer_mismatch',
        path: ['body', 'deviceId'],
      });
      await refused(
        er,
        () =>
          er.registerDevice(
            {
              deviceId: 'D-bc3',
              agencyId: WORLD.agencyId,
              deviceType: 'drone',
              serialNo: 'SN-3',
              assignedOfficerId: WORLD.headId,
            },
            signerFor('D-bc2').publicKey,
            signerFor('admin'),
          ),
        { code: 'reference_lacks_role', path: ['body', 'assignedOfficerId'] },
        { code: 'duplicate_key', path: ['publicKey'] },
      );
    });
  });

  describe('queries', () => {
    it('case records in log order, typed, with signer principal and roles', async () => {
      const recs = await er.caseRecords(WORLD.caseId);
      expect(recs.length).toBeGreaterThan(10);
      expect(recs[0]!.kind).toBe(KIND.case);
      expect(recs.map((r) => r.seq)).toEqual([...recs.map((r) => r.seq)].sort((a, b) => a - b));
      for (const r of recs) expect((r.body as { caseId?: string }).caseId).toBe(WORLD.caseId);
      const seg = recs.find((r) => r.kind === KIND.segment)!;
      expect(seg.signer).toMatchObject({ principal: WORLD.deviceId, roles: ['device'] });
      const ex = recs.find((r) => r.kind === KIND.approvalAvException)!;
      expect(ex.signer.principal).toBe(WORLD.headId);
      expect(await er.caseRecords('NO-CASE')).toEqual([]);
    });

    it('by officer, by device, by time range', async () => {
      const o3 = await er.recordsByOfficer(WORLD.officers[2]!);
      expect(o3[0]!.kind).toBe(KIND.person);
      expect(
        o3.every(
          (r) =>
            JSON.stringify(r.body).includes(WORLD.officers[2]!) || r.signer.principal === WORLD.officers[2],
        ),
      ).toBe(true);
      const dev = await er.recordsByDevice(WORLD.deviceId);
      expect(dev[0]!.kind).toBe(KIND.device);
      // Its segments, and its custody and status events (Art. 20, 28).
      expect(
        dev
          .slice(1)
          .every(
            (r) =>
              (r.kind === KIND.segment || r.kind === KIND.deviceCustody || r.kind === KIND.deviceStatus) &&
              r.body.deviceId === WORLD.deviceId,
          ),
      ).toBe(true);
      const between = await er.recordsBetween(WORLD.actionStart, WORLD.actionEnd + 1);
      const times = between.map((r) => {
        const spec = SPEC_BY_KIND.get(r.kind)!;
        return (r.body as unknown as Record<string, number>)[spec.eventTime!]!;
      });
      expect(times.length).toBeGreaterThan(3);
      expect(times.every((t) => t >= WORLD.actionStart && t <= WORLD.actionEnd)).toBe(true);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(await er.recordsBetween(0, 1)).toEqual([]);
      await expect(er.recordsBetween(-1, 5)).rejects.toThrow(RangeError);
    });
  });
});

describe('verify (forced entries and index tampering)', () => {
  it('reports an approval re-signed by an officer (ROLE_MISSING) and a segment by an unknown key (SIGNER_UNKNOWN)', async () => {
    for (const [kind, forger, code] of [
      [KIND.approvalAvException, WORLD.officers[0], 'ROLE_MISSING'],
      [KIND.segment, 'unregistered-device', 'SIGNER_UNKNOWN'],
    ] as const) {
      const { er, db } = await freshWorld();
      if (kind === KIND.approvalAvException)
        await er.approve(
          'av_exception',
          {
            approvalId: 'APR-f',
            caseId: WORLD.caseId,
            exceptionId: WORLD.exceptionId,
            decision: 'approved',
            decidedAt: T0,
          },
          signerFor(WORLD.headId),
        );
      let target = -1;
      for await (const e of er.ledger.entries()) if (e.kind === kind) target = e.seq;
      expect((await er.ledger.verify()).problems).toEqual([]);
      const d = decodeSignedEntry((await db.get(entryKey(target)))!);
      const forgerKey = signerFor(forger);
      const bytes = encodeEntry({ ...d.entry, signer: forgerKey.keyId });
      await db.put(entryKey(target), encodeSignedEntry(bytes, await forgerKey.sign(signingMessage(bytes))));
      const report = await er.ledger.verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual(expect.objectContaining({ seq: target, code }));
      await er.ledger.close();
      await db.close();
    }
  });

  it('an index row of a record deleted or added directly in LevelDB is reported', async () => {
    const { er, db } = await freshWorld();
    const [caseSeq] = await er.ledger.lookup(INDEX.id('case'), WORLD.caseId);
    await db.del(indexKey(INDEX.case, WORLD.caseId, caseSeq!));
    let report = await er.ledger.verify();
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: caseSeq, code: 'INDEX_MISSING' }));
    await db.put(indexKey(INDEX.case, WORLD.caseId, caseSeq!), new Uint8Array(0));
    expect((await er.ledger.verify()).problems).toEqual([]);
    // A row claiming the agency record belongs to the case.
    const [agencySeq] = await er.ledger.lookup(INDEX.id('agency'), WORLD.agencyId);
    await db.put(indexKey(INDEX.case, WORLD.caseId, agencySeq!), new Uint8Array(0));
    report = await er.ledger.verify();
    expect(report.problems).toContainEqual(expect.objectContaining({ seq: agencySeq, code: 'INDEX_EXTRA' }));
    // The tampered index would have changed the answer of caseRecords: verify is what catches it.
    expect((await er.caseRecords(WORLD.caseId))[0]!.kind).toBe(KIND.agency);
    await er.ledger.close();
    await db.close();
  });

  it('reopening gives the same answers and verifies', async () => {
    const { er, db } = await freshWorld();
    const before = await er.caseRecords(WORLD.caseId);
    await er.ledger.close();
    const again = await EnforcementRecords.open(db);
    expect((await again.caseRecords(WORLD.caseId)).map((r) => r.seq)).toEqual(before.map((r) => r.seq));
    expect((await again.ledger.verify()).ok).toBe(true);
    await again.ledger.close();
    await db.close();
  });
});

describe('configuration', () => {
  it('extra document types are accepted by name once configured, and the ledger verifies with the same registry', async () => {
    const db: DB = new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' });
    const documentTypes = createDocumentRegistry([
      { id: 'SX_DRUG_SAMPLING_RECORD', zh: '药品抽样记录', aliases: ['抽样单'] },
    ]);
    // A ledger created by the bare core, the enforcement kinds declared afterwards.
    const ledger = await Ledger.create(db, {
      origin: 'test.example/config',
      signer: signerFor('admin'),
      clock: () => T0,
    });
    const er = new EnforcementRecords(ledger, { documentTypes });
    await er.declareKinds(signerFor('admin'));
    for (const s of worldSteps()) await applyStep(er, s);
    const body = {
      documentId: 'DOC-sx',
      caseId: WORLD.caseId,
      type: '抽样单',
      officers: [WORLD.officers[0]],
      startedAt: T0,
      signatures: { officers: true, party: 'signed' as const },
    };
    const r = await er.recordDocument(body, signerFor(WORLD.officers[0]));
    expect((await er.record(r.seq))?.body).toMatchObject({ type: 'SX_DRUG_SAMPLING_RECORD' });
    expect((await ledger.verify()).problems).toEqual([]);
    // Without the configured type, the default registry refuses it.
    const plain = new EnforcementRecords(ledger);
    await refused(
      plain,
      () => plain.recordDocument({ ...body, documentId: 'DOC-sx2' }, signerFor(WORLD.officers[0])),
      {
        code: 'unknown_document_type',
        path: ['body', 'type'],
      },
    );
    await ledger.close();
    await db.close();
  });
});
