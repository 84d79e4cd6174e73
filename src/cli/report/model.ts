/**
 * What the inspector's HTML report shows (issue 9): the verification checklist, per case a timeline (actions,
 * documents, AV segments with gaps marked, the deposit deadline) and the findings with their articles. Built from
 * case views and compliance reports, whether they come from a ledger or from a proof bundle.
 */
import {
  type CaseReport,
  type CaseView,
  type Finding,
  type WorkingDayCalendar,
  depositDeadline,
} from '../../compliance';
import { chinaDate } from '../../compliance/civil-date';
import { exceptionReasonZh } from '../../compliance/words';
import { ACTION_TYPE_INFO } from '../../domain/action-types';
import { defaultDocumentRegistry } from '../../domain/document-types';
import type { Text } from '../lang';

export interface CheckItem {
  readonly id: string;
  readonly label: Text;
  /** passed, failed, not checked (did not apply), not anchored (needs a trust anchor the inspector did not give). */
  readonly status: 'passed' | 'failed' | 'not_checked' | 'not_anchored';
  /** Codes or counts: a string when it holds no words (codes, digests), else both languages. */
  readonly detail?: string | Text;
  /** The failed check's problems: code, what it means and what to do, in both languages. */
  readonly problems?: ReadonlyArray<{
    readonly code: string;
    readonly meaning: Text;
    readonly action?: Text;
  }>;
}

export interface TimelineSegment {
  readonly seq: number;
  readonly segmentId: string;
  readonly deviceId: string;
  readonly from: number;
  readonly to: number;
}

export interface TimelineMark {
  readonly from: number;
  readonly to: number;
  /** Gap: AV stopped with no approved exception (a finding). Exception: a recorded pause (Art. 18). */
  readonly type: 'gap' | 'exception';
  readonly label: Text;
}

export interface TimelineDocument {
  readonly seq: number;
  readonly documentId: string;
  readonly type: string;
  readonly name: string;
  readonly at: number;
}

export interface TimelineAction {
  readonly seq: number;
  readonly actionId: string;
  readonly types: readonly string[];
  readonly from: number;
  readonly to: number | null;
  readonly segments: readonly TimelineSegment[];
  readonly marks: readonly TimelineMark[];
  readonly documents: readonly TimelineDocument[];
  /** Art. 22(1): deposit due by this China civil date (null when not computable); when it was deposited. */
  readonly deposit: {
    readonly deadline: string | null;
    readonly depositedAt: number | null;
    readonly late: boolean;
  };
}

export interface CaseTimeline {
  readonly caseId: string;
  readonly title: string;
  readonly matterType: string;
  readonly compliant: boolean;
  readonly summary: Text;
  readonly actions: readonly TimelineAction[];
  /** Documents not tied to an on-site action (decisions, notices, closing report). */
  readonly documents: readonly TimelineDocument[];
  readonly findings: readonly Finding[];
}

export interface InspectionReport {
  readonly title: Text;
  readonly source: {
    readonly kind: 'bundle' | 'ledger';
    readonly name: string;
    readonly origin: string;
    readonly size: number;
    readonly root: string;
  };
  readonly generatedAt: number;
  /** Overall verdict: every check passed and no violation. */
  readonly ok: boolean;
  /**
   * The source itself verified (every check passed, anchored): when false, no case may be shown as compliant, since
   * its records and findings cannot be relied on.
   */
  readonly verified: boolean;
  readonly checklist: readonly CheckItem[];
  readonly cases: readonly CaseTimeline[];
  /**
   * The agency's own findings (Art. 28 self-checks at the rule set's cadence), for a whole ledger; absent for a proof
   * bundle or one case, which cannot judge them.
   */
  readonly agency?: readonly Finding[];
}

type Obj = Record<string, unknown>;
const num = (x: unknown): number | undefined => (typeof x === 'number' ? x : undefined);
const str = (x: unknown): string => (typeof x === 'string' ? x : '');
const fmtMin = (ms: number) => `${Math.round(ms / 60_000)}`;

const actionNames = new Map(ACTION_TYPE_INFO.map((a) => [a.id, a.zh]));
export const actionTypeName = (id: string): string => actionNames.get(id) ?? id;

function documentOf(seq: number, b: Obj): TimelineDocument {
  const type = str(b.type);
  return {
    seq,
    documentId: str(b.documentId),
    type,
    name: defaultDocumentRegistry.get(type)?.zh ?? type,
    at: num(b.startedAt) ?? num(b.issuedAt) ?? 0,
  };
}

/** A case's timeline from its view (records in log order) and its compliance report. */
export function caseTimeline(view: CaseView, report: CaseReport, calendar: WorkingDayCalendar): CaseTimeline {
  const actions = new Map<
    string,
    {
      start: { seq: number; b: Obj };
      end?: Obj;
      segs: TimelineSegment[];
      docs: TimelineDocument[];
      marks: TimelineMark[];
      depositedAt: number | null;
    }
  >();
  const loose: TimelineDocument[] = [];
  for (const r of view.records) {
    const b = (r.body ?? {}) as Obj;
    const actionId = str(b.actionId);
    if (r.kind === 'enf/action.start') {
      actions.set(actionId, { start: { seq: r.seq, b }, segs: [], docs: [], marks: [], depositedAt: null });
      continue;
    }
    const a = actions.get(actionId);
    if (r.kind === 'enf/action.end' && a) a.end = b;
    else if (r.kind === 'enf/segment' && a)
      a.segs.push({
        seq: r.seq,
        segmentId: str(b.segmentId),
        deviceId: str(b.deviceId),
        from: num(b.startedAt) ?? 0,
        to: num(b.endedAt) ?? 0,
      });
    else if (r.kind === 'enf/document') (a ? a.docs : loose).push(documentOf(r.seq, b));
    else if (r.kind === 'enf/exception' && a) {
      const from = num(b.from) ?? 0;
      const to = num(b.to) ?? 0;
      const reason = str(b.reason);
      const text = str(b.reasonText);
      a.marks.push({
        from,
        to,
        type: 'exception',
        label: {
          zh: `暂停记录 ${fmtMin(to - from)} 分钟（${reason === 'other' && text ? text : exceptionReasonZh(reason)}）`,
          en: `recording paused ${fmtMin(to - from)} min (${reason === 'other' && text ? text : reason.replace(/_/g, ' ')})`,
        },
      });
    } else if (r.kind === 'enf/deposit' && a) a.depositedAt = num(b.depositedAt) ?? null;
  }
  for (const f of report.findings) {
    if (f.code !== 'gap') continue;
    const e = f.evidence as Obj;
    const a = actions.get(str(e.actionId));
    const from = num(e.from);
    const to = num(e.to);
    if (!a || from === undefined || to === undefined) continue;
    a.marks.push({
      from,
      to,
      type: 'gap',
      label: {
        zh: `音像记录中断 ${fmtMin(to - from)} 分钟（第${f.article}条）`,
        en: `AV gap of ${fmtMin(to - from)} min (Art. ${f.article})`,
      },
    });
  }
  const lateActions = new Set(
    report.findings.filter((f) => f.code === 'late_deposit').map((f) => str((f.evidence as Obj).actionId)),
  );
  const out: TimelineAction[] = [];
  for (const [actionId, a] of actions) {
    const to = num(a.end?.endedAt) ?? null;
    const dl = to === null ? undefined : depositDeadline(chinaDate(to), calendar);
    const deadline = dl?.status === 'ok' ? dl.date : null;
    const depositedAt = a.depositedAt;
    const late =
      lateActions.has(actionId) ||
      (deadline !== null && depositedAt !== null && chinaDate(depositedAt) > deadline);
    out.push({
      seq: a.start.seq,
      actionId,
      types: Array.isArray(a.start.b.actionTypes) ? (a.start.b.actionTypes as unknown[]).map(String) : [],
      from: num(a.start.b.startedAt) ?? 0,
      to,
      segments: a.segs.sort((x, y) => x.from - y.from),
      marks: a.marks.sort((x, y) => x.from - y.from),
      documents: a.docs,
      deposit: { deadline, depositedAt, late },
    });
  }
  const cb: Obj = view.case.body;
  return {
    caseId: report.caseId,
    title: str(cb.title),
    matterType: report.matterType,
    compliant: report.compliant,
    summary: report.summary,
    actions: out,
    documents: loose.sort((x, y) => x.at - y.at),
    findings: report.findings,
  };
}
