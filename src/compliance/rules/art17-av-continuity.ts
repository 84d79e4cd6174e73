/**
 * Art. 17: AV runs without a break from arrival on site to the end of the action. A pause longer than the tolerance
 * (between arrival and the first segment, between segments, after the last one) is a gap; Art. 18: a gap is excused
 * only when covered by exception work records whose reason the article allows and whose approval was given by the
 * head. Exceptions that cannot excuse a gap are named in its evidence.
 */
import type { ExceptionBody } from '../../domain/kinds/av';
import type { CaseView } from '../case-view';
import { type Rec, hasRole, indexCase } from '../case-index';
import { chinaDateTime, formatDuration } from '../civil-date';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art17-av-continuity', article: '17', liability: '30(1)' } as const;

interface Gap {
  readonly from: number;
  readonly to: number;
  readonly seqs: readonly number[];
}

/** Uncovered stretches of [from, to] longer than `tol`, given intervals sorted by start. */
function gaps(
  from: number,
  to: number,
  parts: ReadonlyArray<{ seq: number; start: number; end: number }>,
  startSeq: number,
  endSeq: number | undefined,
  tol: number,
): Gap[] {
  const out: Gap[] = [];
  let cursor = from;
  let lastSeq = startSeq;
  for (const p of parts) {
    if (p.start - cursor > tol) out.push({ from: cursor, to: p.start, seqs: [startSeq, lastSeq, p.seq] });
    if (p.end > cursor) {
      cursor = p.end;
      lastSeq = p.seq;
    }
  }
  if (to - cursor > tol)
    out.push({ from: cursor, to, seqs: [startSeq, lastSeq, ...(endSeq === undefined ? [] : [endSeq])] });
  return out;
}

/** Whether the union of intervals (each widened by tol) covers [from, to]. */
function covers(
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

export const art17AvContinuity: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const s = ctx.settings;
    const tol = s.avGapToleranceMs;
    const out: Finding[] = [];
    const problem = (x: Rec<ExceptionBody>): string | undefined => {
      if (!s.exceptionReasons.includes(x.body.reason)) return 'reason_not_allowed';
      const approvals = idx.exceptionApprovals.get(x.body.exceptionId) ?? [];
      if (approvals.length === 0) return 'not_approved';
      const approved = approvals.filter((p) => p.body.decision === 'approved');
      if (approved.length === 0) return 'approval_rejected';
      if (!approved.some((p) => hasRole(p, s.exceptionApproverRoles))) return 'approver_lacks_role';
      return undefined;
    };
    for (const a of idx.actions) {
      if (a.segments.length === 0) continue;
      const parts = a.segments.map((g) => ({ seq: g.seq, start: g.body.startedAt, end: g.body.endedAt }));
      const end = a.end ? a.end.body.endedAt : Math.max(...parts.map((p) => p.end));
      const found = gaps(a.start.body.startedAt, end, parts, a.start.seq, a.end?.seq, tol);
      if (found.length === 0) continue;
      const excs = a.exceptions.map((x) => ({ x, problem: problem(x) }));
      const valid = excs
        .filter((e) => e.problem === undefined)
        .map((e) => [e.x.body.from, e.x.body.to] as const);
      for (const g of found) {
        if (covers(valid, g.from, g.to, tol)) continue;
        const invalid = excs.filter(
          (e) => e.problem !== undefined && e.x.body.from < g.to && e.x.body.to > g.from,
        );
        const dur = g.to - g.from;
        out.push(
          finding(META, {
            code: 'gap',
            severity: 'violation',
            seqs: [...g.seqs, ...invalid.map((e) => e.x.seq)],
            zh: `现场执法行为 ${a.id} 音像记录中断 ${formatDuration(dur)}（${chinaDateTime(g.from)}–${chinaDateTime(g.to)}），无经批准的工作记录说明`,
            en: `AV of action ${a.id} stops for ${formatDuration(dur)} (${chinaDateTime(g.from)}–${chinaDateTime(g.to)}) with no approved exception work record`,
            evidence: {
              actionId: a.id,
              from: g.from,
              to: g.to,
              durationMs: dur,
              toleranceMs: tol,
              exceptions: invalid.map((e) => ({ exceptionId: e.x.body.exceptionId, problem: e.problem! })),
            },
          }),
        );
      }
    }
    return out;
  },
};
