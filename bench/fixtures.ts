/** Ledgers the benchmarks share: the penalty example plus many cases of one action each, for record appends. */
import { nodeSuite } from '../src/crypto/node';
import { type EnforcementRecords, buildPenaltyCase, cst, exampleSigner } from '../src/domain';
import { PARTY, inspectionCase } from '../test/domain/bodies';

export const OFFICERS = ['P-wang', 'P-li'];
export const party = PARTY;
/** Mon 2026-05-04 09:00 CST: the time the bench cases open. */
export const T = cst(2026, 5, 4, 9, 0);
/** An officer of the penalty example (role `officer`). */
export const officer = exampleSigner('P-wang', nodeSuite.hash);

/** The body of inspection case `caseId` by the two officers (the bench cases' shape). */
export function caseBodyOf(caseId: string) {
  return inspectionCase(caseId, OFFICERS, T);
}

/** The body of the one open on-site action `<caseId>-ACT` of case `caseId`. */
export function actionBodyOf(caseId: string) {
  return {
    actionId: `${caseId}-ACT`,
    caseId,
    actionTypes: ['on_site_inspection' as const],
    officers: OFFICERS,
    target: party,
    location: '某路 1 号',
    startedAt: T,
  };
}

/**
 * The penalty example at `path`, kept open, plus `cases` inspection cases `B-<c>` each with one open action
 * `B-<c>-ACT` by the two officers, opened by `officer`: ready for documents round-robin across the cases.
 */
export async function casesLedger(path: string, cases: number): Promise<EnforcementRecords> {
  const built = await buildPenaltyCase(path, { keepOpen: true });
  const er = built.records!;
  for (let c = 0; c < cases; c++) {
    await er.openCase(caseBodyOf(`B-${c}`), officer);
    await er.startAction(actionBodyOf(`B-${c}`), officer);
  }
  return er;
}

/** ~300-byte record bodies, like an enforcement document entry. */
export function recordBody(i: number) {
  return {
    caseId: `JC-2026-${String(i % 5000).padStart(5, '0')}`,
    documentType: 'ON_SITE_INSPECTION_RECORD',
    number: `晋卫监〔2026〕${i}号`,
    officers: ['officer-0001', 'officer-0002'],
    startedAt: 1_767_000_000_000 + i * 1000,
    endedAt: 1_767_000_000_000 + i * 1000 + 600_000,
    summary: `现场检查 ${i}: 经营场所卫生状况、从业人员健康证明、消毒记录 — on-site inspection summary text ${'x'.repeat(60)}`,
  };
}

/** Cases `documentBody` spreads its documents over (`casesLedger(path, DOCUMENT_CASES)` opens them). */
export const DOCUMENT_CASES = 16;

/**
 * Document `i`: an inquiry record of case `B-<i mod 16>` and its action, by the two officers, with a number, a title,
 * times and key fields (a realistic document body: five references, eight index rows).
 */
export function documentBody(i: number) {
  const c = i % DOCUMENT_CASES;
  return {
    documentId: `B-${c}-DOC-${i}`,
    caseId: `B-${c}`,
    actionId: `B-${c}-ACT`,
    type: 'INQUIRY_RECORD',
    number: `晋卫询〔2026〕${i}号`,
    title: `询问笔录 ${i}`,
    officers: OFFICERS,
    startedAt: T + i * 1000,
    endedAt: T + i * 1000 + 1_800_000,
    signatures: { officers: true, party: 'signed' as const },
    fields: {
      party: '某某诊所',
      address: '晋城市城区某路 1 号',
      legalRepresentative: '张某',
      topic: '消毒记录',
    },
  };
}
