/** Deposit of an action's records into storage (Art. 22(1)): within 2 working days of the on-site end or return. */
import { z } from 'zod';
import { Id, Time, Version } from '../common';
import { KIND } from '../kind-names';
import type { Issue } from '../../errors';
import { INDEX, type KindSpec, type Resolved, issue, isTime } from '../spec';
import { isRecordKind, refBody } from '../bodies';

const Ids = z
  .array(Id)
  .max(4096)
  .refine((a) => new Set(a).size === a.length, {
    message: 'must not repeat',
    params: { code: 'duplicate_item' },
  });

export const DepositSchema = z.strictObject({
  v: Version,
  depositId: Id,
  caseId: Id,
  actionId: Id,
  depositedAt: Time,
  /** What the deadline runs from: the end of the on-site action, or the return from remote work. */
  basis: z.enum(['on_site_end', 'return']),
  /** The time named by `basis` (equal to the action end's `endedAt` or `returnedAt`). */
  basisAt: Time,
  documentIds: Ids.optional(),
  segmentIds: Ids.optional(),
  dataIds: Ids.optional(),
  /** Approval of a late deposit (延期移交批准), when the deadline is missed. */
  lateApprovalId: Id.optional(),
  /**
   * The designated records person receiving the records (Art. 21 专门人员; Art. 22(1) 不得由经办人员自行保存): a person
   * with the archivist role who is not one of the action's officers. When omitted, the signer is the custodian.
   */
  custodianId: Id.optional(),
});
export type DepositBody = z.infer<typeof DepositSchema>;

export const depositSpec: KindSpec = {
  kind: KIND.deposit,
  roles: ['officer', 'archivist', 'system'],
  schema: DepositSchema,
  defines: { space: 'deposit', field: 'depositId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true },
    { field: 'documentIds', space: 'document', kinds: [KIND.document], sameCase: true },
    { field: 'segmentIds', space: 'segment', kinds: [KIND.segment], sameCase: true },
    { field: 'dataIds', space: 'data', kinds: [KIND.data], sameCase: true },
    { field: 'lateApprovalId', space: 'approval', kinds: [KIND.approvalLateDeposit], sameCase: true },
    { field: 'custodianId', space: 'person', kinds: [KIND.person], role: 'archivist' },
  ],
  eventTime: 'depositedAt',
  crossCheck: (b) =>
    isTime(b.depositedAt) && isTime(b.basisAt) && b.depositedAt < b.basisAt
      ? [issue('end_before_start', ['depositedAt'], 'depositedAt is before basisAt')]
      : [],
  stateCheck: async ({ body, ctx, refs, principal }) => {
    if (typeof body.actionId !== 'string') return [];
    const out = custodianIssues(body, refs, principal);
    const [endSeq] = await ctx.lookup(INDEX.id('action-end'), body.actionId);
    if (endSeq === undefined)
      return [
        ...out,
        issue('action_not_ended', ['body', 'actionId'], `action ${body.actionId} has no end record yet`),
      ];
    const endEntry = await ctx.get(endSeq);
    if (!isRecordKind(endEntry, KIND.actionEnd)) return out; // the id index names only action ends
    const end = endEntry.body;
    const expected = body.basis === 'return' ? end.returnedAt : end.endedAt;
    if (body.basis === 'return' && expected === undefined)
      out.push(
        issue('reference_mismatch', ['body', 'basis'], 'the action was not remote: use basis on_site_end'),
      );
    else if (isTime(body.basisAt) && expected !== undefined && body.basisAt !== expected)
      out.push(
        issue(
          'reference_mismatch',
          ['body', 'basisAt'],
          `basisAt must equal the action end's ${body.basis} time ${expected}`,
        ),
      );
    return out;
  },
};

/**
 * Art. 22(1) 不得由经办人员自行保存: the custodian (custodianId, or the signer when it is omitted) must not be one of the
 * officers of the action whose records are deposited. Code `custodian_is_officer`.
 */
function custodianIssues(
  body: Record<string, unknown>,
  refs: ReadonlyMap<string, readonly Resolved[]>,
  principal: string,
): Issue[] {
  const start = refBody(refs, 'actionId', KIND.actionStart);
  if (!start || !Array.isArray(start.officers)) return [];
  const given = typeof body.custodianId === 'string';
  const custodian = given ? (body.custodianId as string) : principal;
  if (!start.officers.includes(custodian)) return [];
  return [
    issue(
      'custodian_is_officer',
      given ? ['body', 'custodianId'] : ['signer'],
      `${custodian} is an officer of action ${start.actionId}: the handling officers may not keep its records (Art. 22(1)); the designated records person receives them`,
    ),
  ];
}
