/**
 * Art. 11: "有下列情形之一的，应当使用音像记录：（一）查封场所、设施或者财物的；（二）扣押财物的；（三）处置突发公共卫生事件、
 * 群体性事件的；（四）代履行的；（五）对直接涉及生命健康、重大财产权益的现场执法活动的". An action is such a situation by its
 * tags or by what happened in it (a 《查封、扣押决定书》 issued in it). Art. 18: approved exception work records covering the
 * whole action make the finding `info` (`av_excepted`) or leave it a violation, as the rule set says; either way the
 * finding names them.
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import type { Finding } from '../finding';
import { actionExceptions, mandatoryAvGrounds } from '../measures';
import { type Rule, type RuleContext, finding } from '../rule';
import { groundZh } from '../words';

const META = { id: 'art11-mandatory-av', article: '11', liability: '30(1)' } as const;

export const art11MandatoryAv: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const idx = indexCase(view);
    for (const a of idx.actions) {
      const grounds = mandatoryAvGrounds(a, ctx.settings);
      if (grounds.length === 0 || a.segments.length > 0) continue;
      const actionTypes = grounds.filter((g) => !g.startsWith('document:'));
      const documents = grounds.filter((g) => g.startsWith('document:')).map((g) => g.slice(9));
      const exc = actionExceptions(a, idx, ctx.settings);
      const excused = exc.whole.length > 0 && ctx.settings.exceptionExcusesMandatoryAv;
      const named = exc.whole.map((x) => x.body.exceptionId);
      out.push(
        finding(META, {
          code: excused ? 'av_excepted' : 'missing_av',
          severity: excused ? 'info' : 'violation',
          ...(excused ? { liability: 'none' as const } : {}),
          seqs: [a.start.seq, ...exc.all.map((e) => e.seq)],
          zh: excused
            ? `现场执法行为 ${a.id}（${grounds.map(groundZh).join('、')}）未音像记录，经批准的工作记录 ${named.join('、')} 依第十八条说明了原因`
            : `现场执法行为 ${a.id}（${grounds.map(groundZh).join('、')}）应当音像记录，但无音像记录片段${exc.all.length ? `（工作记录 ${exc.all.map((e) => e.exceptionId).join('、')} ${named.length ? '不能免除第十一条的要求' : '未覆盖全过程或未获批准'}）` : ''}`,
          en: excused
            ? `on-site action ${a.id} (${grounds.join(', ')}) has no AV; approved exception work record(s) ${named.join(', ')} give the reason (Art. 18)`
            : `on-site action ${a.id} (${grounds.join(', ')}) requires AV recording but has no AV segment${exc.all.length ? ` (exception work record(s) ${exc.all.map((e) => e.exceptionId).join(', ')} ${named.length ? 'do not lift Art. 11 under this rule set' : 'do not cover the whole action or are not approved'})` : ''}`,
          evidence: { actionId: a.id, actionTypes, documents, exceptions: exc.all },
        }),
      );
    }
    return out;
  },
};
