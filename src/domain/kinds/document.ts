/** Enforcement documents 执法文书 (Art. 3, 8, 9): type from the registry, officers, times, signatures, content. */
import { z } from 'zod';
import { Id, IdList, KeyFields, LongText, Text, Time, Version } from '../common';
import { KIND } from '../kind-names';
import { isRecordKind, refBody } from '../bodies';
import { INDEX, type KindSpec, endAfterStart, issue, requiredWhen } from '../spec';

export const PARTY_SIGNATURE = ['signed', 'refused', 'absent', 'not_applicable'] as const;

export const SignaturesSchema = z.strictObject({
  /** Every officer named has signed. */
  officers: z.boolean(),
  /** The party signed, refused to sign (noted on the document), was absent, or no party signature is needed. */
  party: z.enum(PARTY_SIGNATURE),
  witness: z.boolean().optional(),
  /** Agency seal affixed (decisions, notices). */
  seal: z.boolean().optional(),
});

export const DocumentSchema = z.strictObject({
  v: Version,
  documentId: Id,
  caseId: Id,
  /** The on-site action the document records, if any. */
  actionId: Id.optional(),
  /** Stable document type id from the registry, e.g. `PENALTY_DECISION` (names and aliases are resolved on input). */
  type: Text,
  /** Document number (文书编号), when the type has one. */
  number: Text.optional(),
  title: Text.optional(),
  officers: IdList,
  /** When the document was started (笔录) or issued (决定书, 告知书). */
  startedAt: Time,
  endedAt: Time.optional(),
  signatures: SignaturesSchema,
  /** Key fields the document carries (party, amount, decision number…), compared with electronic data (Art. 8). */
  fields: KeyFields.optional(),
  /** Media type and name of each attached file, in the order of the entry's `content` refs. */
  files: z
    .array(z.strictObject({ mediaType: Text, name: Text.optional() }))
    .max(64)
    .optional(),
  /**
   * Documents this one records the service of (Art. 15(3)): a 送达回执 or a 公告 naming the notices and decisions it
   * served. The service method is the action the record belongs to (直接送达, 留置送达, 公告送达…).
   */
  serves: IdList.optional(),
  /** The document this one corrects; both stay in the log (records are never edited). */
  supersedes: Id.optional(),
  correctionReason: LongText.optional(),
});
export type DocumentBody = z.infer<typeof DocumentSchema>;

export const documentSpec: KindSpec = {
  kind: KIND.document,
  roles: ['officer', 'supervisor', 'head', 'system'],
  schema: DocumentSchema,
  defines: { space: 'document', field: 'documentId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true },
    { field: 'officers', space: 'person', kinds: [KIND.person], role: 'officer' },
    { field: 'supersedes', space: 'document', kinds: [KIND.document], sameCase: true },
    { field: 'serves', space: 'document', kinds: [KIND.document], sameCase: true },
  ],
  eventTime: 'startedAt',
  crossCheck: (b, registry) => {
    const out = endAfterStart(b, 'startedAt', 'endedAt');
    if (typeof b.type === 'string' && b.type.length > 0 && !registry.has(b.type)) {
      const id = registry.resolve(b.type);
      out.push(
        issue(
          'unknown_document_type',
          ['type'],
          id ? `store the stable id ${id}, not the name ${b.type}` : `unknown document type ${b.type}`,
        ),
      );
    }
    if (b.supersedes !== undefined)
      out.push(...requiredWhen(b, 'correctionReason', true, 'when a document supersedes another'));
    if (b.supersedes === undefined && b.correctionReason !== undefined)
      out.push(issue('unexpected_field', ['correctionReason'], 'correctionReason needs supersedes'));
    return out;
  },
  stateCheck: ({ entry, body, ctx, refs }) => {
    const out = [];
    if (Array.isArray(body.files) && body.files.length !== entry.content.length)
      out.push(
        issue(
          'content_mismatch',
          ['body', 'files'],
          `files lists ${body.files.length} file(s) but the entry commits ${entry.content.length}`,
        ),
      );
    const prev = refs.get('supersedes')?.[0];
    const p = refBody(refs, 'supersedes', KIND.document);
    if (!prev || !p) return out;
    if (p.type !== body.type)
      out.push(
        issue(
          'reference_mismatch',
          ['body', 'supersedes'],
          `a ${String(body.type)} cannot supersede a ${p.type}`,
        ),
      );
    // Only a correction reads the log here: whether the document it supersedes was superseded already.
    return (async () => {
      for (const seq of await ctx.lookup(INDEX.ref('document'), prev.id)) {
        const other = await ctx.get(seq);
        if (isRecordKind(other, KIND.document) && other.body.supersedes === prev.id) {
          out.push(
            issue(
              'already_superseded',
              ['body', 'supersedes'],
              `document ${prev.id} was already superseded by ${String(other.body.documentId)} (seq ${seq})`,
            ),
          );
          break;
        }
      }
      return out;
    })();
  },
};
