/**
 * Art. 13: "音像记录应当包括执法时间、执法人员、执法对象以及执法内容，重点摄录……（二）……要拍摄执法人员表明身份、主动出示执法证件、
 * 告知当事人权利义务、当事人对执法文书签字确认等过程……音像记录反映的执法过程起止时间应当与相应文书记载的起止时间一致". When the
 * rule set lists required key moments, the segments of a mandatory-AV action (Art. 11, 16) must mark each of them.
 * AV shows the time, the officers and the action; the start and end of the AV must equal those recorded in
 * the corresponding document. Checks each segment's device, officer and times against its action, and the AV span of
 * an action against each document of a configured type recording that action (within a tolerance).
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import { chinaDateTime, formatDuration } from '../civil-date';
import type { Finding } from '../finding';
import { coerciveGrounds, mandatoryAvGrounds } from '../measures';
import { type Rule, type RuleContext, finding } from '../rule';
import { durationZh, keyMomentZh, segmentFieldZh } from '../words';

const META = { id: 'art13-av-metadata', article: '13', liability: '30(1)' } as const;
const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0;

export const art13AvMetadata: Rule = {
  ...META,
  check(view: CaseView, ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const idx = indexCase(view);
    const tol = ctx.settings.avSpanToleranceMs;
    for (const a of idx.actions) {
      const officers = a.start.body.officers;
      const from = a.start.body.startedAt;
      const to = a.end?.body.endedAt;
      for (const s of a.segments) {
        const b = s.body;
        const missing = [
          ...(isId(b.deviceId) ? [] : ['deviceId']),
          ...(isId(b.officerId) ? [] : ['officerId']),
          ...(isTime(b.startedAt) ? [] : ['startedAt']),
          ...(isTime(b.endedAt) && b.endedAt >= b.startedAt ? [] : ['endedAt']),
        ];
        if (missing.length) {
          out.push(
            finding(META, {
              code: 'segment_metadata',
              severity: 'violation',
              seqs: [s.seq],
              zh: `音像记录片段 ${b.segmentId} 缺少或有误：${missing.map(segmentFieldZh).join('、')}`,
              en: `AV segment ${b.segmentId} lacks or has invalid: ${missing.join(', ')}`,
              evidence: { segmentId: b.segmentId, fields: missing },
            }),
          );
          continue;
        }
        if (!officers.includes(b.officerId))
          out.push(
            finding(META, {
              code: 'segment_officer_not_on_action',
              severity: 'violation',
              seqs: [a.start.seq, s.seq],
              zh: `音像记录片段 ${b.segmentId} 的执法人员 ${b.officerId} 不在现场执法行为 ${a.id} 的人员中`,
              en: `AV segment ${b.segmentId} names officer ${b.officerId}, who is not on action ${a.id}`,
              evidence: { segmentId: b.segmentId, actionId: a.id, officerId: b.officerId },
            }),
          );
        if (b.startedAt < from - tol || (to !== undefined && b.endedAt > to + tol))
          out.push(
            finding(META, {
              code: 'segment_outside_action',
              severity: 'violation',
              seqs: [a.start.seq, ...(a.end ? [a.end.seq] : []), s.seq],
              zh: `音像记录片段 ${b.segmentId}（${chinaDateTime(b.startedAt)}–${chinaDateTime(b.endedAt)}）超出现场执法行为 ${a.id} 的起止时间`,
              en: `AV segment ${b.segmentId} (${chinaDateTime(b.startedAt)}–${chinaDateTime(b.endedAt)}) falls outside action ${a.id}`,
              evidence: {
                segmentId: b.segmentId,
                actionId: a.id,
                startedAt: b.startedAt,
                endedAt: b.endedAt,
              },
            }),
          );
      }
      if (a.segments.length === 0) continue;
      const required = ctx.settings.requiredKeyMoments;
      if (
        required.length > 0 &&
        (mandatoryAvGrounds(a, ctx.settings).length > 0 || coerciveGrounds(a, view, ctx.settings).length > 0)
      ) {
        const marked = new Set(
          a.segments.flatMap((g) => (g.body.marks ?? []).map((m) => m.moment as string)),
        );
        const unmarked = required.filter((m) => !marked.has(m));
        if (unmarked.length)
          out.push(
            finding(META, {
              article: '13(2)',
              code: 'key_moment_unmarked',
              severity: 'warning',
              seqs: [a.start.seq, ...a.segments.map((g) => g.seq)],
              zh: `现场执法行为 ${a.id} 的音像记录未标记重点摄录内容：${unmarked.map(keyMomentZh).join('、')}`,
              en: `the AV of action ${a.id} marks no ${unmarked.join(', ')} (key moments Art. 13 asks to record)`,
              evidence: { actionId: a.id, unmarked, required: [...required] },
            }),
          );
      }
      let avStart = Number.POSITIVE_INFINITY;
      let avEnd = Number.NEGATIVE_INFINITY;
      for (const s of a.segments) {
        avStart = Math.min(avStart, s.body.startedAt);
        avEnd = Math.max(avEnd, s.body.endedAt);
      }
      for (const d of a.documents) {
        const b = d.body;
        if (b.endedAt === undefined || !ctx.settings.avSpanDocumentTypes.includes(b.type)) continue;
        if (!idx.currentDocuments.includes(d)) continue;
        const startDiff = Math.abs(avStart - b.startedAt);
        const endDiff = Math.abs(avEnd - b.endedAt);
        if (startDiff <= tol && endDiff <= tol) continue;
        out.push(
          finding(META, {
            code: 'span_mismatch',
            severity: 'violation',
            seqs: [d.seq, ...a.segments.map((s) => s.seq)],
            zh: `文书 ${b.documentId} 记载的起止时间（${chinaDateTime(b.startedAt)}–${chinaDateTime(b.endedAt)}）与音像记录（${chinaDateTime(avStart)}–${chinaDateTime(avEnd)}）相差超过 ${durationZh(tol)}`,
            en: `document ${b.documentId} (${chinaDateTime(b.startedAt)}–${chinaDateTime(b.endedAt)}) and the AV of action ${a.id} (${chinaDateTime(avStart)}–${chinaDateTime(avEnd)}) differ by more than ${formatDuration(tol)}`,
            evidence: {
              documentId: b.documentId,
              actionId: a.id,
              documentStart: b.startedAt,
              documentEnd: b.endedAt,
              avStart,
              avEnd,
              toleranceMs: tol,
            },
          }),
        );
      }
    }
    return out;
  },
};
