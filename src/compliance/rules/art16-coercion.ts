/**
 * Art. 16: a coercive measure (sealing, seizure; every on-site action of a coercion matter) needs an approval recorded
 * by an approver of the configured roles (head) and full AV. Missing decision documents are left to the required
 * documents rule; AV continuity to Art. 17.
 */
import type { CaseView } from '../case-view';
import { hasRole, indexCase } from '../case-index';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art16-coercion', article: '16', liability: '30(1)' } as const;

export const art16Coercion: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const c = ctx.settings.coercion;
    const wholeCase = c.matterTypes.includes(view.case.body.matterType);
    const out: Finding[] = [];
    for (const a of idx.actions) {
      const types = a.start.body.actionTypes.filter((t) => c.actionTypes.includes(t));
      if (!wholeCase && types.length === 0) continue;
      const candidates = idx.coerciveApprovals.filter(
        (p) => p.body.actionId === undefined || p.body.actionId === a.id,
      );
      const valid = candidates.filter((p) => p.body.decision === 'approved' && hasRole(p, c.approverRoles));
      if (valid.length === 0)
        out.push(
          finding(META, {
            code: 'missing_approval',
            severity: 'violation',
            seqs: [a.start.seq, ...candidates.map((p) => p.seq)],
            zh: `行政强制措施 ${a.id} 没有经批准的审批记录`,
            en: `coercive measure ${a.id} has no approval recorded by an approver with role ${c.approverRoles.join('/')}`,
            evidence: {
              actionId: a.id,
              approvals: candidates.map((p) => ({
                approvalId: p.body.approvalId,
                problem: p.body.decision !== 'approved' ? 'rejected' : 'approver_lacks_role',
              })),
            },
          }),
        );
      if (a.segments.length === 0)
        out.push(
          finding(META, {
            code: 'missing_av',
            severity: 'violation',
            seqs: [a.start.seq],
            zh: `行政强制措施 ${a.id} 应当全过程音像记录，但无音像记录片段`,
            en: `coercive measure ${a.id} requires full AV recording but has no AV segment`,
            evidence: { actionId: a.id, actionTypes: types },
          }),
        );
    }
    return out;
  },
};
