/**
 * The references inside one case, as data without schemas (so a browser verifier can use it): which id each record
 * kind defines in a case-scoped space, and which of its fields name a record of the same case. The kind specs
 * (src/domain/kinds, `defines` and the `sameCase` refs) are the source; test/domain/case-refs.test.ts keeps this
 * table equal to them. A proof bundle's case must be closed under these references (src/bundles/verify.ts,
 * `completeness`): a record it leaves out could be the one that proves a violation.
 */
import { KIND } from './kind-names';

const APPROVAL = { space: 'approval', field: 'approvalId' } as const;

/** The case-scoped id a record of each kind defines (spaces of records that other records of the case name). */
export const CASE_DEFINES: Readonly<Record<string, { readonly space: string; readonly field: string }>> = {
  [KIND.actionStart]: { space: 'action', field: 'actionId' },
  [KIND.document]: { space: 'document', field: 'documentId' },
  [KIND.segment]: { space: 'segment', field: 'segmentId' },
  [KIND.data]: { space: 'data', field: 'dataId' },
  [KIND.exception]: { space: 'exception', field: 'exceptionId' },
  [KIND.approvalCoerciveMeasure]: APPROVAL,
  [KIND.approvalAvException]: APPROVAL,
  [KIND.approvalLateDeposit]: APPROVAL,
  [KIND.approvalRetrieval]: APPROVAL,
  [KIND.approvalDisclosure]: APPROVAL,
  [KIND.approvalPurge]: APPROVAL,
};

const ref = (field: string, space: string) => ({ field, space }) as const;
const DOC = ref('documentId', 'document');
const ACTION = ref('actionId', 'action');
const LISTS = [ref('documentIds', 'document'), ref('segmentIds', 'segment'), ref('dataIds', 'data')];

/** Fields of each kind that name a record of the same case (an id or a list of ids), with the space named. */
export const CASE_REFS: Readonly<
  Record<string, ReadonlyArray<{ readonly field: string; readonly space: string }>>
> = {
  [KIND.actionEnd]: [ACTION],
  [KIND.document]: [ACTION, ref('supersedes', 'document'), ref('serves', 'document')],
  [KIND.segment]: [ACTION],
  [KIND.data]: [DOC],
  [KIND.exception]: [ACTION, DOC],
  [KIND.deposit]: [ACTION, ...LISTS, ref('lateApprovalId', 'approval')],
  [KIND.approvalCoerciveMeasure]: [ACTION, DOC],
  [KIND.approvalAvException]: [ref('exceptionId', 'exception'), DOC],
  [KIND.approvalLateDeposit]: [ACTION, DOC],
  [KIND.approvalRetrieval]: [DOC],
  [KIND.approvalDisclosure]: [DOC, ...LISTS],
  [KIND.approvalPurge]: [DOC],
  [KIND.caseClose]: [ref('closingDocumentId', 'document')],
  [KIND.obstruction]: [ACTION, ref('segmentIds', 'segment'), ref('handoverDocumentId', 'document')],
};

export interface CaseRecordLike {
  readonly seq: number;
  readonly kind: string;
  readonly body: unknown;
}

const obj = (x: unknown): Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
const ids = (x: unknown): string[] =>
  typeof x === 'string' ? [x] : Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];

/**
 * What the records of one case name but do not hold: a referenced action, document, segment, data record, exception
 * or approval that no record of the set defines, and a segment of a recording session whose earlier positions are
 * absent. Empty when the set is closed under its references.
 */
export function caseReferenceProblems(
  records: readonly CaseRecordLike[],
): Array<{ seq: number; space: string; id: string; message: string }> {
  const defined = new Set<string>();
  const positions = new Map<string, Set<number>>();
  for (const r of records) {
    const d = CASE_DEFINES[r.kind];
    const b = obj(r.body);
    if (d) for (const id of ids(b[d.field])) defined.add(`${d.space}\u0000${id}`);
    if (r.kind === KIND.segment && typeof b.sessionId === 'string' && typeof b.position === 'number') {
      const set = positions.get(b.sessionId) ?? new Set<number>();
      set.add(b.position);
      positions.set(b.sessionId, set);
    }
  }
  const out: Array<{ seq: number; space: string; id: string; message: string }> = [];
  for (const r of records) {
    const b = obj(r.body);
    for (const { field, space } of CASE_REFS[r.kind] ?? [])
      for (const id of ids(b[field]))
        if (!defined.has(`${space}\u0000${id}`))
          out.push({
            seq: r.seq,
            space,
            id,
            message: `entry ${r.seq} (${r.kind}) names ${space} ${id} in ${field}, which is not carried`,
          });
    if (r.kind === KIND.segment && typeof b.sessionId === 'string' && typeof b.position === 'number') {
      const have = positions.get(b.sessionId)!;
      for (let p = 0; p < b.position; p++)
        if (!have.has(p)) {
          out.push({
            seq: r.seq,
            space: 'session',
            id: b.sessionId,
            message: `entry ${r.seq} is position ${b.position} of session ${b.sessionId}; position ${p} is not carried`,
          });
          break;
        }
    }
  }
  return out;
}
