/**
 * Periodic self-checks (Art. 28): "各级卫生健康行政执法机构应当定期对本级全过程记录制度和设备设施管理情况进行检查，发现问题应当及时
 * 纠正". A self-check is itself a record: the period and scope checked, who checked, the digests of the verification
 * and compliance reports it relied on, what it found and what was corrected; signed by a supervisor or the records
 * person.
 */
import { z } from 'zod';
import { Digest, Id, IdList, LongText, Text, Time, Version } from '../common';
import { KIND } from '../kind-names';
import { type KindSpec, endAfterStart } from '../spec';

export const SelfCheckSchema = z.strictObject({
  v: Version,
  selfCheckId: Id,
  agencyId: Id,
  /** The period checked, [periodFrom, periodTo] (ms). */
  periodFrom: Time,
  periodTo: Time,
  /** What was checked, e.g. `全过程记录制度`, `设备设施管理`, `案件 JC-2026-PEN-0001`. */
  scope: z.array(Text).min(1).max(64),
  checkedBy: IdList,
  checkedAt: Time,
  /** SHA-256 of the verification report and of the compliance report the check relied on. */
  verifyReportDigest: Digest,
  complianceReportDigest: Digest,
  /** Counts of what the reports and the checkers found. */
  findings: z.strictObject({ violations: z.int().min(0), warnings: z.int().min(0) }),
  summary: LongText.optional(),
  /** Corrections made or ordered (发现问题应当及时纠正). */
  corrections: LongText.optional(),
});
export type SelfCheckBody = z.infer<typeof SelfCheckSchema>;

export const selfCheckSpec: KindSpec = {
  kind: KIND.selfCheck,
  roles: ['supervisor', 'archivist', 'head'],
  schema: SelfCheckSchema,
  defines: { space: 'self-check', field: 'selfCheckId' },
  refs: [
    { field: 'agencyId', space: 'agency', kinds: [KIND.agency] },
    { field: 'checkedBy', space: 'person', kinds: [KIND.person] },
  ],
  eventTime: 'periodFrom',
  crossCheck: (b) => [
    ...endAfterStart(b, 'periodFrom', 'periodTo'),
    ...endAfterStart(b, 'periodTo', 'checkedAt'),
  ],
};
