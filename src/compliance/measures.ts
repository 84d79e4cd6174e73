/**
 * What an on-site action is, judged from what happened as well as from its tags: a coercive measure (Art. 16) is an
 * action tagged as one, any action of a coercion matter, or an action carrying a coercive-measure decision document
 * (《查封、扣押决定书》《行政控制决定书》); an action needs mandatory AV under Art. 11 by its tags or by a sealing or seizure
 * decision. Shared by the Art. 11, 13, 16 and 18 rules so that they agree.
 */
import type { ExceptionBody } from '../domain/kinds/av';
import type { CaseView } from './case-view';
import { type ActionInfo, type CaseIndex, type Rec, hasRole } from './case-index';
import type { RuleSettings } from './rule-set';

/** Why the action is a coercive measure: its tags, the matter, or decision documents (`document:<id>`); empty: not. */
export function coerciveGrounds(a: ActionInfo, view: CaseView, s: RuleSettings): string[] {
  const c = s.coercion;
  return [
    ...a.start.body.actionTypes.filter((t) => c.actionTypes.includes(t)),
    ...(c.matterTypes.includes(view.case.body.matterType) ? [`matter:${view.case.body.matterType}`] : []),
    ...a.documents
      .filter((d) => c.decisionDocuments.includes(d.body.type))
      .map((d) => `document:${d.body.documentId}`),
  ];
}

/** Why Art. 11 makes AV mandatory for the action: its Art. 11 tags or a sealing/seizure decision (`document:<id>`). */
export function mandatoryAvGrounds(a: ActionInfo, s: RuleSettings): string[] {
  return [
    ...a.start.body.actionTypes.filter((t) => s.mandatoryAvActionTypes.includes(t)),
    ...a.documents
      .filter((d) => s.mandatoryAvDocumentTypes.includes(d.body.type))
      .map((d) => `document:${d.body.documentId}`),
  ];
}

/**
 * Why an Art. 18 exception work record cannot excuse stopping AV (undefined: it can): its reason is not one the
 * article allows, it has no approval, every approval rejected it, or no approver held a 主要负责人 role.
 */
export function exceptionProblem(x: Rec<ExceptionBody>, idx: CaseIndex, s: RuleSettings): string | undefined {
  if (!s.exceptionReasons.includes(x.body.reason)) return 'reason_not_allowed';
  const approvals = idx.exceptionApprovals.get(x.body.exceptionId) ?? [];
  if (approvals.length === 0) return 'not_approved';
  const approved = approvals.filter((p) => p.body.decision === 'approved');
  if (approved.length === 0) return 'approval_rejected';
  if (!approved.some((p) => hasRole(p, s.exceptionApproverRoles))) return 'approver_lacks_role';
  return undefined;
}

/** Whether the union of intervals (each widened by tol) covers [from, to]. */
export function covers(
  intervals: ReadonlyArray<readonly [number, number]>,
  from: number,
  to: number,
  tol: number,
): boolean {
  let cursor = from;
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0] || x[1] - y[1])) {
    if (a - tol > cursor) break;
    cursor = Math.max(cursor, b + tol);
    if (cursor >= to) return true;
  }
  return cursor >= to;
}

export interface ActionExceptions {
  /** Approved exceptions that together cover the whole action, from arrival to end (empty when they do not). */
  readonly whole: ReadonlyArray<Rec<ExceptionBody>>;
  /** Every exception of the action with its problem (null: valid). */
  readonly all: ReadonlyArray<{
    readonly exceptionId: string;
    readonly seq: number;
    readonly problem: string | null;
  }>;
}

/** Art. 18 exceptions of an action, and whether the valid ones cover all of it (needs the action's end). */
export function actionExceptions(a: ActionInfo, idx: CaseIndex, s: RuleSettings): ActionExceptions {
  const all = a.exceptions.map((x) => ({ x, problem: exceptionProblem(x, idx, s) }));
  const valid = all.filter((e) => e.problem === undefined).map((e) => e.x);
  const whole =
    a.end !== undefined &&
    valid.length > 0 &&
    covers(
      valid.map((x) => [x.body.from, x.body.to] as const),
      a.start.body.startedAt,
      a.end.body.endedAt,
      s.avGapToleranceMs,
    )
      ? valid
      : [];
  return {
    whole,
    all: all.map((e) => ({ exceptionId: e.x.body.exceptionId, seq: e.x.seq, problem: e.problem ?? null })),
  };
}
