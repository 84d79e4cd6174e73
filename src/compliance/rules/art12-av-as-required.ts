/**
 * Art. 12: "有下列情形之一的，根据实际情况进行音像记录：（一）现场执法容易引发争议的；（二）检查、调查、询问、先行登记保存等调查取证的；
 * （三）举行听证的；（四）留置送达和公告送达执法文书的；（五）其他容易引发争议的行政执法过程的". AV as circumstances require (disputes likely, inspection and inquiry, evidence preservation, hearings,
 * service by leaving or public notice). Advisory: a warning, never a violation. Actions already under Art. 11 are left
 * to that rule.
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';
import { actionTypeZh } from '../words';

const META = { id: 'art12-av-as-required', article: '12', liability: '30(1)' } as const;

export const art12AvAsRequired: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const { mandatoryAvActionTypes, asRequiredAvActionTypes } = ctx.settings;
    for (const a of indexCase(view).actions) {
      const t = a.start.body.actionTypes;
      if (a.segments.length > 0 || t.some((x) => mandatoryAvActionTypes.includes(x))) continue;
      const types = t.filter((x) => asRequiredAvActionTypes.includes(x));
      if (types.length === 0) continue;
      out.push(
        finding(META, {
          code: 'av_expected',
          severity: 'warning',
          seqs: [a.start.seq],
          zh: `现场执法行为 ${a.id}（${types.map(actionTypeZh).join('、')}）宜根据实际情况进行音像记录，但无音像记录片段`,
          en: `on-site action ${a.id} (${types.join(', ')}) would normally be recorded on AV but has no AV segment`,
          evidence: { actionId: a.id, actionTypes: types },
        }),
      );
    }
    return out;
  },
};
