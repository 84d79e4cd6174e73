/** Cases / matters (Art. 2), their closing and archiving (Art. 22(2)). */
import { z } from 'zod';
import { Id, IdList, LongText, Party, Text, Time, Version } from '../common';
import { KIND } from '../kind-names';
import { INDEX, type KindSpec, issue, isObj, isTime } from '../spec';

/** The five matter types of Art. 2: licensing 许可, penalty 处罚, levy 征收, coercion 强制, inspection 监督检查. */
export const MATTER_TYPES = ['licensing', 'penalty', 'levy', 'coercion', 'inspection'] as const;
export type MatterType = (typeof MATTER_TYPES)[number];

export const CaseSchema = z.strictObject({
  v: Version,
  caseId: Id,
  agencyId: Id,
  matterType: z.enum(MATTER_TYPES),
  /** Case or matter document number (案号 / 文号), e.g. `晋市卫罚〔2026〕12号`. */
  documentNumber: Text,
  title: Text,
  target: Party,
  openedAt: Time,
  /** Officers handling the case. */
  officers: IdList.optional(),
});
export type CaseBody = z.infer<typeof CaseSchema>;

export const caseSpec: KindSpec = {
  kind: KIND.case,
  roles: ['officer', 'supervisor', 'head', 'system'],
  schema: CaseSchema,
  defines: { space: 'case', field: 'caseId' },
  refs: [
    { field: 'agencyId', space: 'agency', kinds: [KIND.agency] },
    { field: 'officers', space: 'person', kinds: [KIND.person], role: 'officer' },
  ],
  eventTime: 'openedAt',
};

export const CaseCloseSchema = z.strictObject({
  v: Version,
  caseId: Id,
  closedAt: Time,
  outcome: LongText,
  /** The 结案报告, when recorded as a document. */
  closingDocumentId: Id.optional(),
});
export type CaseCloseBody = z.infer<typeof CaseCloseSchema>;

/** Issue when `at` is before the time field `field` of a referenced record. */
function notBefore(at: unknown, ref: { body: unknown } | undefined, field: string, path: string[]) {
  const t = ref && isObj(ref.body) ? ref.body[field] : undefined;
  if (isTime(at) && isTime(t) && at < t)
    return [issue('end_before_start', path, `${path[path.length - 1]} (${at}) is before ${field} (${t})`)];
  return [];
}

export const caseCloseSpec: KindSpec = {
  kind: KIND.caseClose,
  roles: ['officer', 'supervisor', 'head', 'system'],
  schema: CaseCloseSchema,
  defines: { space: 'case-close', field: 'caseId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'closingDocumentId', space: 'document', kinds: [KIND.document], sameCase: true },
  ],
  eventTime: 'closedAt',
  stateCheck: async ({ body, refs }) =>
    notBefore(body.closedAt, refs.get('caseId')?.[0]?.entry, 'openedAt', ['body', 'closedAt']),
};

/** Retention classes (DA/T 22): permanent, 30 years, 10 years. */
export const RETENTION_CLASSES = ['Y', 'D30', 'D10'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

export const CaseArchiveSchema = z.strictObject({
  v: Version,
  caseId: Id,
  archivedAt: Time,
  /** Archive file number (档号). */
  archiveNo: Text,
  retentionClass: z.enum(RETENTION_CLASSES),
  location: Text.optional(),
});
export type CaseArchiveBody = z.infer<typeof CaseArchiveSchema>;

export const caseArchiveSpec: KindSpec = {
  kind: KIND.caseArchive,
  roles: ['archivist'],
  schema: CaseArchiveSchema,
  defines: { space: 'case-archive', field: 'caseId' },
  refs: [{ field: 'caseId', space: 'case', kinds: [KIND.case] }],
  eventTime: 'archivedAt',
  stateCheck: async ({ body, ctx }) => {
    if (typeof body.caseId !== 'string') return [];
    const [closeSeq] = await ctx.lookup(INDEX.id('case-close'), body.caseId);
    if (closeSeq === undefined)
      return [
        issue(
          'case_not_closed',
          ['body', 'caseId'],
          `case ${body.caseId} must be closed before it is archived`,
        ),
      ];
    return notBefore(body.archivedAt, await ctx.get(closeSeq), 'closedAt', ['body', 'archivedAt']);
  },
};
