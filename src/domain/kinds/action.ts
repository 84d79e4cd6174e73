/** On-site actions: arrival (start) and end, with action types (Art. 11, 12), officers, target, place. */
import { z } from 'zod';
import { ACTION_TYPES } from '../action-types';
import { Id, IdList, Party, Text, Time, Version } from '../common';
import { KIND } from '../kind-names';
import { refBody } from '../bodies';
import { type KindSpec, issue, isTime } from '../spec';

export const ActionStartSchema = z.strictObject({
  v: Version,
  actionId: Id,
  caseId: Id,
  /** Every situation the action falls under (Art. 11 mandatory AV, Art. 12 AV as required, ordinary). */
  actionTypes: z
    .array(z.enum(ACTION_TYPES))
    .min(1)
    .refine((a) => new Set(a).size === a.length, {
      message: 'must not repeat',
      params: { code: 'duplicate_item' },
    }),
  /** Officers present (Art. 9; 行政处罚法 Art. 42 asks for at least two — a compliance rule, not a schema rule). */
  officers: IdList,
  target: Party,
  location: Text,
  /** Arrival on site: AV is continuous from here to the end (Art. 17). */
  startedAt: Time,
  /** Work away from the office (异地): the deposit deadline runs from the return date (Art. 22(1)). */
  remote: z.boolean().optional(),
});
export type ActionStartBody = z.infer<typeof ActionStartSchema>;

export const actionStartSpec: KindSpec = {
  kind: KIND.actionStart,
  roles: ['officer', 'system'],
  schema: ActionStartSchema,
  defines: { space: 'action', field: 'actionId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'officers', space: 'person', kinds: [KIND.person], role: 'officer' },
  ],
  eventTime: 'startedAt',
};

export const ActionEndSchema = z.strictObject({
  v: Version,
  actionId: Id,
  caseId: Id,
  endedAt: Time,
  /** Return from remote work (required when the action was started with `remote: true`). */
  returnedAt: Time.optional(),
});
export type ActionEndBody = z.infer<typeof ActionEndSchema>;

export const actionEndSpec: KindSpec = {
  kind: KIND.actionEnd,
  roles: ['officer', 'system'],
  schema: ActionEndSchema,
  defines: { space: 'action-end', field: 'actionId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true },
  ],
  eventTime: 'endedAt',
  crossCheck: (b) =>
    isTime(b.endedAt) && isTime(b.returnedAt) && b.returnedAt < b.endedAt
      ? [issue('end_before_start', ['returnedAt'], 'returnedAt is before endedAt')]
      : [],
  stateCheck: async ({ body, refs }) => {
    const start = refBody(refs, 'actionId', KIND.actionStart);
    if (!start) return [];
    const out = [];
    if (isTime(body.endedAt) && body.endedAt < start.startedAt)
      out.push(
        issue(
          'end_before_start',
          ['body', 'endedAt'],
          `endedAt is before the action's startedAt (${start.startedAt})`,
        ),
      );
    if (start.remote === true && body.returnedAt === undefined)
      out.push(
        issue('required', ['body', 'returnedAt'], 'returnedAt is required for a remote action (Art. 22(1))'),
      );
    if (start.remote !== true && body.returnedAt !== undefined)
      out.push(
        issue(
          'not_remote',
          ['body', 'returnedAt'],
          'returnedAt is only for actions started with remote: true',
        ),
      );
    return out;
  },
};
