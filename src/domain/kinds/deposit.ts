/** Deposit of an action's records into storage (Art. 22(1)): within 2 working days of the on-site end or return. */
import { z } from 'zod';
import { Id, Time, Version } from '../common';
import { KIND } from '../kind-names';
import { INDEX, type KindSpec, issue, isTime } from '../spec';
import type { ActionEndBody } from './action';

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
  /** The archivist receiving the records (the handling officer may not keep them). */
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
  stateCheck: async ({ body, ctx }) => {
    if (typeof body.actionId !== 'string') return [];
    const [endSeq] = await ctx.lookup(INDEX.id('action-end'), body.actionId);
    if (endSeq === undefined)
      return [
        issue('action_not_ended', ['body', 'actionId'], `action ${body.actionId} has no end record yet`),
      ];
    const end = (await ctx.get(endSeq)).body as ActionEndBody;
    const expected = body.basis === 'return' ? end.returnedAt : end.endedAt;
    if (body.basis === 'return' && expected === undefined)
      return [
        issue('reference_mismatch', ['body', 'basis'], 'the action was not remote: use basis on_site_end'),
      ];
    if (isTime(body.basisAt) && expected !== undefined && body.basisAt !== expected)
      return [
        issue(
          'reference_mismatch',
          ['body', 'basisAt'],
          `basisAt must equal the action end's ${body.basis} time ${expected}`,
        ),
      ];
    return [];
  },
};
