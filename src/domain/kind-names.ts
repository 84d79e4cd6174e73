/** Kind names of the enforcement record kinds (`enf/<name>`), stable across versions of the body schemas. */
export const KIND = {
  agency: 'enf/agency',
  person: 'enf/person',
  device: 'enf/device',
  case: 'enf/case',
  caseClose: 'enf/case.close',
  caseArchive: 'enf/case.archive',
  actionStart: 'enf/action.start',
  actionEnd: 'enf/action.end',
  document: 'enf/document',
  segment: 'enf/segment',
  data: 'enf/data',
  exception: 'enf/exception',
  deposit: 'enf/deposit',
  approvalCoerciveMeasure: 'enf/approval.coercive-measure',
  approvalAvException: 'enf/approval.av-exception',
  approvalLateDeposit: 'enf/approval.late-deposit',
  approvalRetrieval: 'enf/approval.retrieval',
  approvalDisclosure: 'enf/approval.disclosure',
  approvalPurge: 'enf/approval.purge',
  obstruction: 'enf/obstruction',
  deviceCustody: 'enf/device.custody',
  deviceStatus: 'enf/device.status',
  selfCheck: 'enf/self-check',
} as const;

export type KindName = (typeof KIND)[keyof typeof KIND];

/** Approval subjects and their kinds: one kind per subject so the required role is checkable from the log alone. */
export const APPROVAL_KIND = {
  coercive_measure: KIND.approvalCoerciveMeasure,
  av_exception: KIND.approvalAvException,
  late_deposit: KIND.approvalLateDeposit,
  retrieval: KIND.approvalRetrieval,
  disclosure: KIND.approvalDisclosure,
  purge: KIND.approvalPurge,
} as const;
export type ApprovalSubject = keyof typeof APPROVAL_KIND;
export const APPROVAL_KINDS: readonly string[] = Object.values(APPROVAL_KIND);
