/**
 * Art. 15 行政处罚全过程记录要求 (the order 行政处罚法 Arts. 44–45 and 63–64 give the documents it names: "《行政处罚事先告知书》
 * 《处罚决定书》……《行政处罚听证通知书》"): documents that must precede others — the prior notice (事先告知书) before the penalty decision, the hearing
 * notice before the hearing record. Each document of the later type needs one of the earlier type issued before it
 * (by issue time, then log order); a later document with none before it is a finding, whether the earlier one
 * came afterwards or never.
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import { chinaDateTime } from '../civil-date';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';
import { documentTypeZh } from '../words';

const META = { id: 'art15-document-order', article: '15', liability: '30(1)' } as const;

export const art15DocumentOrder: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const docs = indexCase(view).documents;
    const out: Finding[] = [];
    for (const o of ctx.settings.documentOrder) {
      const befores = docs.filter((d) => d.body.type === o.before);
      for (const after of docs.filter((d) => d.body.type === o.after)) {
        const at = after.body.startedAt;
        const preceded = befores.some(
          (b) => b.body.startedAt < at || (b.body.startedAt === at && b.seq < after.seq),
        );
        if (preceded) continue;
        const later = befores[0];
        out.push(
          finding(META, {
            article: o.article,
            code: 'out_of_order',
            severity: 'violation',
            seqs: [after.seq, ...befores.map((b) => b.seq)],
            zh: later
              ? `${documentTypeZh(o.after)}（${after.body.documentId}，${chinaDateTime(at)}）早于${documentTypeZh(o.before)}（${later.body.documentId}，${chinaDateTime(later.body.startedAt)}）`
              : `${documentTypeZh(o.after)}（${after.body.documentId}）之前没有${documentTypeZh(o.before)}`,
            en: later
              ? `${o.after} ${after.body.documentId} (${chinaDateTime(at)}) precedes ${o.before} ${later.body.documentId} (${chinaDateTime(later.body.startedAt)})`
              : `${o.after} ${after.body.documentId} has no ${o.before} before it`,
            evidence: {
              before: o.before,
              after: o.after,
              documentId: after.body.documentId,
              issuedAt: at,
              beforeDocuments: befores.map((b) => b.body.documentId),
            },
          }),
        );
      }
    }
    return out;
  },
};
