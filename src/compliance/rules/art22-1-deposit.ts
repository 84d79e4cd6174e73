/**
 * Art. 22(1): an action's records are stored within 2 working days after the on-site action ends, or after the
 * return from remote work; a later deposit needs the approval of the agency's leader in charge. Working days follow
 * the official calendar; when it does not cover a year the rule says so (a warning naming the year) instead of
 * guessing, unless the deposit falls within n calendar days, which is on time under any calendar.
 */
import type { LateDepositApprovalBody } from '../../domain/kinds/approval';
import { depositDeadline } from '../calendar';
import type { CaseView } from '../case-view';
import { type ActionInfo, type Rec, hasRole, indexCase } from '../case-index';
import { chinaDate, chinaDayNumber, parseCivilDate } from '../civil-date';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art22-1-deposit', article: '22(1)', liability: '30(3)' } as const;

export const art22_1Deposit: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const s = ctx.settings;
    const n = s.depositWorkingDays;
    const out: Finding[] = [];
    const approvalsFor = (a: ActionInfo): Array<Rec<LateDepositApprovalBody>> => {
      const named = new Set(
        a.deposits.flatMap((d) => (d.body.lateApprovalId ? [d.body.lateApprovalId] : [])),
      );
      return idx.lateDepositApprovals.filter((p) => p.body.actionId === a.id || named.has(p.body.approvalId));
    };
    const excuses = (p: Rec<LateDepositApprovalBody>, at: number) =>
      p.body.decision === 'approved' &&
      hasRole(p, s.lateDepositApproverRoles) &&
      (p.body.until === undefined || at <= p.body.until);
    for (const a of idx.actions) {
      if (!a.end) continue;
      const remote = a.start.body.remote === true && a.end.body.returnedAt !== undefined;
      const basisAt = remote ? a.end.body.returnedAt! : a.end.body.endedAt;
      const basis = remote ? 'return' : 'on_site_end';
      const basisDay = chinaDayNumber(basisAt);
      const deposits = [...a.deposits].sort(
        (x, y) => x.body.depositedAt - y.body.depositedAt || x.seq - y.seq,
      );
      const first = deposits[0];
      const at = first ? first.body.depositedAt : ctx.asOf;
      // Within n calendar days is on time under any calendar (n working days span at least n days).
      if (chinaDayNumber(at) <= basisDay + n) continue;
      const due = depositDeadline(basisAt, ctx.calendar, n);
      const seqs = [a.end.seq, ...(first ? [first.seq] : [])];
      if (due.status === 'calendar_unknown') {
        out.push(
          finding(META, {
            code: 'calendar_unknown',
            severity: 'warning',
            seqs,
            zh: `无法判断现场执法行为 ${a.id} 的记录是否按时存储：缺少 ${due.year} 年的节假日安排`,
            en: `cannot tell whether the records of action ${a.id} were stored in time: no holiday calendar for ${due.year}`,
            evidence: { actionId: a.id, basis, basisAt, year: due.year },
          }),
        );
        continue;
      }
      const deadlineDay = parseCivilDate(due.date)!;
      if (chinaDayNumber(at) <= deadlineDay) continue;
      const approvals = approvalsFor(a);
      if (approvals.some((p) => excuses(p, at))) continue;
      const evidence = {
        actionId: a.id,
        basis,
        basisAt,
        deadline: due.date,
        workingDays: n,
        approvals: approvals.map((p) => p.body.approvalId),
      };
      if (first)
        out.push(
          finding(META, {
            code: 'late_deposit',
            severity: 'violation',
            seqs: [...seqs, ...approvals.map((p) => p.seq)],
            zh: `现场执法行为 ${a.id} 的记录于 ${chinaDate(at)} 存储，晚于期限 ${due.date}（${n} 个工作日），且无延期移交批准`,
            en: `records of action ${a.id} were stored on ${chinaDate(at)}, after the deadline ${due.date} (${n} working days), without an approved delay`,
            evidence: { ...evidence, depositId: first.body.depositId, depositedAt: at },
          }),
        );
      else
        out.push(
          finding(META, {
            code: 'missing_deposit',
            severity: 'violation',
            seqs: [...seqs, ...approvals.map((p) => p.seq)],
            zh: `现场执法行为 ${a.id} 的记录截至 ${chinaDate(at)} 仍未存储，期限为 ${due.date}`,
            en: `records of action ${a.id} were still not stored on ${chinaDate(at)}; the deadline was ${due.date}`,
            evidence: { ...evidence, asOf: at },
          }),
        );
    }
    return out;
  },
};
