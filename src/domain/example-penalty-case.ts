/**
 * A full penalty case (Art. 15) on a fresh ledger: on-site inspection with AV from body cameras, 现场笔录 and
 * 卫生监督意见书, evidence preservation, inquiry (with an approved privacy pause, Art. 18), 合议记录, prior notice and
 * its service, hearing notice, hearing and hearing record, decision and its service, electronic data reflecting the
 * decision (Art. 8), deposits within 2 working days (Art. 22(1)), closing and archiving (Art. 22(2)).
 * Defects can be injected for the compliance rules' tests. Deterministic: fixed keys, fixed clock, fake media bytes.
 */
import { utf8 } from '../bytes';
import { suiteById } from '../crypto/node-registry';
import type { CryptoSuite, HashFn, Signer, SuiteId } from '../crypto/types';
import { SUITE_ID } from '../ledger/registry';
import type { VerifyReport } from '../ledger';
import type { ContentRef } from '../ledger/types';
import { hashLeaf, rootFromLeafHashes } from '../merkle/hash';
import type { ActionType } from './action-types';
import { KIND } from './kind-names';
import type { DocumentBody } from './kinds/document';
import { EnforcementRecords, type Input } from './records';

/** Defects the compliance rules must find (each a separate, citable violation). */
export type PenaltyCaseDefect =
  /** A seizure of property (Art. 11) carried out with no AV segments at all. */
  | 'missing_av_for_seizure'
  /** A 10-minute gap in the inspection's AV with no exception work record (Art. 17–18). */
  | 'unexcused_gap'
  /** The inspection's records deposited 4 working days after the action, with no approval (Art. 22(1)). */
  | 'late_deposit'
  /** The penalty decision issued before the prior notice (行政处罚法 Art. 44; Art. 15). */
  | 'decision_before_prior_notice'
  /** Only one officer on site at the inspection (Art. 9; 行政处罚法 Art. 42). */
  | 'single_officer';

export const PENALTY_CASE_DEFECTS: readonly PenaltyCaseDefect[] = [
  'missing_av_for_seizure',
  'unexcused_gap',
  'late_deposit',
  'decision_before_prior_notice',
  'single_officer',
];

export interface PenaltyCaseOptions {
  readonly defects?: readonly PenaltyCaseDefect[];
  /** Stores a file and returns its ref (e.g. a content store's `put`); default: refs computed in memory. */
  readonly putContent?: (bytes: Uint8Array) => Promise<ContentRef>;
  /** Keep the ledger open and return it (the caller closes it). Default false. */
  readonly keepOpen?: boolean;
  /**
   * The ledger's crypto suite (default `ed25519-sha256`): the example keys are of that suite and content refs use its
   * hash. With `putContent`, the store must be of the same suite (`FsContentStore.open(dir, { suite })`).
   */
  readonly suite?: SuiteId;
}

export interface PenaltyCaseResult {
  readonly caseId: string;
  readonly size: number;
  readonly rootHex: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly verify: VerifyReport;
  /** Open records API when `keepOpen` was set. */
  readonly records?: EnforcementRecords;
  /** Ids of the people, devices and actions, for tests. */
  readonly ids: {
    readonly officers: readonly string[];
    readonly head: string;
    readonly supervisor: string;
    readonly archivist: string;
    readonly devices: readonly string[];
    readonly actions: Readonly<Record<string, string>>;
  };
}

/**
 * Deterministic test signer from a label: its private key is the suite's hash of the label's text (for Ed25519 the
 * 32-byte seed; for SM2 a scalar, valid unless the hash falls outside [1, n − 2], which no label here does). Given a
 * bare hash function (the older form), the signer is Ed25519 with that hash of the text as its seed.
 */
export function exampleSigner(label: string, suite: CryptoSuite | HashFn = suiteById(SUITE_ID)): Signer {
  const text = utf8(`enforcement-ledger example key: ${label}`);
  if (typeof suite === 'function') return suiteById(SUITE_ID).createSigner(suite(text));
  return suite.createSigner(suite.hash(text));
}

/** Chunk size of content refs (src/content, format v1): 1 MiB. */
const CHUNK = 1 << 20;

/** ContentRef of in-memory bytes: the suite's hash and the RFC 9162 root over 1 MiB chunks (as src/content computes it). */
export function contentRefOf(bytes: Uint8Array, hash: (b: Uint8Array) => Uint8Array): ContentRef {
  const leaves: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += CHUNK)
    leaves.push(hashLeaf(hash, bytes.subarray(off, off + CHUNK)));
  return { digest: hash(bytes), size: bytes.length, chunkRoot: rootFromLeafHashes(hash, leaves) };
}

const MIN = 60_000;
/** China Standard Time (UTC+8, no DST) wall clock → ms since epoch. */
export const cst = (y: number, mo: number, d: number, h = 0, mi = 0): number =>
  Date.UTC(y, mo - 1, d, h - 8, mi);

export async function buildPenaltyCase(
  ledgerDir: string,
  opts: PenaltyCaseOptions = {},
): Promise<PenaltyCaseResult> {
  const defects = new Set(opts.defects ?? []);
  for (const d of defects)
    if (!PENALTY_CASE_DEFECTS.includes(d)) throw new RangeError(`opts.defects: unknown defect ${String(d)}`);

  let now = cst(2026, 3, 2, 9, 0);
  const at = (t: number) => {
    now = Math.max(now, t);
  };
  const clock = () => now;
  const suite = suiteById(opts.suite ?? SUITE_ID);
  const { hash } = suite;
  const key = (label: string) => exampleSigner(label, suite);
  const root = key('root');
  const er = await EnforcementRecords.create(ledgerDir, {
    origin: 'ledger.jcwjw.example/penalty',
    signer: root,
    clock,
    attributes: { agency: '晋城市卫生健康委员会', ruleSet: 'jincheng-2024' },
  });
  const put = opts.putContent ?? (async (b: Uint8Array) => contentRefOf(b, hash));
  const counts: Record<string, number> = {};
  const count = <T extends { kind: string }>(r: T): T => {
    counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    return r;
  };

  try {
    // ---- Agency, people, devices (Art. 19–21).
    const agencyId = 'jc-wjw';
    count(
      await er.registerAgency(
        { agencyId, name: '晋城市卫生健康委员会', region: '140500', creditCode: '11140500MB1234567X' },
        root,
      ),
    );
    const people = [
      { personId: 'P-wang', name: '王军', roles: ['officer'], certificateNo: '14050012001' },
      { personId: 'P-li', name: '李娜', roles: ['officer'], certificateNo: '14050012002' },
      { personId: 'P-zhao', name: '赵强', roles: ['supervisor', 'officer'], certificateNo: '14050012003' },
      { personId: 'P-chen', name: '陈主任', roles: ['head'] },
      { personId: 'P-sun', name: '孙档案', roles: ['archivist'] },
    ] as const;
    const signers: Record<string, Signer> = {};
    for (const p of people) {
      signers[p.personId] = key(p.personId);
      count(
        await er.registerOfficer(
          { ...p, roles: [...p.roles], agencyId },
          signers[p.personId]!.publicKey,
          root,
        ),
      );
    }
    const [o1, o2] = ['P-wang', 'P-li'];
    const officer = signers[o1]!;
    const head = signers['P-chen']!;
    const archivist = signers['P-sun']!;
    const devices = [
      { deviceId: 'BC-0107', assignedOfficerId: o1, serialNo: 'DSJ-2025-0107' },
      { deviceId: 'BC-0108', assignedOfficerId: o2, serialNo: 'DSJ-2025-0108' },
    ];
    for (const d of devices) {
      signers[d.deviceId] = key(d.deviceId);
      count(
        await er.registerDevice(
          { ...d, agencyId, deviceType: 'body_camera', model: '执法记录仪 X6' },
          signers[d.deviceId]!.publicKey,
          root,
        ),
      );
    }

    // ---- The case.
    const caseId = 'JC-2026-PEN-0001';
    const party = {
      name: '晋城市某某口腔诊所',
      kind: 'organisation' as const,
      idNumber: '92140500MA0XXXXX1K',
    };
    const onSite = defects.has('single_officer') ? [o1] : [o1, o2];
    at(cst(2026, 3, 2, 16, 0));
    count(
      await er.openCase(
        {
          caseId,
          agencyId,
          matterType: 'penalty',
          documentNumber: '晋市卫罚〔2026〕1号',
          title: '某某口腔诊所未按规定消毒医疗器械案',
          target: party,
          openedAt: now,
          officers: [o1, o2],
        },
        officer,
      ),
    );

    const actions: Record<string, string> = {};
    const sessions = new Map<string, { n: number; prev: Uint8Array | null }>();
    let segN = 0;
    let docN = 0;
    const segment = async (
      actionId: string,
      deviceId: string,
      officerId: string,
      from: number,
      to: number,
      session: string,
    ) => {
      at(to);
      const s = sessions.get(session) ?? { n: 0, prev: null };
      const id = `SEG-${++segN}`;
      const ref = await put(utf8(`fake AV ${id} ${deviceId} ${from}-${to} ${'画'.repeat(64)}`));
      count(
        await er.recordSegment(
          {
            segmentId: id,
            caseId,
            actionId,
            deviceId,
            officerId,
            startedAt: from,
            endedAt: to,
            sessionId: session,
            position: s.n,
            prevDigest: s.prev,
            mediaType: 'video/mp4',
          },
          ref,
          signers[deviceId]!,
        ),
      );
      sessions.set(session, { n: s.n + 1, prev: ref.digest });
      return id;
    };
    const document = async (
      d: Omit<Input<DocumentBody>, 'documentId' | 'caseId' | 'officers' | 'signatures'> &
        Partial<Input<DocumentBody>>,
    ) => {
      at(d.endedAt ?? d.startedAt);
      const id = `DOC-${++docN}`;
      const scan = await put(utf8(`scan of ${id} ${d.type}`));
      count(
        await er.recordDocument(
          {
            documentId: id,
            caseId,
            officers: onSite,
            signatures: { officers: true, party: 'signed' },
            files: [{ mediaType: 'application/pdf' }],
            ...d,
          },
          officer,
          [scan],
        ),
      );
      return id;
    };
    const action = async (
      name: string,
      actionTypes: ActionType[],
      from: number,
      to: number,
      body: (actionId: string) => Promise<void>,
      depositAt: number,
    ) => {
      const actionId = `ACT-${Object.keys(actions).length + 1}`;
      actions[name] = actionId;
      at(from);
      count(
        await er.startAction(
          {
            actionId,
            caseId,
            actionTypes,
            officers: onSite,
            target: party,
            location: '晋城市城区某某路 18 号',
            startedAt: from,
          },
          officer,
        ),
      );
      await body(actionId);
      at(to);
      count(await er.endAction({ actionId, caseId, endedAt: to }, officer));
      at(depositAt);
      const mine = await er.caseRecords(caseId);
      const documentIds = mine.flatMap((r) =>
        r.kind === KIND.document && r.body.actionId === actionId ? [r.body.documentId] : [],
      );
      const segmentIds = mine.flatMap((r) =>
        r.kind === KIND.segment && r.body.actionId === actionId ? [r.body.segmentId] : [],
      );
      count(
        await er.deposit(
          {
            depositId: `DEP-${actionId}`,
            caseId,
            actionId,
            depositedAt: depositAt,
            basis: 'on_site_end',
            basisAt: to,
            documentIds,
            segmentIds,
            custodianId: 'P-sun',
          },
          archivist,
        ),
      );
      return actionId;
    };

    // ---- 1. On-site inspection, investigation, evidence preservation: Tue 2026-03-03 09:30–10:00.
    const t0 = cst(2026, 3, 3, 9, 30);
    await action(
      'inspection',
      ['on_site_inspection', 'investigation', 'evidence_preservation'],
      t0,
      t0 + 30 * MIN,
      async (a) => {
        await segment(a, 'BC-0107', o1, t0, t0 + 10 * MIN, 'S-0107-1');
        if (defects.has('unexcused_gap')) {
          await segment(a, 'BC-0107', o1, t0 + 20 * MIN, t0 + 30 * MIN, 'S-0107-2');
        } else {
          await segment(a, 'BC-0107', o1, t0 + 10 * MIN, t0 + 20 * MIN, 'S-0107-1');
          await segment(a, 'BC-0107', o1, t0 + 20 * MIN, t0 + 30 * MIN, 'S-0107-1');
        }
        await document({ actionId: a, type: '现场笔录', startedAt: t0 + 2 * MIN, endedAt: t0 + 25 * MIN });
        await document({
          actionId: a,
          type: '证据先行登记保存决定书',
          number: '晋市卫证保〔2026〕1号',
          startedAt: t0 + 20 * MIN,
          signatures: { officers: true, party: 'signed', seal: true },
        });
        await document({ actionId: a, type: '物品清单', startedAt: t0 + 22 * MIN });
        await document({
          actionId: a,
          type: '卫生监督意见书',
          number: '晋市卫监意〔2026〕1号',
          startedAt: t0 + 27 * MIN,
          signatures: { officers: true, party: 'signed', seal: true },
        });
      },
      defects.has('late_deposit') ? cst(2026, 3, 9, 10, 0) : cst(2026, 3, 4, 9, 0),
    );

    // ---- Seizure without AV (defect only): Tue 2026-03-03 10:10–10:40.
    if (defects.has('missing_av_for_seizure')) {
      const t = cst(2026, 3, 3, 10, 10);
      at(t - 5 * MIN);
      count(
        await er.approve(
          'coercive_measure',
          {
            approvalId: 'APR-seize',
            caseId,
            measure: 'seize_property',
            decision: 'approved',
            decidedAt: t - 5 * MIN,
          },
          head,
        ),
      );
      await action(
        'seizure',
        ['seize_property'],
        t,
        t + 30 * MIN,
        async (a) => {
          await document({
            actionId: a,
            type: 'SEAL_SEIZURE_DECISION',
            number: '晋市卫强〔2026〕1号',
            startedAt: t + 5 * MIN,
            signatures: { officers: true, party: 'refused', seal: true },
          });
          await document({ actionId: a, type: 'ITEM_LIST', startedAt: t + 15 * MIN });
        },
        cst(2026, 3, 4, 9, 30),
      );
    }

    // ---- 2. Inquiry, Wed 2026-03-04 14:00–14:45, with an approved privacy pause 14:20–14:30 (Art. 18).
    const t1 = cst(2026, 3, 4, 14, 0);
    await action(
      'inquiry',
      ['inquiry'],
      t1,
      t1 + 45 * MIN,
      async (a) => {
        await segment(a, 'BC-0108', o2, t1, t1 + 20 * MIN, 'S-0108-1');
        at(t1 + 30 * MIN);
        const ex = await er.recordException(
          {
            exceptionId: 'EX-1',
            caseId,
            actionId: a,
            reason: 'personal_privacy',
            reasonText: '当事人陈述涉及患者个人隐私',
            from: t1 + 20 * MIN,
            to: t1 + 30 * MIN,
            officers: onSite,
          },
          officer,
        );
        count(ex);
        count(
          await er.approve(
            'av_exception',
            {
              approvalId: 'APR-EX-1',
              caseId,
              exceptionId: 'EX-1',
              decision: 'approved',
              decidedAt: t1 + 31 * MIN,
            },
            head,
          ),
        );
        await segment(a, 'BC-0108', o2, t1 + 30 * MIN, t1 + 45 * MIN, 'S-0108-2');
        await document({ actionId: a, type: '询问记录', startedAt: t1 + MIN, endedAt: t1 + 44 * MIN });
      },
      cst(2026, 3, 5, 9, 0),
    );

    // ---- 3. Collegial deliberation, prior notice, hearing notice, hearing, decision.
    await document({
      type: '合议记录',
      officers: [o1, o2, 'P-zhao'],
      startedAt: cst(2026, 3, 9, 15, 0),
      endedAt: cst(2026, 3, 9, 16, 0),
      signatures: { officers: true, party: 'not_applicable' },
    });
    const decision = async () =>
      document({
        type: '处罚决定书',
        number: '晋市卫罚〔2026〕1号',
        startedAt: defects.has('decision_before_prior_notice')
          ? cst(2026, 3, 9, 17, 0)
          : cst(2026, 3, 27, 10, 0),
        signatures: { officers: true, party: 'not_applicable', seal: true },
        fields: { party: party.name, amount: 5000, decisionNo: '晋市卫罚〔2026〕1号' },
      });
    let decisionId = defects.has('decision_before_prior_notice') ? await decision() : '';
    const t3 = cst(2026, 3, 10, 10, 0);
    await action(
      'service-prior-notice',
      ['direct_service'],
      t3,
      t3 + 20 * MIN,
      async (a) => {
        await segment(a, 'BC-0107', o1, t3, t3 + 20 * MIN, 'S-0107-3');
        const notice = await document({
          actionId: a,
          type: '行政处罚事先告知书',
          number: '晋市卫罚告〔2026〕1号',
          startedAt: t3 + 5 * MIN,
          signatures: { officers: true, party: 'signed', seal: true },
        });
        // Art. 15(3): the receipt names what it served.
        await document({ actionId: a, type: '送达回执', startedAt: t3 + 10 * MIN, serves: [notice] });
      },
      cst(2026, 3, 11, 9, 0),
    );
    const hearingNotice = await document({
      type: '听证通知书',
      number: '晋市卫听通〔2026〕1号',
      startedAt: cst(2026, 3, 16, 10, 0),
      signatures: { officers: true, party: 'not_applicable', seal: true },
    });
    // Served by post (邮寄送达): the returned receipt is recorded (Art. 15(3)).
    await document({
      type: '送达回执',
      startedAt: cst(2026, 3, 18, 15, 0),
      signatures: { officers: true, party: 'signed' },
      serves: [hearingNotice],
    });
    const t4 = cst(2026, 3, 23, 9, 0);
    await action(
      'hearing',
      ['hearing'],
      t4,
      t4 + 60 * MIN,
      async (a) => {
        await segment(a, 'BC-0107', o1, t4, t4 + 30 * MIN, 'S-0107-4');
        await segment(a, 'BC-0107', o1, t4 + 30 * MIN, t4 + 60 * MIN, 'S-0107-4');
        await document({ actionId: a, type: '听证记录', startedAt: t4, endedAt: t4 + 58 * MIN });
      },
      cst(2026, 3, 24, 9, 0),
    );
    if (!decisionId) decisionId = await decision();
    at(Math.max(now, cst(2026, 3, 27, 11, 0)));
    count(
      await er.recordData(
        {
          dataId: 'DATA-1',
          caseId,
          documentId: decisionId,
          system: '山西省卫生健康监督执法信息平台',
          recordedAt: now,
          fields: { party: party.name, amount: 5000, decisionNo: '晋市卫罚〔2026〕1号' },
        },
        officer,
      ),
    );
    const t5 = cst(2026, 3, 30, 10, 0);
    await action(
      'service-decision',
      ['direct_service'],
      t5,
      t5 + 15 * MIN,
      async (a) => {
        await segment(a, 'BC-0108', o2, t5, t5 + 15 * MIN, 'S-0108-3');
        await document({
          actionId: a,
          type: 'SERVICE_RECEIPT',
          startedAt: t5 + 5 * MIN,
          serves: [decisionId],
        });
      },
      cst(2026, 3, 31, 9, 0),
    );

    // ---- 4. Closing and archiving.
    const closing = await document({
      type: '结案报告',
      startedAt: cst(2026, 4, 20, 10, 0),
      signatures: { officers: true, party: 'not_applicable' },
    });
    at(cst(2026, 4, 20, 11, 0));
    count(
      await er.closeCase(
        { caseId, closedAt: now, outcome: '罚款 5000 元，已缴纳', closingDocumentId: closing },
        officer,
      ),
    );
    at(cst(2026, 4, 22, 10, 0));
    count(
      await er.archiveCase(
        {
          caseId,
          archivedAt: now,
          archiveNo: 'WS·2026-D30-0001',
          retentionClass: 'D30',
          location: '档案室 A-3',
        },
        archivist,
      ),
    );

    const report = await er.ledger.verify();
    const rootHash = await er.ledger.root();
    const result: PenaltyCaseResult = {
      caseId,
      size: er.ledger.size,
      rootHex: [...rootHash].map((b) => b.toString(16).padStart(2, '0')).join(''),
      counts,
      verify: report,
      ids: {
        officers: [o1, o2],
        head: 'P-chen',
        supervisor: 'P-zhao',
        archivist: 'P-sun',
        devices: devices.map((d) => d.deviceId),
        actions,
      },
      ...(opts.keepOpen ? { records: er } : {}),
    };
    if (!opts.keepOpen) await er.ledger.close();
    return result;
  } catch (err) {
    await er.ledger.close().catch(() => {});
    throw err;
  }
}
