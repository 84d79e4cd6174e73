/**
 * Art. 16 行政强制全过程记录要求: "（一）行政执法中实施行政强制措施时，应当制作《查封、扣押决定书》《行政控制决定书》等执法文书；
 * （二）实施行政强制措施应当使用执法记录仪、摄像机等影像设备进行全过程音像记录；（三）采取行政强制措施应当按规定履行审批程序，
 * 并形成文字记录".
 *
 * A coercive measure is recognised by what happened as well as by tags (`coerciveGrounds`): a decision document issued
 * in an action tagged as an ordinary inspection still makes it one. Each needs an approval by an approver of the
 * configured roles (16(3)), given before the measure or within the grace the rule set allows (行政强制法 Art. 19's 24
 * hours for urgent cases), and AV (16(2)); Art. 18 exceptions covering the whole action are handled as in Art. 11. A
 * decision document not tied to any on-site action cannot be checked for AV and is a warning. Missing decision
 * documents are left to the required-documents rule; AV continuity to Art. 17.
 */
import type { CaseView } from '../case-view';
import { hasRole, indexCase } from '../case-index';
import { formatDuration } from '../civil-date';
import type { Finding } from '../finding';
import { actionExceptions, coerciveGrounds } from '../measures';
import { type Rule, type RuleContext, finding } from '../rule';
import { durationZh, groundZh } from '../words';

const META = { id: 'art16-coercion', article: '16', liability: '30(1)' } as const;

export const art16Coercion: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const c = ctx.settings.coercion;
    const out: Finding[] = [];
    for (const a of idx.actions) {
      const grounds = coerciveGrounds(a, view, ctx.settings);
      if (grounds.length === 0) continue;
      const candidates = idx.coerciveApprovals.filter(
        (p) => p.body.actionId === undefined || p.body.actionId === a.id,
      );
      const startAt = a.start.body.startedAt;
      const lateBy = (t: number) =>
        c.approvalGraceMs !== null && t > startAt + c.approvalGraceMs ? t - startAt : 0;
      const problem = (p: (typeof candidates)[number]): string | undefined =>
        p.body.decision !== 'approved'
          ? 'rejected'
          : !hasRole(p, c.approverRoles)
            ? 'approver_lacks_role'
            : lateBy(p.body.decidedAt) > 0
              ? 'decided_too_late'
              : undefined;
      const judged = candidates.map((p) => ({ p, problem: problem(p) }));
      if (!judged.some((j) => j.problem === undefined))
        out.push(
          finding(META, {
            code: 'missing_approval',
            severity: 'violation',
            seqs: [a.start.seq, ...candidates.map((p) => p.seq)],
            zh: `行政强制措施 ${a.id}（${grounds.map(groundZh).join('、')}）没有按规定履行审批程序的文字记录${judged.some((j) => j.problem === 'decided_too_late') && c.approvalGraceMs !== null ? `（审批晚于实施后 ${durationZh(c.approvalGraceMs)}）` : ''}`,
            en: `coercive measure ${a.id} (${grounds.join(', ')}) has no approval recorded by an approver with role ${c.approverRoles.join('/')}${judged.some((j) => j.problem === 'decided_too_late') && c.approvalGraceMs !== null ? ` within ${formatDuration(c.approvalGraceMs)} of the measure` : ''}`,
            evidence: {
              actionId: a.id,
              grounds,
              approvals: judged.map((j) => ({ approvalId: j.p.body.approvalId, problem: j.problem! })),
            },
          }),
        );
      if (a.segments.length === 0) {
        const exc = actionExceptions(a, idx, ctx.settings);
        const excused = exc.whole.length > 0 && ctx.settings.exceptionExcusesMandatoryAv;
        const named = exc.whole.map((x) => x.body.exceptionId);
        out.push(
          finding(META, {
            code: excused ? 'av_excepted' : 'missing_av',
            severity: excused ? 'info' : 'violation',
            ...(excused ? { liability: 'none' as const } : {}),
            seqs: [a.start.seq, ...exc.all.map((e) => e.seq)],
            zh: excused
              ? `行政强制措施 ${a.id} 未音像记录，经批准的工作记录 ${named.join('、')} 依第十八条说明了原因`
              : `行政强制措施 ${a.id}（${grounds.map(groundZh).join('、')}）应当全过程音像记录，但无音像记录片段`,
            en: excused
              ? `coercive measure ${a.id} has no AV; approved exception work record(s) ${named.join(', ')} give the reason (Art. 18)`
              : `coercive measure ${a.id} (${grounds.join(', ')}) requires full AV recording but has no AV segment`,
            evidence: { actionId: a.id, grounds, exceptions: exc.all },
          }),
        );
      }
    }
    for (const d of idx.currentDocuments)
      if (
        c.decisionDocuments.includes(d.body.type) &&
        (d.body.actionId === undefined || !idx.actionById.has(d.body.actionId))
      )
        out.push(
          finding(META, {
            code: 'decision_without_action',
            severity: 'warning',
            seqs: [d.seq],
            zh: `行政强制决定书 ${d.body.documentId} 未关联实施该措施的现场执法行为，无法核对全过程音像记录`,
            en: `coercive decision ${d.body.documentId} names no on-site action carrying out the measure, so its AV cannot be checked`,
            evidence: { documentId: d.body.documentId, type: d.body.type },
          }),
        );
    return out;
  },
};
