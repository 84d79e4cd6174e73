/**
 * Art. 14–16: the documents each procedure requires — 14(3) "需要现场审查验收的应当制作现场笔录", 14(4) "组织专家论证、评审会，
 * 应当制作专家论证会议纪要、专家评审意见", 15(1) "应当制作《现场笔录》《卫生监督意见书》", 15(2) "制作《询问记录》《听证记录》
 * 《合议记录》等执法文书", 16(1) "应当制作《查封、扣押决定书》《行政控制决定书》等执法文书" — (licensing, penalty, coercion), as configurable sets. A
 * requirement applies once its trigger holds: an ended on-site action of a given type, a document of a given type,
 * or the case being closed.
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';
import type { DocumentRequirement } from '../rule-set';
import { actionTypeZh, documentTypeZh } from '../words';

const META = { id: 'art14-16-required-documents', article: '14-16', liability: '30(1)' } as const;

export const art14to16RequiredDocuments: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const matter = view.case.body.matterType;
    const reqs: DocumentRequirement[] = [
      ...(ctx.settings.documents.all ?? []),
      ...(ctx.settings.documents[matter] ?? []),
    ];
    const present = new Set(idx.documents.map((d) => d.body.type));
    const current = idx.currentDocuments;
    const out: Finding[] = [];
    for (const req of reqs) {
      let trigger: number[] = [];
      let why: string;
      let whyZh: string;
      const w = req.when;
      if ('actionTypes' in w) {
        trigger = idx.actions
          .filter(
            (a) =>
              (a.end !== undefined || idx.close) &&
              a.start.body.actionTypes.some((t) => w.actionTypes.includes(t)),
          )
          .map((a) => a.start.seq);
        why = `action ${w.actionTypes.join('|')}`;
        whyZh = `${w.actionTypes.map(actionTypeZh).join('或')}的现场执法行为`;
      } else if ('documents' in w) {
        trigger = current.filter((d) => w.documents.includes(d.body.type)).map((d) => d.seq);
        why = `document ${w.documents.join('|')}`;
        whyZh = `文书${w.documents.map(documentTypeZh).join('或')}`;
      } else {
        trigger = idx.close ? [idx.close.seq] : [];
        why = 'case closed';
        whyZh = '案件已办结';
      }
      if (trigger.length === 0) continue;
      if (req.unless?.some((t) => present.has(t))) continue;
      if (req.anyOf.some((t) => present.has(t))) continue;
      out.push(
        finding(META, {
          article: req.article,
          code: 'missing_document',
          severity: 'violation',
          seqs: trigger,
          zh: `案件缺少第${req.article}条要求的文书：${req.anyOf.map(documentTypeZh).join('或')}（因${whyZh}）`,
          en: `the case lacks a document required by Art. ${req.article}: ${req.anyOf.join(' or ')} (because of ${why})`,
          evidence: { anyOf: [...req.anyOf], trigger: why },
        }),
      );
    }
    return out;
  },
};
