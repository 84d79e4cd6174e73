/**
 * Art. 22(2): "卫生健康行政执法事项办结后，应当依照《卫生行政执法文书规范》等相关标准要求，将行政执法过程中形成的记录资料整理成
 * 案卷后归档保存": once a matter is closed, its records are compiled into a case file and archived. With
 * `archiveWorkingDays` null the archive is due at once; otherwise within that many working days of closing.
 */
import { addWorkingDays } from '../calendar';
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import { chinaDate, chinaDayNumber, parseCivilDate } from '../civil-date';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art22-2-archive', article: '22(2)', liability: '30(3)' } as const;

export const art22_2Archive: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const { close, archive } = indexCase(view);
    if (!close) return [];
    const caseId = view.case.body.caseId;
    const days = ctx.settings.archiveWorkingDays;
    if (days === null) {
      if (archive) return [];
      return [
        finding(META, {
          code: 'not_archived',
          severity: 'violation',
          seqs: [close.seq],
          zh: `案件 ${caseId} 已办结，但未整理归档`,
          en: `case ${caseId} is closed but its file was not archived`,
          evidence: { caseId, closedAt: close.body.closedAt },
        }),
      ];
    }
    const at = archive ? archive.body.archivedAt : ctx.asOf;
    if (chinaDayNumber(at) <= chinaDayNumber(close.body.closedAt) + days) return [];
    const due = addWorkingDays(close.body.closedAt, days, ctx.calendar);
    if (due.status === 'calendar_unknown')
      return [
        finding(META, {
          code: 'calendar_unknown',
          severity: 'warning',
          seqs: [close.seq, ...(archive ? [archive.seq] : [])],
          zh: `无法判断案件 ${caseId} 是否按时归档：缺少 ${due.year} 年的节假日安排`,
          en: `cannot tell whether case ${caseId} was archived in time: no holiday calendar for ${due.year}`,
          evidence: { caseId, year: due.year },
        }),
      ];
    if (chinaDayNumber(at) <= parseCivilDate(due.date)!) return [];
    return [
      finding(META, {
        code: archive ? 'late_archive' : 'not_archived',
        severity: 'violation',
        seqs: [close.seq, ...(archive ? [archive.seq] : [])],
        zh: archive
          ? `案件 ${caseId} 于 ${chinaDate(at)} 归档，晚于期限 ${due.date}`
          : `案件 ${caseId} 截至 ${chinaDate(at)} 仍未归档，期限为 ${due.date}`,
        en: archive
          ? `case ${caseId} was archived on ${chinaDate(at)}, after the deadline ${due.date}`
          : `case ${caseId} was still not archived on ${chinaDate(at)}; the deadline was ${due.date}`,
        evidence: { caseId, closedAt: close.body.closedAt, deadline: due.date },
      }),
    ];
  },
};
