/**
 * Art. 15(3): "送达《行政处罚事先告知书》《处罚决定书》《催告书》《行政处罚听证通知书》等执法文书，根据情况使用执法记录仪等影像设备，
 * 需要告知权利义务的必须告知当事人权利义务"; Art. 12(4): "留置送达和公告送达执法文书的" are recorded on AV 根据实际情况.
 *
 * A notice or decision is served when a 送达回执 or 公告 (a `service.receiptTypes` document) names it in `serves`. Notices
 * (`service.beforeDecision`: 事先告知书, 听证通知书) must be served before the decision is issued — the party's rights run
 * from service — and decisions and demands (`service.byClose`: 处罚决定书, 催告书) by the time the case closes; a case that
 * reaches that point without the service recorded is a violation (30(1)). A service by leaving or by public notice
 * (the receipt's action has a `service.avActionTypes` type) without AV is reported at `service.avSeverity` (Art. 12
 * says 根据实际情况: a warning by default).
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import { chinaDateTime } from '../civil-date';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';
import { actionTypeZh, documentTypeZh } from '../words';

const META = { id: 'art15-service', article: '15(3)', liability: '30(1)' } as const;

export const art15Service: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const s = ctx.settings.service;
    const out: Finding[] = [];
    const receipts = idx.currentDocuments.filter((d) => s.receiptTypes.includes(d.body.type));
    const decisions = idx.currentDocuments
      .filter((d) => s.decisionTypes.includes(d.body.type))
      .sort((a, b) => a.body.startedAt - b.body.startedAt || a.seq - b.seq);
    const decision = decisions[0];
    for (const d of idx.currentDocuments) {
      const before = s.beforeDecision.includes(d.body.type);
      const byClose = s.byClose.includes(d.body.type);
      if (!before && !byClose) continue;
      const due = before && decision && decision !== d ? decision : byClose ? idx.close : undefined;
      if (!due) continue;
      const dueAt = 'closedAt' in due.body ? due.body.closedAt : due.body.startedAt;
      const served = receipts.filter((r) => r.body.serves?.includes(d.body.documentId));
      const inTime = served.filter((r) => r.body.startedAt <= dueAt);
      if (inTime.length > 0) continue;
      const what = before && decision && decision !== d ? 'decision' : 'close';
      out.push(
        finding(META, {
          code: served.length ? 'served_late' : 'not_served',
          severity: 'violation',
          seqs: [d.seq, due.seq, ...served.map((r) => r.seq)],
          zh: served.length
            ? `${documentTypeZh(d.body.type)} ${d.body.documentId} 的送达记录晚于${what === 'decision' ? '处罚决定' : '结案'}（${chinaDateTime(dueAt)}）`
            : `${documentTypeZh(d.body.type)} ${d.body.documentId} 在${what === 'decision' ? '作出处罚决定' : '结案'}前没有送达记录（送达回执或公告）`,
          en: served.length
            ? `the service of ${d.body.type} ${d.body.documentId} is recorded after the ${what === 'decision' ? 'decision' : 'closing'} (${chinaDateTime(dueAt)})`
            : `${d.body.type} ${d.body.documentId} has no recorded service (receipt or public notice) before the ${what === 'decision' ? 'decision' : 'closing'}`,
          evidence: {
            documentId: d.body.documentId,
            type: d.body.type,
            dueBy: what,
            dueAt,
            receipts: served.map((r) => r.body.documentId),
          },
        }),
      );
    }
    for (const r of receipts) {
      const a = r.body.actionId === undefined ? undefined : idx.actionById.get(r.body.actionId);
      if (!a) continue;
      const methods = a.start.body.actionTypes.filter((t) => s.avActionTypes.includes(t));
      if (methods.length === 0 || a.segments.length > 0) continue;
      out.push(
        finding(META, {
          article: '12(4)',
          code: 'service_without_av',
          severity: s.avSeverity,
          seqs: [a.start.seq, r.seq],
          zh: `${methods.map(actionTypeZh).join('、')} ${r.body.documentId} 没有音像记录（现场执法行为 ${a.id}）`,
          en: `${methods.join(', ')} recorded by ${r.body.documentId} has no AV (action ${a.id})`,
          evidence: {
            actionId: a.id,
            documentId: r.body.documentId,
            methods,
            serves: [...(r.body.serves ?? [])],
          },
        }),
      );
    }
    return out;
  },
};
