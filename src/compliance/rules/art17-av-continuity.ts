/**
 * Art. 17: "应当对执法过程进行全程不间断记录，应自到达监督执法现场时开始，至执法活动结束后停止". Art. 18: "因天气等其他不可抗力
 * 因素不能使用的可以停止使用音像记录。但执法人员应当在执法结束后及时制作工作记录，写明原因，报本机构主要负责人审核后，一并存档".
 * AV runs without a break from arrival on site to the end of the action. A pause longer than the tolerance
 * (between arrival and the first segment, between segments, after the last one) is a gap; Art. 18: a gap is excused
 * only when covered by exception work records whose reason the article allows and whose approval was given by the
 * head. Exceptions that cannot excuse a gap are named in its evidence.
 */
import type { ExceptionBody } from '../../domain/kinds/av';
import type { CaseView } from '../case-view';
import { type Rec, indexCase } from '../case-index';
import { covers, exceptionProblem } from '../measures';
import { chinaDateTime, formatDuration } from '../civil-date';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';
import { durationZh } from '../words';

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

export const art17AvContinuity: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const s = ctx.settings;
    const tol = s.avGapToleranceMs;
    const out: Finding[] = [];
    const problem = (x: Rec<ExceptionBody>) => exceptionProblem(x, idx, s);
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
            zh: `现场执法行为 ${a.id} 音像记录中断 ${durationZh(dur)}（${chinaDateTime(g.from)}–${chinaDateTime(g.to)}），无经批准的工作记录说明`,
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
