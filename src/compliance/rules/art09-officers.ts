/**
 * Art. 9(2): "笔录类、填写类和叙述类文书资料应当记录事项清晰，突出重要事项和关键环节。写明执法人员数量、姓名等基本信息": records
 * name the officers (number and names); 行政处罚法 Art. 42: at least two officers on site. Checks every
 * on-site action and every document made during one.
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';
import { documentTypeZh } from '../words';

const META = { id: 'art09-officers', article: '9', liability: '30(1)' } as const;

export const art09Officers: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const min = ctx.settings.minOfficersOnSite;
    const out: Finding[] = [];
    for (const a of indexCase(view).actions) {
      const officers = [...new Set(a.start.body.officers)];
      if (officers.length < min)
        out.push(
          finding(META, {
            code: 'too_few_officers',
            severity: 'violation',
            seqs: [a.start.seq],
            zh: `现场执法行为 ${a.id} 仅记录 ${officers.length} 名执法人员，少于 ${min} 名`,
            en: `on-site action ${a.id} names ${officers.length} officer(s), fewer than ${min}`,
            evidence: { actionId: a.id, officers, required: min },
          }),
        );
      for (const d of a.documents) {
        const named = [...new Set(d.body.officers)];
        if (named.length < min)
          out.push(
            finding(META, {
              code: 'document_too_few_officers',
              severity: 'violation',
              seqs: [d.seq],
              zh: `文书 ${d.body.documentId}（${documentTypeZh(d.body.type)}）仅写明 ${named.length} 名执法人员，少于 ${min} 名`,
              en: `document ${d.body.documentId} (${d.body.type}) names ${named.length} officer(s), fewer than ${min}`,
              evidence: { documentId: d.body.documentId, type: d.body.type, officers: named, required: min },
            }),
          );
        const absent = named.filter((o) => !officers.includes(o));
        if (absent.length)
          out.push(
            finding(META, {
              code: 'officer_not_on_action',
              severity: 'warning',
              seqs: [a.start.seq, d.seq],
              zh: `文书 ${d.body.documentId} 写明的执法人员 ${absent.join('、')} 不在现场执法行为 ${a.id} 的人员中`,
              en: `document ${d.body.documentId} names officer(s) ${absent.join(', ')} not on action ${a.id}`,
              evidence: { documentId: d.body.documentId, actionId: a.id, officers: absent },
            }),
          );
        if (d.body.signatures.officers !== true)
          out.push(
            finding(META, {
              code: 'officers_not_signed',
              severity: 'warning',
              seqs: [d.seq],
              zh: `文书 ${d.body.documentId} 缺少执法人员签名`,
              en: `document ${d.body.documentId} lacks the officers' signatures`,
              evidence: { documentId: d.body.documentId },
            }),
          );
      }
    }
    return out;
  },
};
