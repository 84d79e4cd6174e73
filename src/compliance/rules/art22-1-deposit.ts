/**
 * Art. 22(1), a duty per record: "卫生健康行政执法人员应当在现场执法过程结束后 2 个工作日内，按要求将信息储存至执法信息系统
 * 或者专用存储器保存。连续工作、异地工作或者在边远、交通不便地区执法，确实不能及时移交记录信息的，行政执法人员应当在返回单位后
 * 2 个工作日内予以存储。不得由经办人员自行保存。如遇特殊情况不能移交的，需经机构主管领导批准延期移交".
 *
 * Every document, AV segment and electronic-data item of an on-site action is judged: deposited in time, deposited
 * late, or not deposited by the as-of time. A deposit listing ids covers those records; one listing none covers every
 * record of the action appended before it. A delay approval (批准延期移交) excuses only when it was decided on or before
 * the deadline day (the deadline had not yet passed) and, when it grants a new date (`until`), for deposits by then;
 * one decided afterwards is named in the finding. The receiving custodian must be the designated records person (Art.
 * 21) and never one of the action's officers. Working days follow the official calendar; when it does not cover a
 * year the rule says so (a warning naming the year) instead of guessing, unless the deposit falls within n calendar
 * days, which is on time under any calendar.
 */
import type { LateDepositApprovalBody } from '../../domain/kinds/approval';
import type { DepositBody } from '../../domain/kinds/deposit';
import { depositDeadline } from '../calendar';
import type { CaseView } from '../case-view';
import { type ActionInfo, type CaseIndex, type Rec, hasRole, indexCase } from '../case-index';
import { chinaDate, chinaDayNumber, parseCivilDate } from '../civil-date';
import type { EvidenceValue, Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art22-1-deposit', article: '22(1)', liability: '30(3)' } as const;

/** One record of an on-site action that has to be deposited. */
interface Item {
  readonly seq: number;
  /** Seqs the item belongs to the action through (a data item's document). */
  readonly via: readonly number[];
  readonly kind: 'document' | 'segment' | 'data';
  readonly id: string;
}

function itemsOf(a: ActionInfo, idx: CaseIndex): Item[] {
  const docs = new Map(a.documents.map((d) => [d.body.documentId, d.seq]));
  return [
    ...a.documents.map((d) => ({ seq: d.seq, via: [], kind: 'document' as const, id: d.body.documentId })),
    ...a.segments.map((s) => ({ seq: s.seq, via: [], kind: 'segment' as const, id: s.body.segmentId })),
    ...idx.data
      .filter((d) => docs.has(d.body.documentId))
      .map((d) => ({
        seq: d.seq,
        via: [docs.get(d.body.documentId)!],
        kind: 'data' as const,
        id: d.body.dataId,
      })),
  ].sort((x, y) => x.seq - y.seq);
}

function covers(d: Rec<DepositBody>, it: Item): boolean {
  const b = d.body;
  const listed = b.documentIds !== undefined || b.segmentIds !== undefined || b.dataIds !== undefined;
  if (!listed) return it.seq < d.seq;
  const ids = it.kind === 'document' ? b.documentIds : it.kind === 'segment' ? b.segmentIds : b.dataIds;
  return ids?.includes(it.id) ?? false;
}

const itemEvidence = (items: readonly Item[]): EvidenceValue =>
  items.map((i) => ({ kind: i.kind, id: i.id, seq: i.seq }));

export const art22_1Deposit: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const s = ctx.settings;
    const n = s.depositWorkingDays;
    const out: Finding[] = [];
    for (const a of idx.actions) {
      if (!a.end) continue;
      const deposits = [...a.deposits].sort(
        (x, y) => x.body.depositedAt - y.body.depositedAt || x.seq - y.seq,
      );
      out.push(...custodianFindings(a, deposits, s.depositCustodianRoles));
      const remote = a.start.body.remote === true && a.end.body.returnedAt !== undefined;
      const basisAt = remote ? a.end.body.returnedAt! : a.end.body.endedAt;
      const basis = remote ? 'return' : 'on_site_end';
      const basisDay = chinaDayNumber(basisAt);
      // Each record's first covering deposit; records never covered are "not deposited".
      const items = itemsOf(a, idx);
      const byDeposit = new Map<Rec<DepositBody>, Item[]>();
      const missing: Item[] = [];
      for (const it of items) {
        const d = deposits.find((x) => covers(x, it));
        if (!d) missing.push(it);
        else byDeposit.set(d, [...(byDeposit.get(d) ?? []), it]);
      }
      // Deposits to judge: those that first covered some record; with no records, the first deposit.
      const judged: Array<[Rec<DepositBody>, Item[]]> =
        items.length === 0 ? (deposits[0] ? [[deposits[0], []]] : []) : [...byDeposit];
      const pending = deposits.length === 0 ? items : missing;
      const needed = judged.filter(([d]) => chinaDayNumber(d.body.depositedAt) > basisDay + n);
      const missingDue =
        (deposits.length === 0 || pending.length > 0) && chinaDayNumber(ctx.asOf) > basisDay + n;
      // Within n calendar days is on time under any calendar (n working days span at least n days).
      if (needed.length === 0 && !missingDue) continue;
      const due = depositDeadline(basisAt, ctx.calendar, n);
      if (due.status === 'calendar_unknown') {
        out.push(
          finding(META, {
            code: 'calendar_unknown',
            severity: 'warning',
            seqs: [a.end.seq, ...needed.map(([d]) => d.seq)],
            zh: `无法判断现场执法行为 ${a.id} 的记录是否按时存储：缺少 ${due.year} 年的节假日安排`,
            en: `cannot tell whether the records of action ${a.id} were stored in time: no holiday calendar for ${due.year}`,
            evidence: { actionId: a.id, basis, basisAt, year: due.year },
          }),
        );
        continue;
      }
      const deadlineDay = parseCivilDate(due.date)!;
      const approvals = idx.lateDepositApprovals.filter(
        (p) => p.body.actionId === a.id || deposits.some((d) => d.body.lateApprovalId === p.body.approvalId),
      );
      /** Why an approval does not excuse a deposit at `at` (undefined: it does). */
      const problem = (p: Rec<LateDepositApprovalBody>, at: number): string | undefined => {
        if (p.body.decision !== 'approved') return 'rejected';
        if (!hasRole(p, s.lateDepositApproverRoles)) return 'approver_lacks_role';
        if (chinaDayNumber(p.body.decidedAt) > deadlineDay) return 'decided_after_deadline';
        if (p.body.until !== undefined && at > p.body.until) return 'after_granted_date';
        return undefined;
      };
      const judge = (at: number) => {
        const list = approvals.map((p) => ({ p, problem: problem(p, at) }));
        return {
          excused: list.some((x) => x.problem === undefined),
          evidence: list.map((x) => ({
            approvalId: x.p.body.approvalId,
            decidedAt: x.p.body.decidedAt,
            problem: x.problem ?? null,
          })),
          seqs: list.map((x) => x.p.seq),
        };
      };
      const common = { actionId: a.id, basis, basisAt, deadline: due.date, workingDays: n };
      for (const [d, covered] of needed) {
        const at = d.body.depositedAt;
        if (chinaDayNumber(at) <= deadlineDay) continue;
        const j = judge(at);
        if (j.excused) continue;
        const named = j.evidence
          .filter((e) => e.problem === 'decided_after_deadline')
          .map((e) => e.approvalId);
        out.push(
          finding(META, {
            code: 'late_deposit',
            severity: 'violation',
            seqs: [a.end.seq, d.seq, ...covered.flatMap((i) => [i.seq, ...i.via]), ...j.seqs],
            zh: `现场执法行为 ${a.id} 的记录于 ${chinaDate(at)} 存储，晚于期限 ${due.date}（${n} 个工作日）${named.length ? `；延期移交批准 ${named.join('、')} 作出于期限届满之后，不能补正` : '，且无有效的延期移交批准'}`,
            en: `records of action ${a.id} were stored on ${chinaDate(at)}, after the deadline ${due.date} (${n} working days)${named.length ? `; delay approval ${named.join(', ')} was decided after the deadline had passed and does not excuse it` : ', without a valid delay approval'}`,
            evidence: {
              ...common,
              depositId: d.body.depositId,
              depositedAt: at,
              records: itemEvidence(covered),
              approvals: j.evidence,
            },
          }),
        );
      }
      if (!missingDue || chinaDayNumber(ctx.asOf) <= deadlineDay) continue;
      const j = judge(ctx.asOf);
      if (j.excused) continue;
      const none = deposits.length === 0;
      out.push(
        finding(META, {
          code: none ? 'missing_deposit' : 'record_not_deposited',
          severity: 'violation',
          seqs: [a.end.seq, ...pending.flatMap((i) => [i.seq, ...i.via]), ...j.seqs],
          zh: none
            ? `现场执法行为 ${a.id} 的记录截至 ${chinaDate(ctx.asOf)} 仍未存储，期限为 ${due.date}`
            : `现场执法行为 ${a.id} 的 ${pending.length} 项记录（${pending.map((i) => i.id).join('、')}）截至 ${chinaDate(ctx.asOf)} 仍未存储，期限为 ${due.date}`,
          en: none
            ? `records of action ${a.id} were still not stored on ${chinaDate(ctx.asOf)}; the deadline was ${due.date}`
            : `${pending.length} record(s) of action ${a.id} (${pending.map((i) => i.id).join(', ')}) were still not stored on ${chinaDate(ctx.asOf)}; the deadline was ${due.date}`,
          evidence: { ...common, asOf: ctx.asOf, records: itemEvidence(pending), approvals: j.evidence },
        }),
      );
    }
    return out;
  },
};

/**
 * 不得由经办人员自行保存 (Art. 22(1)) and 明确专门人员负责 (Art. 21): the custodian of each deposit (its custodianId, else
 * its signer) must hold a custodian role and must not be one of the action's officers. The ledger refuses the latter
 * at append (`custodian_is_officer`); this reports it in data written before that check.
 */
function custodianFindings(
  a: ActionInfo,
  deposits: ReadonlyArray<Rec<DepositBody>>,
  custodianRoles: readonly string[],
): Finding[] {
  const out: Finding[] = [];
  const officers = a.start.body.officers;
  for (const d of deposits) {
    const custodian = d.body.custodianId ?? d.signer.principal;
    const base = { actionId: a.id, depositId: d.body.depositId, custodian };
    if (officers.includes(custodian))
      out.push(
        finding(META, {
          code: 'custodian_is_officer',
          severity: 'violation',
          seqs: [a.start.seq, d.seq],
          zh: `现场执法行为 ${a.id} 的记录由经办执法人员 ${custodian} 自行保存（存储 ${d.body.depositId}），应当交由专门人员保管`,
          en: `the records of action ${a.id} were kept by its own officer ${custodian} (deposit ${d.body.depositId}) instead of the designated records person`,
          evidence: base,
        }),
      );
    else if (d.body.custodianId === undefined && !hasRole(d, custodianRoles))
      out.push(
        finding(META, {
          code: 'custodian_not_designated',
          severity: 'violation',
          seqs: [d.seq],
          zh: `存储 ${d.body.depositId} 未写明接收的专门人员，签名人 ${custodian} 也不是专门人员`,
          en: `deposit ${d.body.depositId} names no designated records person, and its signer ${custodian} is not one`,
          evidence: { ...base, roles: [...d.signer.roles] },
        }),
      );
  }
  return out;
}
