/**
 * Art. 31: "当事人及现场其他人员以暴力、胁迫等方法妨碍、阻挠卫生健康行政执法机构及其执法人员进行文字、音像记录的，移交公安机关
 * 处理". An obstruction record with no handover to the public security organ is a violation; one marked as handed over
 * but naming neither the organ, nor the time, nor a report number or handover letter is a warning (the handover is
 * asserted, not recorded). Art. 30 lists no item for this duty (`none`).
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import type { Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

const META = { id: 'art31-obstruction', article: '31', liability: 'none' } as const;

export const art31Obstruction: Rule = {
  ...META,
  check(view: CaseView, _ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const o of indexCase(view).obstructions) {
      const b = o.body;
      if (b.reportedToPolice !== true)
        out.push(
          finding(META, {
            code: 'not_handed_over',
            severity: 'violation',
            seqs: [o.seq],
            zh: `妨碍执法记录的情形 ${b.obstructionId} 未移交公安机关处理`,
            en: `obstruction ${b.obstructionId} of the recording was not handed over to the public security organ`,
            evidence: { obstructionId: b.obstructionId },
          }),
        );
      else if (
        b.policeOrgan === undefined &&
        b.handedOverAt === undefined &&
        b.policeReportNo === undefined &&
        b.handoverDocumentId === undefined
      )
        out.push(
          finding(META, {
            code: 'handover_unrecorded',
            severity: 'warning',
            seqs: [o.seq],
            zh: `妨碍执法记录的情形 ${b.obstructionId} 标明已移交公安机关，但未记载接收机关、时间、回执编号或移交函`,
            en: `obstruction ${b.obstructionId} is marked as handed over but names no police organ, time, report number or letter`,
            evidence: { obstructionId: b.obstructionId },
          }),
        );
    }
    return out;
  },
};
