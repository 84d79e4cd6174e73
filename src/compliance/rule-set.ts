/**
 * Rule sets are data (Art. 32–33: counties write their own variants): which rules apply and their settings. A rule
 * set is identified by name, version and the SHA-256 of its canonical CBOR, so a report proves which rules it ran.
 * Every value is canonical-CBOR-friendly: integers, strings, booleans, lists, maps, null for "unset".
 */
import { portableSuiteById } from '../crypto/registry';
import { SUITE_ID } from '../ledger/registry';
import { toHex } from '../bytes';
import type { HashFn } from '../crypto/types';
import { encodeCanonical } from '../encoding';
import type { CborValue } from '../encoding/cbor';
import { ValidationError } from '../errors';
import { parseCivilDate } from './civil-date';
import type { Issue } from '../errors';
import { isNat } from '../guards';

/** The hash of the default suite (`ed25519-sha256`: SHA-256); callers pass the ledger suite's. */
const defaultHash: HashFn = (b) => portableSuiteById(SUITE_ID).hash(b);

/** A condition on the case: an on-site action of one of these types, or a document of one of these types. */
export type RequirementTrigger =
  | { readonly actionTypes: readonly string[] }
  | { readonly documents: readonly string[] }
  | { readonly closed: true };

/** At least one document of `anyOf` must be in the case once `when` holds (Art. 14–16). */
export interface DocumentRequirement {
  /** Article the requirement comes from, e.g. `15`. */
  readonly article: string;
  readonly anyOf: readonly string[];
  readonly when: RequirementTrigger;
  /** The requirement is lifted when the case holds a document of one of these types (e.g. an on-the-spot penalty). */
  readonly unless?: readonly string[];
}

/** A document of type `after` must be preceded by one of type `before` (by issue time, then log order). */
export interface DocumentOrder {
  readonly article: string;
  readonly before: string;
  readonly after: string;
}

export interface RuleSettings {
  /** Art. 9; 行政处罚法 Art. 42: officers on site. */
  readonly minOfficersOnSite: number;
  /** Art. 11: action types for which AV is mandatory. */
  readonly mandatoryAvActionTypes: readonly string[];
  /** Art. 11(1)–(2): documents whose presence in an action makes it a sealing or seizure (查封、扣押决定书). */
  readonly mandatoryAvDocumentTypes: readonly string[];
  /**
   * Art. 13(2), 13(4): key moments (表明身份, 出示证件, 告知权利义务…) that the segments of a mandatory-AV action must
   * mark. Empty: marks are stored when supplied but not required.
   */
  readonly requiredKeyMoments: readonly string[];
  /** Art. 12: action types for which AV is expected as circumstances require. */
  readonly asRequiredAvActionTypes: readonly string[];
  /** Art. 13: largest difference between an AV span and the span of the document recording the same action. */
  readonly avSpanToleranceMs: number;
  /** Art. 13: document types whose start and end must match the action's AV span. */
  readonly avSpanDocumentTypes: readonly string[];
  /** Art. 17: largest pause between arrival, segments and end that is not a gap. */
  readonly avGapToleranceMs: number;
  /** Art. 18: reasons that may excuse stopping AV. */
  readonly exceptionReasons: readonly string[];
  /** Art. 18: roles of the approver of an AV exception (主要负责人). */
  readonly exceptionApproverRoles: readonly string[];
  /**
   * Art. 18 against Arts. 11 and 16(2): when approved exception work records cover a whole mandatory-AV action, true
   * reports it as `info` (the exception is lawful: 可以停止使用音像记录), false keeps the `missing_av` violation. Either
   * way the finding names the exceptions.
   */
  readonly exceptionExcusesMandatoryAv: boolean;
  /** Art. 22(1): working days to deposit records after the on-site end (or the return). */
  readonly depositWorkingDays: number;
  /** Art. 21, 22(1): roles of a custodian receiving a deposit (专门人员; an information system). */
  readonly depositCustodianRoles: readonly string[];
  /** Art. 22(1): roles that may approve a late deposit (机构主管领导). */
  readonly lateDepositApproverRoles: readonly string[];
  /** Art. 22(2): working days after closing to archive the case file; null: archiving is due at once. */
  readonly archiveWorkingDays: number | null;
  /** Art. 14–16: required documents by matter type; `all` applies to every case. */
  readonly documents: { readonly [matterType: string]: readonly DocumentRequirement[] };
  /** Art. 15: documents that must precede others. */
  readonly documentOrder: readonly DocumentOrder[];
  /** Art. 15(3), 12(4): service of notices and decisions. */
  readonly service: {
    /** Served before the first decision is issued (事先告知书, 听证通知书). */
    readonly beforeDecision: readonly string[];
    /** The decision documents that notices must precede in service. */
    readonly decisionTypes: readonly string[];
    /** Served by the time the case closes (处罚决定书, 催告书). */
    readonly byClose: readonly string[];
    /** Documents recording a service, naming what they serve (送达回执, 公告). */
    readonly receiptTypes: readonly string[];
    /** Service methods that Art. 12(4) records on AV (留置送达, 公告送达). */
    readonly avActionTypes: readonly string[];
    /** Severity of such a service without AV (Art. 12: 根据实际情况 — a warning). */
    readonly avSeverity: 'warning' | 'violation';
  };
  /**
   * Art. 28 定期检查: how often the agency checks itself (a self-check record must cover each complete period), and
   * who may sign one. `null` cadence: not checked. The text says only 定期.
   */
  readonly selfCheck: {
    readonly cadence: 'month' | 'quarter' | 'half_year' | 'year' | null;
    readonly signerRoles: readonly string[];
  };
  /** Art. 16: coercive measures. */
  readonly coercion: {
    /** Action types that are coercive measures, in any matter. */
    readonly actionTypes: readonly string[];
    /** Matter types whose every on-site action is a coercive measure. */
    readonly matterTypes: readonly string[];
    /** Art. 16(1): decision documents that make the action carrying them a coercive measure, whatever its tags. */
    readonly decisionDocuments: readonly string[];
    readonly approverRoles: readonly string[];
    /**
     * Art. 16(3): how long after the measure starts an approval may still be given (行政强制法 Art. 19: 情况紧急 … 二十四
     * 小时内补办批准手续); null: any time.
     */
    readonly approvalGraceMs: number | null;
  };
}

export const RULE_IDS = [
  'art08-data-consistency',
  'art09-officers',
  'art11-mandatory-av',
  'art12-av-as-required',
  'art13-av-metadata',
  'art14-16-required-documents',
  'art15-document-order',
  'art15-service',
  'art16-coercion',
  'art17-av-continuity',
  'art20-devices',
  'art22-1-deposit',
  'art22-2-archive',
  'art31-obstruction',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleSet {
  readonly name: string;
  readonly version: string;
  /**
   * The China civil date (YYYY-MM-DD) from which the rule set applies (Art. 34 本制度自公布之日起实施; a county's own date,
   * Art. 33). A case is judged by the rule set in force at its actions' time (`ruleSetInForce`).
   */
  readonly effectiveFrom: string;
  /** Rules that apply (Art. 33: a county may drop some). */
  readonly rules: readonly RuleId[];
  readonly settings: RuleSettings;
}

export interface RuleSetId {
  readonly name: string;
  readonly version: string;
  /** Lowercase hex SHA-256 of the rule set's canonical CBOR. */
  readonly hash: string;
}

const MINUTE = 60_000;

/** The Jincheng default (晋市卫字〔2024〕52号), with tolerances chosen by this library (documented per setting). */
export const JINCHENG_RULE_SET: RuleSet = {
  name: 'jincheng-2024',
  version: '2',
  // 晋城市卫生健康委员会 2024年3月28日印发; Art. 34 本制度自公布之日起实施.
  effectiveFrom: '2024-03-28',
  rules: [...RULE_IDS],
  settings: {
    minOfficersOnSite: 2,
    mandatoryAvActionTypes: [
      'seal_premises',
      'seize_property',
      'public_health_emergency',
      'mass_incident',
      'substitute_performance',
      'affects_life_health',
      'affects_major_property',
    ],
    mandatoryAvDocumentTypes: ['SEAL_SEIZURE_DECISION'],
    requiredKeyMoments: [],
    asRequiredAvActionTypes: [
      'dispute_likely',
      'on_site_inspection',
      'investigation',
      'inquiry',
      'evidence_preservation',
      'hearing',
      'service_by_leaving',
      'service_by_public_notice',
      'sampling',
    ],
    avSpanToleranceMs: 5 * MINUTE,
    avSpanDocumentTypes: ['ON_SITE_INSPECTION_RECORD', 'INQUIRY_RECORD', 'HEARING_RECORD'],
    avGapToleranceMs: 2 * MINUTE,
    exceptionReasons: ['state_secret', 'commercial_secret', 'personal_privacy', 'force_majeure'],
    exceptionApproverRoles: ['head'],
    exceptionExcusesMandatoryAv: true,
    depositWorkingDays: 2,
    depositCustodianRoles: ['archivist', 'system'],
    lateDepositApproverRoles: ['supervisor', 'head'],
    archiveWorkingDays: null,
    documents: {
      all: [
        // Art. 15(1) applies to every inspection; Art. 14(3) to on-site licensing review.
        {
          article: '15',
          anyOf: ['ON_SITE_INSPECTION_RECORD'],
          when: { actionTypes: ['on_site_inspection'] },
        },
        // Art. 14(3) 需要现场审查验收的应当制作现场笔录; 14(4) 组织专家论证、评审会，应当制作专家论证会议纪要、专家评审意见.
        {
          article: '14(3)',
          anyOf: ['ON_SITE_INSPECTION_RECORD', 'LICENSING_ON_SITE_REVIEW_RECORD'],
          when: { actionTypes: ['licensing_review'] },
        },
        {
          article: '14(4)',
          anyOf: ['EXPERT_MEETING_MINUTES'],
          when: { actionTypes: ['expert_argumentation'] },
        },
        { article: '14(4)', anyOf: ['EXPERT_REVIEW_OPINION'], when: { actionTypes: ['expert_review'] } },
        { article: '15', anyOf: ['INQUIRY_RECORD'], when: { actionTypes: ['inquiry'] } },
        {
          article: '15',
          anyOf: ['EVIDENCE_PRESERVATION_DECISION'],
          when: { actionTypes: ['evidence_preservation'] },
        },
        { article: '15', anyOf: ['HEARING_RECORD'], when: { actionTypes: ['hearing'] } },
        { article: '15', anyOf: ['HEARING_RECORD'], when: { documents: ['HEARING_NOTICE'] } },
        {
          article: '16',
          anyOf: ['SEAL_SEIZURE_DECISION', 'ADMIN_CONTROL_DECISION'],
          when: { actionTypes: ['seal_premises', 'seize_property', 'admin_control'] },
        },
      ],
      licensing: [
        // Art. 14(1): 使用行政许可文书、网上信息比对登记等形式进行信息记录.
        {
          article: '14(1)',
          anyOf: ['LICENSING_DECISION', 'ONLINE_INFO_COMPARISON_RECORD'],
          when: { closed: true },
        },
      ],
      penalty: [
        // Art. 15(1): a violation found on inspection gives a 卫生监督意见书.
        {
          article: '15',
          anyOf: ['HEALTH_SUPERVISION_OPINION'],
          when: { actionTypes: ['on_site_inspection'] },
        },
        {
          article: '15',
          anyOf: ['COLLEGIAL_DELIBERATION_RECORD'],
          when: { documents: ['PENALTY_DECISION'] },
        },
        {
          article: '15',
          anyOf: ['PENALTY_DECISION', 'ON_THE_SPOT_PENALTY_DECISION', 'CASE_CLOSING_REPORT'],
          when: { closed: true },
        },
      ],
      coercion: [
        {
          article: '16',
          anyOf: ['SEAL_SEIZURE_DECISION', 'ADMIN_CONTROL_DECISION'],
          when: { closed: true },
        },
      ],
    },
    documentOrder: [
      { article: '15', before: 'PENALTY_PRIOR_NOTICE', after: 'PENALTY_DECISION' },
      { article: '15', before: 'HEARING_NOTICE', after: 'HEARING_RECORD' },
    ],
    selfCheck: { cadence: 'quarter', signerRoles: ['supervisor', 'archivist', 'head'] },
    service: {
      beforeDecision: ['PENALTY_PRIOR_NOTICE', 'HEARING_NOTICE'],
      decisionTypes: ['PENALTY_DECISION'],
      byClose: ['PENALTY_DECISION', 'PERFORMANCE_DEMAND_NOTICE'],
      receiptTypes: ['SERVICE_RECEIPT', 'PUBLIC_NOTICE'],
      avActionTypes: ['service_by_leaving', 'service_by_public_notice'],
      avSeverity: 'warning',
    },
    coercion: {
      actionTypes: ['seal_premises', 'seize_property', 'admin_control'],
      matterTypes: ['coercion'],
      decisionDocuments: ['SEAL_SEIZURE_DECISION', 'ADMIN_CONTROL_DECISION'],
      approverRoles: ['head'],
      approvalGraceMs: 24 * 60 * MINUTE,
    },
  },
};

const isStrList = (x: unknown): x is string[] =>
  Array.isArray(x) && x.every((s) => typeof s === 'string' && s.length > 0);

/** Checks a rule set's shape; throws ValidationError listing every bad field. */
export function validateRuleSet(rs: RuleSet): void {
  const out: Issue[] = [];
  const bad = (path: Array<string | number>, code: string, message: string) =>
    out.push({ code, path, message });
  if (rs === null || typeof rs !== 'object') throw new TypeError('ruleSet must be a RuleSet object');
  if (typeof rs.name !== 'string' || rs.name.length === 0) bad(['name'], 'required', 'name required');
  if (typeof rs.version !== 'string' || rs.version.length === 0)
    bad(['version'], 'required', 'version required');
  if (typeof rs.effectiveFrom !== 'string' || parseCivilDate(rs.effectiveFrom) === undefined)
    bad(['effectiveFrom'], 'invalid_type', 'effectiveFrom must be a civil date YYYY-MM-DD');
  if (!Array.isArray(rs.rules)) bad(['rules'], 'invalid_type', 'rules must be a list of rule ids');
  else
    rs.rules.forEach((r, i) => {
      if (!(RULE_IDS as readonly string[]).includes(r))
        bad(['rules', i], 'unknown_rule', `unknown rule ${String(r)}`);
    });
  const s = rs.settings as unknown as Record<string, unknown> | undefined;
  if (s === null || typeof s !== 'object') {
    bad(['settings'], 'required', 'settings required');
    throw new ValidationError(out);
  }
  for (const k of [
    'minOfficersOnSite',
    'avSpanToleranceMs',
    'avGapToleranceMs',
    'depositWorkingDays',
  ] as const)
    if (!isNat(s[k])) bad(['settings', k], 'invalid_type', `${k} must be a non-negative integer`);
  if (s.archiveWorkingDays !== null && !isNat(s.archiveWorkingDays))
    bad(
      ['settings', 'archiveWorkingDays'],
      'invalid_type',
      'archiveWorkingDays must be null or a non-negative integer',
    );
  for (const k of [
    'mandatoryAvActionTypes',
    'mandatoryAvDocumentTypes',
    'asRequiredAvActionTypes',
    'avSpanDocumentTypes',
    'exceptionReasons',
    'exceptionApproverRoles',
    'lateDepositApproverRoles',
    'depositCustodianRoles',
  ] as const)
    if (!isStrList(s[k])) bad(['settings', k], 'invalid_type', `${k} must be a list of strings`);
  const docs = s.documents as Record<string, unknown> | undefined;
  if (docs === null || typeof docs !== 'object')
    bad(['settings', 'documents'], 'invalid_type', 'documents must be a map');
  else
    for (const [mt, reqs] of Object.entries(docs)) {
      if (!Array.isArray(reqs)) {
        bad(['settings', 'documents', mt], 'invalid_type', 'must be a list of requirements');
        continue;
      }
      reqs.forEach((r: Partial<DocumentRequirement>, i) => {
        const p = ['settings', 'documents', mt, i];
        if (typeof r?.article !== 'string') bad([...p, 'article'], 'required', 'article required');
        if (!isStrList(r?.anyOf) || r.anyOf.length === 0)
          bad([...p, 'anyOf'], 'invalid_type', 'anyOf: 1+ types');
        const w = r?.when as Record<string, unknown> | undefined;
        const ok =
          w &&
          ((isStrList(w.actionTypes) && Object.keys(w).length === 1) ||
            (isStrList(w.documents) && Object.keys(w).length === 1) ||
            (w.closed === true && Object.keys(w).length === 1));
        if (!ok)
          bad([...p, 'when'], 'invalid_type', 'when: { actionTypes } | { documents } | { closed: true }');
        if (r?.unless !== undefined && !isStrList(r.unless))
          bad([...p, 'unless'], 'invalid_type', 'unless: types');
      });
    }
  if (!Array.isArray(s.documentOrder))
    bad(['settings', 'documentOrder'], 'invalid_type', 'documentOrder: list');
  else
    (s.documentOrder as Array<Partial<DocumentOrder>>).forEach((o, i) => {
      if (typeof o?.article !== 'string' || typeof o.before !== 'string' || typeof o.after !== 'string')
        bad(['settings', 'documentOrder', i], 'invalid_type', 'needs article, before, after');
    });
  const sc = s.selfCheck as Record<string, unknown> | undefined;
  if (
    !sc ||
    !(sc.cadence === null || ['month', 'quarter', 'half_year', 'year'].includes(sc.cadence as string)) ||
    !isStrList(sc.signerRoles)
  )
    bad(
      ['settings', 'selfCheck'],
      'invalid_type',
      'selfCheck: { cadence: month|quarter|half_year|year|null, signerRoles }',
    );
  const sv = s.service as Record<string, unknown> | undefined;
  if (
    !sv ||
    !['beforeDecision', 'decisionTypes', 'byClose', 'receiptTypes', 'avActionTypes'].every((k) =>
      isStrList(sv[k]),
    ) ||
    (sv.avSeverity !== 'warning' && sv.avSeverity !== 'violation')
  )
    bad(
      ['settings', 'service'],
      'invalid_type',
      'service: { beforeDecision, decisionTypes, byClose, receiptTypes, avActionTypes, avSeverity }',
    );
  const c = s.coercion as Record<string, unknown> | undefined;
  if (typeof s.exceptionExcusesMandatoryAv !== 'boolean')
    bad(
      ['settings', 'exceptionExcusesMandatoryAv'],
      'invalid_type',
      'exceptionExcusesMandatoryAv must be a boolean',
    );
  if (!Array.isArray(s.requiredKeyMoments) || !s.requiredKeyMoments.every((x) => typeof x === 'string'))
    bad(['settings', 'requiredKeyMoments'], 'invalid_type', 'requiredKeyMoments must be a list of strings');
  if (
    !c ||
    !isStrList(c.actionTypes) ||
    !isStrList(c.matterTypes) ||
    !isStrList(c.approverRoles) ||
    !isStrList(c.decisionDocuments) ||
    !(c.approvalGraceMs === null || isNat(c.approvalGraceMs))
  )
    bad(
      ['settings', 'coercion'],
      'invalid_type',
      'coercion: { actionTypes, matterTypes, decisionDocuments, approverRoles, approvalGraceMs }',
    );
  if (out.length) throw new ValidationError(out);
}

/**
 * A county variant (Art. 33): a new name and version, a different list of rules, and settings replaced key by key.
 * The result is validated.
 */
export function deriveRuleSet(
  base: RuleSet,
  change: {
    readonly name: string;
    readonly version: string;
    readonly effectiveFrom?: string;
    readonly rules?: readonly RuleId[];
    readonly settings?: Partial<RuleSettings>;
  },
): RuleSet {
  const rs: RuleSet = {
    name: change.name,
    version: change.version,
    effectiveFrom: change.effectiveFrom ?? base.effectiveFrom,
    rules: change.rules ?? base.rules,
    settings: {
      ...base.settings,
      ...Object.fromEntries(Object.entries(change.settings ?? {}).filter(([, v]) => v !== undefined)),
    },
  };
  validateRuleSet(rs);
  return rs;
}

/** The canonical CBOR (RFC 8949 §4.2.1) of a rule set: the bytes its hash commits to. */
export function encodeRuleSet(rs: RuleSet): Uint8Array {
  validateRuleSet(rs);
  return encodeCanonical(rs as unknown as CborValue);
}

/** Name, version and SHA-256 (hex) of the rule set's canonical CBOR; `hash` may be injected (e.g. node:crypto). */
export function identifyRuleSet(rs: RuleSet, hash: HashFn = defaultHash): RuleSetId {
  return { name: rs.name, version: rs.version, hash: toHex(hash(encodeRuleSet(rs))) };
}
