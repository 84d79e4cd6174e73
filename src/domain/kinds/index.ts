import type { KindSpec } from '../spec';
import { actionEndSpec, actionStartSpec } from './action';
import {
  avExceptionApprovalSpec,
  coerciveMeasureApprovalSpec,
  disclosureApprovalSpec,
  lateDepositApprovalSpec,
  purgeApprovalSpec,
  retrievalApprovalSpec,
} from './approval';
import { exceptionSpec, obstructionSpec, segmentSpec } from './av';
import { caseArchiveSpec, caseCloseSpec, caseSpec } from './case';
import { dataSpec } from './data';
import { depositSpec } from './deposit';
import { deviceCustodySpec, deviceStatusSpec } from './device-log';
import { documentSpec } from './document';
import { agencySpec, deviceSpec, personSpec } from './organisation';
import { selfCheckSpec } from './self-check';

/** Every kind spec, in a fixed order (the order kinds are declared in a new ledger). */
export const ALL_SPECS: readonly KindSpec[] = Object.freeze([
  agencySpec,
  personSpec,
  deviceSpec,
  caseSpec,
  actionStartSpec,
  actionEndSpec,
  documentSpec,
  segmentSpec,
  dataSpec,
  exceptionSpec,
  depositSpec,
  coerciveMeasureApprovalSpec,
  avExceptionApprovalSpec,
  lateDepositApprovalSpec,
  retrievalApprovalSpec,
  disclosureApprovalSpec,
  purgeApprovalSpec,
  caseCloseSpec,
  caseArchiveSpec,
  obstructionSpec,
  deviceCustodySpec,
  deviceStatusSpec,
  selfCheckSpec,
]);

export const SPEC_BY_KIND: ReadonlyMap<string, KindSpec> = new Map(ALL_SPECS.map((s) => [s.kind, s]));
