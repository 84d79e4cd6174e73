/**
 * Art. 8 (end): "电子数据填报内容应当与执法文书相一致". Electronic data agrees with the document it reflects. Each key field of a data record is compared
 * with the same field of the document it names; a different value is a violation, a field the document does not
 * carry cannot be checked (a warning), and a document missing from the case is a violation.
 */
import type { CaseView } from '../case-view';
import { indexCase } from '../case-index';
import type { EvidenceValue, Finding } from '../finding';
import { type Rule, type RuleContext, finding } from '../rule';

// A disagreement is not by itself 伪造、篡改 (Art. 30(4) needs 故意); Art. 30 lists no item for an inaccurate entry.
const META = { id: 'art08-data-consistency', article: '8', liability: 'none' } as const;

export const art08DataConsistency: Rule = {
  ...META,
  check(view: CaseView, _ctx: RuleContext): Finding[] {
    const idx = indexCase(view);
    const out: Finding[] = [];
    for (const r of idx.data) {
      const { dataId, documentId, fields } = r.body;
      const doc = idx.documentById.get(documentId);
      if (!doc) {
        out.push(
          finding(META, {
            code: 'document_missing',
            severity: 'violation',
            liability: '30(1)',
            seqs: [r.seq],
            zh: `电子数据 ${dataId} 所对应的文书 ${documentId} 不在案件记录中`,
            en: `electronic data ${dataId} reflects document ${documentId}, which is not in the case records`,
            evidence: { dataId, documentId },
          }),
        );
        continue;
      }
      const docFields = doc.body.fields ?? {};
      const keys = Object.keys(fields).sort();
      const mismatched: Array<{ [k: string]: EvidenceValue }> = [];
      const unchecked: string[] = [];
      for (const k of keys) {
        if (!Object.hasOwn(docFields, k)) unchecked.push(k);
        else if (docFields[k] !== fields[k])
          mismatched.push({ field: k, data: fields[k]!, document: docFields[k]! });
      }
      if (mismatched.length)
        out.push(
          finding(META, {
            code: 'field_mismatch',
            severity: 'violation',
            seqs: [doc.seq, r.seq],
            zh: `电子数据 ${dataId} 与文书 ${documentId} 不一致：${mismatched.map((m) => m.field).join('、')}`,
            en: `electronic data ${dataId} disagrees with document ${documentId} on ${mismatched.map((m) => m.field).join(', ')}`,
            evidence: { dataId, documentId, fields: mismatched },
          }),
        );
      if (unchecked.length)
        out.push(
          finding(META, {
            code: 'field_unverifiable',
            severity: 'warning',
            seqs: [doc.seq, r.seq],
            zh: `电子数据 ${dataId} 的字段 ${unchecked.join('、')} 在文书 ${documentId} 中没有记载，无法核对`,
            en: `fields ${unchecked.join(', ')} of electronic data ${dataId} are not on document ${documentId} and cannot be checked`,
            evidence: { dataId, documentId, fields: unchecked },
          }),
        );
    }
    return out;
  },
};
