/**
 * Derived views of a case shared by the rules (actions with their end, segments and documents by action, approvals
 * by subject). Pure and memoised per CaseView object; never branches on rule specifics.
 */
import type { ActionEndBody, ActionStartBody } from '../domain/kinds/action';
import type {
  AvExceptionApprovalBody,
  CoerciveMeasureApprovalBody,
  LateDepositApprovalBody,
} from '../domain/kinds/approval';
import type { ExceptionBody, ObstructionBody, SegmentBody } from '../domain/kinds/av';
import type { CaseArchiveBody, CaseCloseBody } from '../domain/kinds/case';
import type { DataBody } from '../domain/kinds/data';
import type { DepositBody } from '../domain/kinds/deposit';
import type { DocumentBody } from '../domain/kinds/document';
import { isObj } from '../guards';
import { type CaseView, type ViewRecord, isKnownRecord } from './case-view';

export type Rec<B> = ViewRecord<string, B>;

export interface ActionInfo {
  readonly id: string;
  readonly start: Rec<ActionStartBody>;
  readonly end: Rec<ActionEndBody> | undefined;
  /** Segments of the action, by start time then seq. */
  readonly segments: ReadonlyArray<Rec<SegmentBody>>;
  readonly documents: ReadonlyArray<Rec<DocumentBody>>;
  readonly exceptions: ReadonlyArray<Rec<ExceptionBody>>;
  readonly deposits: ReadonlyArray<Rec<DepositBody>>;
}

export interface CaseIndex {
  /** Actions in log order of their start record. */
  readonly actions: readonly ActionInfo[];
  readonly actionById: ReadonlyMap<string, ActionInfo>;
  /** Every document record, in log order. */
  readonly documents: ReadonlyArray<Rec<DocumentBody>>;
  readonly documentById: ReadonlyMap<string, Rec<DocumentBody>>;
  /** Documents not superseded by a later record of the case. */
  readonly currentDocuments: ReadonlyArray<Rec<DocumentBody>>;
  readonly data: ReadonlyArray<Rec<DataBody>>;
  readonly close: Rec<CaseCloseBody> | undefined;
  readonly archive: Rec<CaseArchiveBody> | undefined;
  readonly exceptionApprovals: ReadonlyMap<string, ReadonlyArray<Rec<AvExceptionApprovalBody>>>;
  readonly lateDepositApprovals: ReadonlyArray<Rec<LateDepositApprovalBody>>;
  readonly coerciveApprovals: ReadonlyArray<Rec<CoerciveMeasureApprovalBody>>;
  readonly obstructions: ReadonlyArray<Rec<ObstructionBody>>;
  /** Largest append time in the view (the default "as of" time). */
  readonly lastTime: number;
}

const cache = new WeakMap<CaseView, CaseIndex>();

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

export function indexCase(view: CaseView): CaseIndex {
  const hit = cache.get(view);
  if (hit) return hit;
  const caseId = view.case.body.caseId;
  const starts: Array<Rec<ActionStartBody>> = [];
  const ends = new Map<string, Rec<ActionEndBody>>();
  const segs = new Map<string, Array<Rec<SegmentBody>>>();
  const docsBy = new Map<string, Array<Rec<DocumentBody>>>();
  const excBy = new Map<string, Array<Rec<ExceptionBody>>>();
  const depBy = new Map<string, Array<Rec<DepositBody>>>();
  const documents: Array<Rec<DocumentBody>> = [];
  const data: Array<Rec<DataBody>> = [];
  const exceptionApprovals = new Map<string, Array<Rec<AvExceptionApprovalBody>>>();
  const lateDepositApprovals: Array<Rec<LateDepositApprovalBody>> = [];
  const coerciveApprovals: Array<Rec<CoerciveMeasureApprovalBody>> = [];
  const obstructions: Array<Rec<ObstructionBody>> = [];
  let close: Rec<CaseCloseBody> | undefined;
  let archive: Rec<CaseArchiveBody> | undefined;
  let lastTime = view.case.time;

  for (const r of view.records) {
    if (r.time > lastTime) lastTime = r.time;
    // Records of this case only (a body that is not an object, e.g. from a damaged bundle, names no case).
    if (r.seq === view.case.seq || !isObj(r.body) || r.body.caseId !== caseId || !isKnownRecord(r)) continue;
    switch (r.kind) {
      case 'enf/action.start':
        starts.push(r);
        break;
      case 'enf/action.end': {
        const e = r;
        if (!ends.has(e.body.actionId)) ends.set(e.body.actionId, e);
        break;
      }
      case 'enf/segment': {
        const s = r;
        push(segs, s.body.actionId, s);
        break;
      }
      case 'enf/document': {
        const d = r;
        documents.push(d);
        if (d.body.actionId !== undefined) push(docsBy, d.body.actionId, d);
        break;
      }
      case 'enf/data':
        data.push(r);
        break;
      case 'enf/exception': {
        const x = r;
        push(excBy, x.body.actionId, x);
        break;
      }
      case 'enf/deposit': {
        const d = r;
        push(depBy, d.body.actionId, d);
        break;
      }
      case 'enf/approval.av-exception': {
        const a = r;
        push(exceptionApprovals, a.body.exceptionId, a);
        break;
      }
      case 'enf/approval.late-deposit':
        lateDepositApprovals.push(r);
        break;
      case 'enf/approval.coercive-measure':
        coerciveApprovals.push(r);
        break;
      case 'enf/obstruction':
        obstructions.push(r);
        break;
      case 'enf/case.close':
        close ??= r;
        break;
      case 'enf/case.archive':
        archive ??= r;
        break;
    }
  }

  const byTime = (a: Rec<SegmentBody>, b: Rec<SegmentBody>) =>
    a.body.startedAt - b.body.startedAt || a.seq - b.seq;
  const actions: ActionInfo[] = [];
  const actionById = new Map<string, ActionInfo>();
  for (const start of starts) {
    const id = start.body.actionId;
    if (actionById.has(id)) continue;
    const info: ActionInfo = {
      id,
      start,
      end: ends.get(id),
      segments: [...(segs.get(id) ?? [])].sort(byTime),
      documents: docsBy.get(id) ?? [],
      exceptions: excBy.get(id) ?? [],
      deposits: depBy.get(id) ?? [],
    };
    actions.push(info);
    actionById.set(id, info);
  }
  const documentById = new Map<string, Rec<DocumentBody>>();
  for (const d of documents) if (!documentById.has(d.body.documentId)) documentById.set(d.body.documentId, d);
  const superseded = new Set(
    documents.flatMap((d) => (d.body.supersedes === undefined ? [] : [d.body.supersedes])),
  );
  const idx: CaseIndex = {
    actions,
    actionById,
    documents,
    documentById,
    currentDocuments: documents.filter((d) => !superseded.has(d.body.documentId)),
    data,
    close,
    archive,
    exceptionApprovals,
    lateDepositApprovals,
    coerciveApprovals,
    obstructions,
    lastTime,
  };
  cache.set(view, idx);
  return idx;
}

/** True when the signer held at least one of `roles`. */
export const hasRole = (r: ViewRecord, roles: readonly string[]): boolean =>
  r.signer.roles.some((x) => roles.includes(x));
