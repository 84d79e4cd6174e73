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
import { documentSpec } from './document';
import { agencySpec, deviceSpec, personSpec } from './organisation';

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
]);

export const SPEC_BY_KIND: ReadonlyMap<string, KindSpec> = new Map(ALL_SPECS.map((s) => [s.kind, s]));
