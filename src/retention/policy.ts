/**
 * The archive policy as data (Art. 22(3)(4), 23–26, 32–33: agencies adapt it): retention classes and periods, how AV
 * retention is counted, who may purge, and who may approve retrievals and disclosures. Identified by the SHA-256 of
 * its canonical CBOR, which every purge entry cites.
 */
import { portableSuiteById } from '../crypto/registry';
import type { HashFn } from '../crypto/types';
import { SUITE_ID } from '../ledger/registry';
import { toHex } from '../bytes';
import { encodeCanonical } from '../encoding/cbor';
import type { CborValue } from '../ledger/types';

/** Sensitivity labels (Art. 18, 26): state secret, commercial secret, personal privacy. */
export const SENSITIVITY_LABELS = ['state_secret', 'commercial_secret', 'personal_privacy'] as const;
export type SensitivityLabel = (typeof SENSITIVITY_LABELS)[number];

export interface RetentionPolicy {
  readonly name: string;
  readonly version: number;
  /**
   * Retention classes of the case file (DA/T 22): months kept, or null for permanent. Default `Y` permanent, `D30`
   * 360 months, `D10` 120 months (国家档案局令第8号).
   */
  readonly classes: { readonly [retentionClass: string]: number | null };
  /**
   * What a case file's period runs from: the archive date (`archive_date`) or the end of the archive year, i.e. the
   * period covers whole years from 1 January of the next year (`next_year`, archive practice).
   */
  readonly caseFileFrom: 'archive_date' | 'next_year';
  /** Art. 22(3): AV not used as evidence is kept at least `months`, counted from its recording or its deposit. */
  readonly av: { readonly months: number; readonly from: 'recording' | 'deposit' };
  /** Art. 22(4): document types kept under another class than the case file (type id → class). */
  readonly documentTypes: { readonly [type: string]: string };
  /** Art. 27: a purge needs the archivist's request and the head's approval, by two different people. */
  readonly purge: {
    readonly requireRequest: boolean;
    readonly requireApproval: boolean;
    readonly twoPerson: boolean;
  };
  readonly access: {
    /** Art. 24: approvers of internal retrievals (主管领导). */
    readonly internalApproverRoles: readonly string[];
    /** Art. 25: approvers of external retrievals. */
    readonly externalApproverRoles: readonly string[];
    /** Art. 26: approvers of disclosures (机构负责人). */
    readonly disclosureApproverRoles: readonly string[];
    /** Art. 26: a labelled record's approver must also hold one of these roles. */
    readonly labelApproverRoles: { readonly [label: string]: readonly string[] };
    /** Validity of an approval without `validUntil`, from its `validFrom`/`decidedAt` (ms). */
    readonly defaultValidityMs: number;
    /** Retrievals an approval without `maxUses` allows. */
    readonly defaultMaxUses: number;
  };
}

/** Defaults from REQUIREMENTS.md (Jincheng rule, 2024). */
export const DEFAULT_RETENTION_POLICY: RetentionPolicy = Object.freeze({
  name: 'jincheng-2024-retention',
  version: 1,
  classes: Object.freeze({ Y: null, D30: 360, D10: 120 }),
  caseFileFrom: 'next_year',
  av: Object.freeze({ months: 6, from: 'recording' }),
  documentTypes: Object.freeze({}),
  purge: Object.freeze({ requireRequest: true, requireApproval: true, twoPerson: true }),
  access: Object.freeze({
    internalApproverRoles: Object.freeze(['supervisor', 'head']),
    externalApproverRoles: Object.freeze(['head']),
    disclosureApproverRoles: Object.freeze(['head']),
    labelApproverRoles: Object.freeze({
      state_secret: Object.freeze(['head']),
      commercial_secret: Object.freeze(['head']),
      personal_privacy: Object.freeze(['head']),
    }),
    defaultValidityMs: 7 * 86_400_000,
    defaultMaxUses: 1,
  }),
}) as RetentionPolicy;

const isRoles = (x: unknown) => Array.isArray(x) && x.every((r) => typeof r === 'string');
const isMonths = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x > 0 && x <= 12_000;

/** Throws TypeError naming the first malformed field. */
export function validatePolicy(p: RetentionPolicy, name = 'policy'): void {
  const bad = (f: string) => {
    throw new TypeError(`${name}.${f} is malformed`);
  };
  if (!p || typeof p !== 'object') throw new TypeError(`${name} must be a RetentionPolicy`);
  if (typeof p.name !== 'string' || !p.name) bad('name');
  if (!Number.isSafeInteger(p.version)) bad('version');
  if (!p.classes || typeof p.classes !== 'object') bad('classes');
  for (const [k, v] of Object.entries(p.classes)) if (v !== null && !isMonths(v)) bad(`classes.${k}`);
  if (p.caseFileFrom !== 'archive_date' && p.caseFileFrom !== 'next_year') bad('caseFileFrom');
  if (!p.av || !isMonths(p.av.months) || (p.av.from !== 'recording' && p.av.from !== 'deposit')) bad('av');
  for (const [k, v] of Object.entries(p.documentTypes ?? bad('documentTypes')))
    if (!Object.hasOwn(p.classes, v)) bad(`documentTypes.${k}`);
  for (const k of ['requireRequest', 'requireApproval', 'twoPerson'] as const)
    if (typeof p.purge?.[k] !== 'boolean') bad(`purge.${k}`);
  const a = p.access;
  if (!a) bad('access');
  for (const k of ['internalApproverRoles', 'externalApproverRoles', 'disclosureApproverRoles'] as const)
    if (!isRoles(a[k])) bad(`access.${k}`);
  for (const [k, v] of Object.entries(a.labelApproverRoles ?? bad('access.labelApproverRoles')))
    if (!isRoles(v)) bad(`access.labelApproverRoles.${k}`);
  if (!Number.isSafeInteger(a.defaultValidityMs) || a.defaultValidityMs <= 0) bad('access.defaultValidityMs');
  if (!Number.isSafeInteger(a.defaultMaxUses) || a.defaultMaxUses < 1) bad('access.defaultMaxUses');
}

/**
 * Hex hash of the policy's canonical CBOR under the ledger's suite (SHA-256 or SM3; default the `ed25519-sha256`
 * suite's): what a purge entry cites.
 */
export function policyHash(p: RetentionPolicy, hash: HashFn = portableSuiteById(SUITE_ID).hash): string {
  validatePolicy(p);
  return toHex(hash(encodeCanonical(p as unknown as CborValue)));
}
