/** Art. 11: AV is mandatory for sealing, seizure, emergencies, substitute performance, acts affecting life or health. */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art11-mandatory-av', article: '11', liability: '30(1)' } as const;

export const art11MandatoryAv: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const a of indexCase(view).actions) {
      const types = a.start.body.actionTypes.filter((t) => ctx.settings.mandatoryAvActionTypes.includes(t));
      if (types.length === 0 || a.segments.length > 0) continue;
      out.push(
        finding(META, {
          code: 'missing_av',
          severity: 'violation',
          seqs: [a.start.seq],
          zh: `现场执法行为 ${a.id}（${types.join('、')}）应当音像记录，但无音像记录片段`,
          en: `on-site action ${a.id} (${types.join(', ')}) requires AV recording but has no AV segment`,
          evidence: { actionId: a.id, actionTypes: types },
        }),
      );
    }
    return out;
  },
};
