/**
 * Health enforcement document types (卫生行政执法文书规范, 2012, amended 2017) plus the records the Jincheng rule adds
 * (Art. 14, 16, 18, 22, 24). A closed list with stable English ids and official Chinese names; aliases accepted on
 * input; extensible by configuration (provinces add their own types) with `createDocumentRegistry(extra)`.
 */

export interface DocumentType {
  /** Stable identifier stored in bodies, e.g. `INQUIRY_RECORD`. Upper snake case. */
  readonly id: string;
  /** Official Chinese name, e.g. `询问笔录`. */
  readonly zh: string;
  /** Other names accepted on input (never stored), e.g. Jincheng's `询问记录`. */
  readonly aliases?: readonly string[];
  /** Where the type comes from: the national norms, the Jincheng rule, or configuration. */
  readonly source?: 'national' | 'jincheng' | 'config';
}

const national = (id: string, zh: string, aliases?: string[]): DocumentType => ({
  id,
  zh,
  ...(aliases ? { aliases } : {}),
  source: 'national',
});
const jincheng = (id: string, zh: string, aliases?: string[]): DocumentType => ({
  id,
  zh,
  ...(aliases ? { aliases } : {}),
  source: 'jincheng',
});

export const DOCUMENT_TYPES: readonly DocumentType[] = Object.freeze([
  national('ON_SITE_INSPECTION_RECORD', '现场笔录'),
  national('INQUIRY_RECORD', '询问笔录', ['询问记录']),
  national('HEALTH_SUPERVISION_OPINION', '卫生监督意见书'),
  national('ENFORCEMENT_RECOMMENDATION', '卫生行政执法建议书'),
  national('PRODUCT_SAMPLING_RECORD', '产品样品采样记录'),
  national('NON_PRODUCT_SAMPLING_RECORD', '非产品样品采样记录'),
  national('PRODUCT_SAMPLE_CONFIRMATION_NOTICE', '产品样品确认告知书'),
  national('TEST_RESULT_NOTICE', '检验结果告知书'),
  national('EVIDENCE_PRESERVATION_DECISION', '证据先行登记保存决定书'),
  national('EVIDENCE_PRESERVATION_DISPOSAL_DECISION', '证据先行登记保存处理决定书'),
  national('SEAL_SEIZURE_DECISION', '查封扣押决定书'),
  national('SEAL_SEIZURE_DISPOSAL_DECISION', '查封扣押处理决定书'),
  national('SEAL_SEIZURE_EXTENSION_NOTICE', '查封扣押延期通知书'),
  national('ADMIN_CONTROL_DECISION', '行政控制决定书'),
  national('ADMIN_CONTROL_RELEASE_DECISION', '解除行政控制决定书'),
  national('ITEM_LIST', '物品清单'),
  national('PUBLIC_NOTICE', '公告'),
  national('SEAL_STRIP', '封条'),
  national('CASE_ACCEPTANCE_RECORD', '案件受理记录'),
  national('CASE_FILING_REPORT', '立案报告'),
  national('CASE_TRANSFER_LETTER', '案件移送书'),
  national('COLLEGIAL_DELIBERATION_RECORD', '合议记录'),
  national('PENALTY_PRIOR_NOTICE', '行政处罚事先告知书'),
  national('STATEMENT_AND_DEFENSE_RECORD', '陈述和申辩笔录'),
  national('HEARING_RIGHTS_NOTICE', '行政处罚听证告知书'),
  national('HEARING_NOTICE', '行政处罚听证通知书', ['听证通知书']),
  national('HEARING_RECORD', '听证笔录', ['听证记录']),
  national('HEARING_OPINION', '听证意见书'),
  national('PENALTY_DECISION', '行政处罚决定书', ['处罚决定书']),
  national('ON_THE_SPOT_PENALTY_DECISION', '当场行政处罚决定书'),
  national('SERVICE_RECEIPT', '送达回执'),
  national('PERFORMANCE_DEMAND_NOTICE', '催告书'),
  national('COMPULSORY_ENFORCEMENT_APPLICATION', '强制执行申请书'),
  national('CASE_CLOSING_REPORT', '结案报告'),
  national('TECHNICAL_APPRAISAL_COMMISSION', '技术鉴定委托书'),
  national('OCCUPATIONAL_CONTRAINDICATION_REASSIGNMENT_NOTICE', '职业禁忌人员调离通知书'),
  // Jincheng additions.
  jincheng('AV_EXCEPTION_WORK_RECORD', '工作记录'), // Art. 18
  jincheng('RECORD_RETRIEVAL_SLIP', '行政执法全过程记录资料调用单', ['调用单']), // Art. 24
  jincheng('EXPERT_MEETING_MINUTES', '专家论证会议纪要'), // Art. 14(4)
  jincheng('EXPERT_REVIEW_OPINION', '专家评审意见'), // Art. 14(4)
  jincheng('LICENSING_ON_SITE_REVIEW_RECORD', '现场审查笔录', ['现场核查笔录']), // Art. 14(3)
  jincheng('ONLINE_INFO_COMPARISON_RECORD', '网上信息比对登记', ['网上信息比对记录']), // Art. 14(1)
  jincheng('LICENSING_DECISION', '行政许可决定书', ['准予行政许可决定书']), // Art. 14(1)
  jincheng('POLICE_HANDOVER_LETTER', '移交公安机关处理函', ['移送公安机关函']), // Art. 31
  jincheng('COERCIVE_MEASURE_APPROVAL_RECORD', '行政强制措施审批记录'), // Art. 16
  jincheng('LATE_DEPOSIT_APPROVAL', '延期移交批准'), // Art. 22(1)
  jincheng('EXTERNAL_ACCESS_REQUEST', '外部查阅申请'), // Art. 25
  jincheng('DISCLOSURE_APPROVAL', '公开审批'), // Art. 26
]);

export interface DocumentRegistry {
  /** Every known type, built-ins first, then configured ones, in declaration order. */
  readonly types: readonly DocumentType[];
  /** Resolves an id, official Chinese name or alias to the stable id; undefined when unknown. */
  resolve(name: string): string | undefined;
  /** The type with this stable id (ids only, not names). */
  get(id: string): DocumentType | undefined;
  has(id: string): boolean;
}

const ID_FORMAT = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * A registry of the built-in types plus `extra` ones (province or county additions, Art. 33). Throws RangeError when
 * an extra type's id is malformed or any id, name or alias is already taken.
 */
export function createDocumentRegistry(extra: readonly DocumentType[] = []): DocumentRegistry {
  if (!Array.isArray(extra)) throw new TypeError('extra must be an array of document types');
  const types: DocumentType[] = [...DOCUMENT_TYPES];
  for (const t of extra) {
    if (!t || typeof t.id !== 'string' || !ID_FORMAT.test(t.id))
      throw new RangeError(`extra: document type id ${String(t?.id)} must be upper snake case (A-Z, 0-9, _)`);
    if (typeof t.zh !== 'string' || t.zh.length === 0)
      throw new RangeError(`extra: ${t.id} needs a Chinese name`);
    types.push(Object.freeze({ ...t, source: t.source ?? 'config' }));
  }
  const byId = new Map<string, DocumentType>();
  const byName = new Map<string, string>();
  for (const t of types) {
    if (byId.has(t.id)) throw new RangeError(`document type ${t.id} is declared twice`);
    byId.set(t.id, t);
    for (const name of [t.id, t.zh, ...(t.aliases ?? [])]) {
      const taken = byName.get(name);
      if (taken !== undefined && taken !== t.id)
        throw new RangeError(`document type name ${name} is used by both ${taken} and ${t.id}`);
      byName.set(name, t.id);
    }
  }
  return Object.freeze({
    types: Object.freeze(types),
    resolve: (name: string) => (typeof name === 'string' ? byName.get(name.trim()) : undefined),
    get: (id: string) => byId.get(id),
    has: (id: string) => byId.has(id),
  });
}

/** The built-in registry (national list plus Jincheng additions). */
export const defaultDocumentRegistry: DocumentRegistry = createDocumentRegistry();
