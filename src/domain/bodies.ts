/** Body type of each kind, by kind name (type level; each body is inferred from its kind's zod schema). */
import { type StoredEntry, kindGuard } from '../ledger/types';
import type { KIND } from './kind-names';
import type { ActionEndBody, ActionStartBody } from './kinds/action';
import type {
  AvExceptionApprovalBody,
  CoerciveMeasureApprovalBody,
  DisclosureApprovalBody,
  LateDepositApprovalBody,
  PurgeApprovalBody,
  RetrievalApprovalBody,
} from './kinds/approval';
import type { ExceptionBody, ObstructionBody, SegmentBody } from './kinds/av';
import type { CaseArchiveBody, CaseBody, CaseCloseBody } from './kinds/case';
import type { DataBody } from './kinds/data';
import type { DepositBody } from './kinds/deposit';
import type { DeviceCustodyBody, DeviceStatusBody } from './kinds/device-log';
import type { DocumentBody } from './kinds/document';
import type { SelfCheckBody } from './kinds/self-check';
import type { AgencyBody, DeviceBody, PersonBody } from './kinds/organisation';

export interface BodyByKind {
  [KIND.agency]: AgencyBody;
  [KIND.person]: PersonBody;
  [KIND.device]: DeviceBody;
  [KIND.case]: CaseBody;
  [KIND.caseClose]: CaseCloseBody;
  [KIND.caseArchive]: CaseArchiveBody;
  [KIND.actionStart]: ActionStartBody;
  [KIND.actionEnd]: ActionEndBody;
  [KIND.document]: DocumentBody;
  [KIND.segment]: SegmentBody;
  [KIND.data]: DataBody;
  [KIND.exception]: ExceptionBody;
  [KIND.deposit]: DepositBody;
  [KIND.approvalCoerciveMeasure]: CoerciveMeasureApprovalBody;
  [KIND.approvalAvException]: AvExceptionApprovalBody;
  [KIND.approvalLateDeposit]: LateDepositApprovalBody;
  [KIND.approvalRetrieval]: RetrievalApprovalBody;
  [KIND.approvalDisclosure]: DisclosureApprovalBody;
  [KIND.approvalPurge]: PurgeApprovalBody;
  [KIND.obstruction]: ObstructionBody;
  [KIND.deviceCustody]: DeviceCustodyBody;
  [KIND.deviceStatus]: DeviceStatusBody;
  [KIND.selfCheck]: SelfCheckBody;
}

export type BodyOf<K extends keyof BodyByKind> = BodyByKind[K];
export type EnforcementRecordBody = BodyByKind[keyof BodyByKind];

/** Narrows an entry to an enforcement kind: `if (isRecordKind(e, KIND.case)) e.body.caseId`. */
export const isRecordKind = kindGuard<BodyByKind>();

/** The body of the first record that `field` resolved to (see RefSpec), when it is of `kind`. */
export function refBody<K extends keyof BodyByKind>(
  refs: ReadonlyMap<string, readonly { readonly entry: StoredEntry }[]>,
  field: string,
  kind: K,
): BodyByKind[K] | undefined {
  const e = refs.get(field)?.[0]?.entry;
  return e && isRecordKind(e, kind) ? e.body : undefined;
}
