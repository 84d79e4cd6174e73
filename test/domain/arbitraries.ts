/**
 * fast-check arbitraries of valid enforcement records, for tests and benches. Records reference each other, so a
 * fixed "world" (agency, people, a device, a case with an ended action, a document, a segment…) is set up first
 * (`worldSteps`), and each kind's arbitrary yields the steps to append: any prerequisites with fresh ids, then one
 * record of that kind. `applyStep` appends a step through the typed API (people and devices with their keys) or raw.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { createSigner } from '../../src/crypto/signer';
import type { Signer } from '../../src/crypto/types';
import { ACTION_TYPES } from '../../src/domain/action-types';
import { PERSON_ROLES } from '../../src/domain/common';
import { defaultDocumentRegistry } from '../../src/domain/document-types';
import { KIND, type KindName } from '../../src/domain/kind-names';
import { COERCIVE_MEASURES } from '../../src/domain/kinds/approval';
import { EXCEPTION_REASONS } from '../../src/domain/kinds/av';
import { MATTER_TYPES, RETENTION_CLASSES } from '../../src/domain/kinds/case';
import { PARTY_SIGNATURE } from '../../src/domain/kinds/document';
import { DEVICE_TYPES } from '../../src/domain/kinds/organisation';
import type { EnforcementRecords } from '../../src/domain/records';
import type { AppendResult, CborValue, ContentRef } from '../../src/ledger/types';

/** A record to append: its kind, body, content, and the label of the key that signs it. */
export interface Step {
  readonly kind: KindName;
  readonly body: Record<string, unknown>;
  readonly content?: readonly ContentRef[];
  /** `admin`, a person id or a device id: the signer is `signerFor(label)`. */
  readonly signer: string;
}

/** Deterministic signer per label (the root admin is `admin`). */
export function signerFor(label: string): Signer {
  return createSigner(new Uint8Array(createHash('sha256').update(`domain test key: ${label}`).digest()));
}

export const T0 = Date.UTC(2026, 0, 5, 1, 0); // Mon 2026-01-05 09:00 CST
const DAY = 86_400_000;

/** Fixed ids of the world every generated record may reference. */
export const WORLD = {
  agencyId: 'A-jc',
  officers: ['P-o1', 'P-o2', 'P-o3'],
  supervisorId: 'P-sup',
  headId: 'P-head',
  archivistId: 'P-arch',
  deviceId: 'D-bc1',
  caseId: 'C-1',
  actionId: 'ACT-1',
  actionStart: T0,
  actionEnd: T0 + 3_600_000,
  documentId: 'DOC-1',
  segmentId: 'SEG-1',
  exceptionId: 'EX-1',
  dataId: 'DATA-1',
} as const;

export const party = { name: '某某诊所', kind: 'organisation' as const };

/** A ContentRef with arbitrary (not real) digests: the ledger commits refs, it does not read the files. */
export const contentRefArb: fc.Arbitrary<ContentRef> = fc.record({
  digest: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  size: fc.integer({ min: 0, max: 2 ** 40 }),
  chunkRoot: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});

const fixedRef = (n: number): ContentRef => ({
  digest: new Uint8Array(32).fill(n),
  size: 1000 + n,
  chunkRoot: new Uint8Array(32).fill(255 - n),
});

/** The steps building WORLD, in order. The world segment's content is `fixedRef(1)`. */
export function worldSteps(): Step[] {
  const w = WORLD;
  const person = (personId: string, roles: string[]) => ({
    kind: KIND.person,
    signer: 'admin',
    body: {
      v: 1,
      personId,
      agencyId: w.agencyId,
      name: `人员 ${personId}`,
      roles,
      ...(roles.includes('officer') ? { certificateNo: `CERT-${personId}` } : {}),
    },
  });
  return [
    {
      kind: KIND.agency,
      signer: 'admin',
      body: { v: 1, agencyId: w.agencyId, name: '晋城市卫生健康委员会' },
    },
    ...w.officers.map((o) => person(o, ['officer'])),
    person(w.supervisorId, ['supervisor']),
    person(w.headId, ['head']),
    person(w.archivistId, ['archivist']),
    {
      kind: KIND.device,
      signer: 'admin',
      body: {
        v: 1,
        deviceId: w.deviceId,
        agencyId: w.agencyId,
        deviceType: 'body_camera',
        serialNo: 'SN-1',
        assignedOfficerId: w.officers[0],
      },
    },
    {
      kind: KIND.case,
      signer: w.officers[0],
      body: {
        v: 1,
        caseId: w.caseId,
        agencyId: w.agencyId,
        matterType: 'penalty',
        documentNumber: '晋市卫罚〔2026〕9号',
        title: '测试案件',
        target: party,
        openedAt: T0 - DAY,
      },
    },
    {
      kind: KIND.actionStart,
      signer: w.officers[0],
      body: {
        v: 1,
        actionId: w.actionId,
        caseId: w.caseId,
        actionTypes: ['on_site_inspection'],
        officers: [w.officers[0], w.officers[1]],
        target: party,
        location: '某路 1 号',
        startedAt: w.actionStart,
      },
    },
    {
      kind: KIND.segment,
      signer: w.deviceId,
      content: [fixedRef(1)],
      body: {
        v: 1,
        segmentId: w.segmentId,
        caseId: w.caseId,
        actionId: w.actionId,
        deviceId: w.deviceId,
        officerId: w.officers[0],
        startedAt: w.actionStart,
        endedAt: w.actionEnd,
        sessionId: 'S-world',
        position: 0,
        prevDigest: null,
      },
    },
    {
      kind: KIND.document,
      signer: w.officers[0],
      body: {
        v: 1,
        documentId: w.documentId,
        caseId: w.caseId,
        actionId: w.actionId,
        type: 'ON_SITE_INSPECTION_RECORD',
        officers: [w.officers[0], w.officers[1]],
        startedAt: w.actionStart + 60_000,
        endedAt: w.actionEnd - 60_000,
        signatures: { officers: true, party: 'signed' },
        fields: { party: party.name },
      },
    },
    {
      kind: KIND.data,
      signer: w.officers[0],
      body: {
        v: 1,
        dataId: w.dataId,
        caseId: w.caseId,
        documentId: w.documentId,
        system: '执法平台',
        recordedAt: w.actionEnd,
        fields: { party: party.name },
      },
    },
    {
      kind: KIND.exception,
      signer: w.officers[0],
      body: {
        v: 1,
        exceptionId: w.exceptionId,
        caseId: w.caseId,
        actionId: w.actionId,
        reason: 'force_majeure',
        from: w.actionStart + 600_000,
        to: w.actionStart + 900_000,
      },
    },
    {
      kind: KIND.actionEnd,
      signer: w.officers[0],
      body: { v: 1, actionId: w.actionId, caseId: w.caseId, endedAt: w.actionEnd },
    },
  ];
}

/** Appends a step: people and devices through the typed API (binding their key), other kinds raw. */
export async function applyStep(er: EnforcementRecords, step: Step): Promise<AppendResult> {
  const signer = signerFor(step.signer);
  if (step.kind === KIND.person)
    return er.registerOfficer(step.body as never, signerFor(String(step.body.personId)).publicKey, signer);
  if (step.kind === KIND.device)
    return er.registerDevice(step.body as never, signerFor(String(step.body.deviceId)).publicKey, signer);
  return er.ledger.append(
    { kind: step.kind, body: step.body as CborValue, content: step.content ?? [] },
    signer,
  );
}

// ------------------------------------------------------------------------------------------------ field arbitraries

/** Unique ids: a uuid, optionally behind a short prefix with CJK characters. */
export const freshId: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', 'X-', '案-', 'doc/'), fc.uuid())
  .map(([p, u]) => `${p}${u}`);
/** Human text, 1–40 graphemes (CJK and emoji included), no control characters. */
export const text: fc.Arbitrary<string> = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ids and names must not carry control characters
  .filter((s) => s.length <= 256 && !/[\u0000-\u001f\u007f]/.test(s));
export const time: fc.Arbitrary<number> = fc.integer({ min: T0, max: T0 + 30 * DAY });
/** A [start, end] pair with end ≥ start. */
export const span: fc.Arbitrary<[number, number]> = fc
  .tuple(time, fc.integer({ min: 0, max: 4 * 3_600_000 }))
  .map(([s, d]) => [s, s + d]);
const officersArb = fc.subarray([...WORLD.officers], { minLength: 1 });
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const partyArb = fc.record(
  {
    name: text,
    kind: fc.constantFrom('person' as const, 'organisation' as const),
    idNumber: text,
    address: text,
  },
  { requiredKeys: ['name', 'kind'] },
);
const keyFields = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== '__proto__'),
  fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.maxSafeInteger()),
  { maxKeys: 6 },
);

/** Removes undefined members (optional fields are omitted, never undefined). */
function clean<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const step = (
  kind: KindName,
  signer: string,
  body: Record<string, unknown>,
  content?: ContentRef[],
): Step => ({
  kind,
  signer,
  body: clean({ v: 1, ...body }),
  ...(content ? { content } : {}),
});

// ------------------------------------------------------------------------------------------------ per kind

function caseSteps(): fc.Arbitrary<Step> {
  return fc
    .record({
      caseId: freshId,
      matterType: fc.constantFrom(...MATTER_TYPES),
      documentNumber: text,
      title: text,
      target: partyArb,
      openedAt: time,
      officers: opt(officersArb),
    })
    .map((b) => step(KIND.case, WORLD.officers[0], { ...b, agencyId: WORLD.agencyId }));
}

function actionStartStep(caseId: string = WORLD.caseId): fc.Arbitrary<Step> {
  return fc
    .record({
      actionId: freshId,
      actionTypes: fc.uniqueArray(fc.constantFrom(...ACTION_TYPES), { minLength: 1, maxLength: 4 }),
      officers: officersArb,
      target: partyArb,
      location: text,
      startedAt: time,
      remote: opt(fc.boolean()),
    })
    .map((b) => step(KIND.actionStart, WORLD.officers[0], { ...b, caseId }));
}

/** Arbitraries of valid records, by kind: prerequisite steps (fresh ids), then one record of that kind. */
export function recordArbitraries(world: {
  segmentSeq: number;
  segmentDigest: Uint8Array;
}): Record<KindName, fc.Arbitrary<Step[]>> {
  const w = WORLD;
  const registry = defaultDocumentRegistry;
  const approvalBase = {
    approvalId: freshId,
    decision: fc.constantFrom('approved' as const, 'rejected' as const),
    decidedAt: time,
    opinion: opt(text),
  };
  const one = (a: fc.Arbitrary<Step>) => a.map((s) => [s]);
  return {
    [KIND.agency]: one(
      fc
        .record({
          agencyId: freshId,
          name: text,
          region: opt(text),
          creditCode: opt(text),
          parent: fc.boolean(),
        })
        .map(({ parent, ...b }) =>
          step(KIND.agency, 'admin', { ...b, ...(parent ? { parentAgencyId: w.agencyId } : {}) }),
        ),
    ),
    [KIND.person]: one(
      fc
        .record({
          personId: freshId,
          name: text,
          roles: fc.uniqueArray(fc.constantFrom(...PERSON_ROLES), { minLength: 1, maxLength: 3 }),
          certificateNo: text,
          title: opt(text),
        })
        .map(({ certificateNo, ...b }) =>
          step(KIND.person, 'admin', {
            ...b,
            agencyId: w.agencyId,
            ...(b.roles.includes('officer') ? { certificateNo } : {}),
          }),
        ),
    ),
    [KIND.device]: one(
      fc
        .record({
          deviceId: freshId,
          deviceType: fc.constantFrom(...DEVICE_TYPES),
          serialNo: text,
          model: opt(text),
          assignedOfficerId: fc.constantFrom(...w.officers),
        })
        .map((b) => step(KIND.device, 'admin', { ...b, agencyId: w.agencyId })),
    ),
    [KIND.case]: one(caseSteps()),
    [KIND.actionStart]: one(actionStartStep()),
    [KIND.actionEnd]: fc
      .tuple(actionStartStep(), fc.integer({ min: 0, max: DAY }), fc.integer({ min: 0, max: 3 * DAY }))
      .map(([start, d, r]) => {
        const s = start.body as { actionId: string; startedAt: number; remote?: boolean };
        const endedAt = s.startedAt + d;
        return [
          start,
          step(KIND.actionEnd, w.officers[1], {
            actionId: s.actionId,
            caseId: w.caseId,
            endedAt,
            ...(s.remote ? { returnedAt: endedAt + r } : {}),
          }),
        ];
      }),
    [KIND.document]: one(
      fc
        .record({
          documentId: freshId,
          withAction: fc.boolean(),
          type: fc.constantFrom(...registry.types.map((t) => t.id)),
          number: opt(text),
          title: opt(text),
          officers: officersArb,
          span,
          withEnd: fc.boolean(),
          signatures: fc.record(
            {
              officers: fc.boolean(),
              party: fc.constantFrom(...PARTY_SIGNATURE),
              witness: fc.boolean(),
              seal: fc.boolean(),
            },
            { requiredKeys: ['officers', 'party'] },
          ),
          fields: opt(keyFields),
          files: fc.array(contentRefArb, { maxLength: 3 }),
          mediaType: fc.constantFrom('application/pdf', 'image/jpeg'),
        })
        .map(({ withAction, span: [s, e], withEnd, files, mediaType, ...b }) =>
          step(
            KIND.document,
            w.officers[0],
            {
              ...b,
              caseId: w.caseId,
              ...(withAction ? { actionId: w.actionId } : {}),
              startedAt: s,
              ...(withEnd ? { endedAt: e } : {}),
              ...(files.length ? { files: files.map(() => ({ mediaType })) } : {}),
            },
            files,
          ),
        ),
    ),
    [KIND.segment]: fc
      .record({
        sessionId: freshId,
        ids: fc.uniqueArray(fc.uuid(), { minLength: 1, maxLength: 3 }),
        refs: fc.array(contentRefArb, { minLength: 3, maxLength: 3 }),
        start: time,
        durations: fc.array(fc.integer({ min: 1000, max: 1_800_000 }), { minLength: 3, maxLength: 3 }),
        officerId: fc.constantFrom(...w.officers),
        mediaType: opt(fc.constantFrom('video/mp4', 'audio/aac')),
      })
      .map(({ sessionId, ids, refs, start, durations, officerId, mediaType }) => {
        let t = start;
        return ids.map((id, i) => {
          const from = t;
          t += durations[i]!;
          return step(
            KIND.segment,
            w.deviceId,
            {
              segmentId: `SEG-${id}`,
              caseId: w.caseId,
              actionId: w.actionId,
              deviceId: w.deviceId,
              officerId,
              startedAt: from,
              endedAt: t,
              sessionId,
              position: i,
              prevDigest: i === 0 ? null : refs[i - 1]!.digest,
              mediaType,
            },
            [refs[i]!],
          );
        });
      }),
    [KIND.data]: one(
      fc
        .record({
          dataId: freshId,
          system: text,
          recordedAt: time,
          fields: keyFields.filter((f) => Object.keys(f).length > 0),
        })
        .map((b) => step(KIND.data, w.officers[0], { ...b, caseId: w.caseId, documentId: w.documentId })),
    ),
    [KIND.exception]: one(
      fc
        .record({
          exceptionId: freshId,
          reason: fc.constantFrom(...EXCEPTION_REASONS),
          reasonText: text,
          span,
          officers: opt(officersArb),
          withDoc: fc.boolean(),
        })
        .map(({ span: [from, to], reasonText, withDoc, ...b }) =>
          step(KIND.exception, w.officers[0], {
            ...b,
            caseId: w.caseId,
            actionId: w.actionId,
            from,
            to,
            ...(b.reason === 'other' ? { reasonText } : {}),
            ...(withDoc ? { documentId: w.documentId } : {}),
          }),
        ),
    ),
    [KIND.deposit]: one(
      fc
        .record({
          depositId: freshId,
          delay: fc.integer({ min: 0, max: 10 * DAY }),
          docs: fc.boolean(),
          segs: fc.boolean(),
          data: fc.boolean(),
          custodian: fc.boolean(),
          signer: fc.constantFrom(w.officers[0], w.archivistId),
        })
        .map(({ depositId, delay, docs, segs, data, custodian, signer }) =>
          step(KIND.deposit, signer, {
            depositId,
            caseId: w.caseId,
            actionId: w.actionId,
            depositedAt: w.actionEnd + delay,
            basis: 'on_site_end',
            basisAt: w.actionEnd,
            ...(docs ? { documentIds: [w.documentId] } : {}),
            ...(segs ? { segmentIds: [w.segmentId] } : {}),
            ...(data ? { dataIds: [w.dataId] } : {}),
            // Art. 22(1): an officer of the action never keeps its records; the archivist receives them.
            ...(custodian || signer !== w.archivistId ? { custodianId: w.archivistId } : {}),
          }),
        ),
    ),
    [KIND.approvalCoerciveMeasure]: one(
      fc
        .record({ ...approvalBase, measure: fc.constantFrom(...COERCIVE_MEASURES), withAction: fc.boolean() })
        .map(({ withAction, ...b }) =>
          step(KIND.approvalCoerciveMeasure, w.headId, {
            ...b,
            caseId: w.caseId,
            ...(withAction ? { actionId: w.actionId } : {}),
          }),
        ),
    ),
    [KIND.approvalAvException]: one(
      fc
        .record(approvalBase)
        .map((b) =>
          step(KIND.approvalAvException, w.headId, { ...b, caseId: w.caseId, exceptionId: w.exceptionId }),
        ),
    ),
    [KIND.approvalLateDeposit]: one(
      fc
        .record({
          ...approvalBase,
          reason: text,
          until: opt(time),
          signer: fc.constantFrom(w.supervisorId, w.headId),
        })
        .map(({ signer, ...b }) =>
          step(KIND.approvalLateDeposit, signer, { ...b, caseId: w.caseId, actionId: w.actionId }),
        ),
    ),
    [KIND.approvalRetrieval]: one(
      fc
        .record({
          ...approvalBase,
          slipNo: text,
          purpose: text,
          withCase: fc.boolean(),
          validUntil: opt(time),
          requesterId: fc.constantFrom(...w.officers),
          signer: fc.constantFrom(w.supervisorId, w.headId),
        })
        .map(({ withCase, signer, ...b }) =>
          step(KIND.approvalRetrieval, signer, { ...b, ...(withCase ? { caseId: w.caseId } : {}) }),
        ),
    ),
    [KIND.approvalDisclosure]: one(
      fc
        .record({ ...approvalBase, recipient: text, purpose: text, scope: opt(text) })
        .map((b) => step(KIND.approvalDisclosure, w.headId, { ...b, caseId: w.caseId })),
    ),
    [KIND.approvalPurge]: one(
      fc.record({ ...approvalBase, reason: text, withCase: fc.boolean() }).map(({ withCase, ...b }) =>
        step(KIND.approvalPurge, w.headId, {
          ...b,
          ...(withCase ? { caseId: w.caseId } : {}),
          targets: [{ seq: world.segmentSeq, digest: world.segmentDigest }],
        }),
      ),
    ),
    [KIND.caseClose]: fc
      .tuple(caseSteps(), fc.integer({ min: 0, max: 90 * DAY }), text, fc.boolean())
      .map(([c, d, outcome]) => {
        const b = c.body as { caseId: string; openedAt: number };
        return [
          c,
          step(KIND.caseClose, w.officers[0], { caseId: b.caseId, closedAt: b.openedAt + d, outcome }),
        ];
      }),
    [KIND.caseArchive]: fc
      .tuple(
        caseSteps(),
        fc.integer({ min: 0, max: 90 * DAY }),
        fc.integer({ min: 0, max: 30 * DAY }),
        text,
        fc.constantFrom(...RETENTION_CLASSES),
        opt(text),
      )
      .map(([c, d1, d2, archiveNo, retentionClass, location]) => {
        const b = c.body as { caseId: string; openedAt: number };
        const closedAt = b.openedAt + d1;
        return [
          c,
          step(KIND.caseClose, w.officers[0], { caseId: b.caseId, closedAt, outcome: '结案' }),
          step(KIND.caseArchive, w.archivistId, {
            caseId: b.caseId,
            archivedAt: closedAt + d2,
            archiveNo,
            retentionClass,
            location,
          }),
        ];
      }),
    [KIND.obstruction]: one(
      fc
        .record({
          obstructionId: freshId,
          occurredAt: time,
          description: text,
          reportedToPolice: fc.boolean(),
          policeReportNo: opt(text),
          withAction: fc.boolean(),
        })
        .map(({ withAction, ...b }) =>
          step(KIND.obstruction, w.officers[1], {
            ...b,
            caseId: w.caseId,
            segmentIds: [w.segmentId],
            ...(withAction ? { actionId: w.actionId } : {}),
          }),
        ),
    ),
    [KIND.deviceCustody]: one(
      fc
        .record({
          eventId: freshId,
          action: fc.constantFrom('assign', 'return'),
          officerId: fc.constantFrom(...w.officers),
          at: time,
          remark: opt(text),
        })
        .map((b) => step(KIND.deviceCustody, w.archivistId, { ...b, deviceId: w.deviceId })),
    ),
    [KIND.deviceStatus]: one(
      fc
        .record({
          eventId: freshId,
          status: fc.constantFrom('in_service', 'damaged', 'lost', 'repaired', 'retired'),
          at: time,
          reason: opt(text),
        })
        .map((b) => step(KIND.deviceStatus, w.supervisorId, { ...b, deviceId: w.deviceId })),
    ),
    [KIND.selfCheck]: one(
      fc
        .record({
          selfCheckId: freshId,
          from: time,
          len: fc.integer({ min: 0, max: 90 * DAY }),
          after: fc.integer({ min: 0, max: 30 * DAY }),
          scope: fc.array(text, { minLength: 1, maxLength: 3 }),
          violations: fc.nat({ max: 50 }),
          warnings: fc.nat({ max: 50 }),
          digest: fc.uint8Array({ minLength: 32, maxLength: 32 }),
          corrections: opt(text),
        })
        .map(({ from, len, after, violations, warnings, digest, ...b }) =>
          step(KIND.selfCheck, w.supervisorId, {
            ...b,
            agencyId: w.agencyId,
            periodFrom: from,
            periodTo: from + len,
            checkedAt: from + len + after,
            checkedBy: [w.supervisorId, w.archivistId],
            verifyReportDigest: digest,
            complianceReportDigest: digest,
            findings: { violations, warnings },
          }),
        ),
    ),
  };
}
