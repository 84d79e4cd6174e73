/**
 * The one vocabulary of verification: every problem code a report can carry, with what it means in Chinese and
 * English and what to do about it, and the status of each named check. Reports (ledger, records, access, retention,
 * content, excerpt, bundle) take their codes from here, so the same condition has the same code everywhere; the table
 * in docs/PROBLEMS.md is generated from this catalogue and a test keeps the two equal. Pure data: safe in a browser.
 *
 * Codes are API; the words are not. A new code is added here first (a test fails for a code used in src/ that this
 * catalogue lacks).
 */

/** Where a code is reported: the report (and the docs' section) it belongs to. */
export type ProblemArea = 'ledger' | 'records' | 'access' | 'retention' | 'content' | 'excerpt' | 'bundle';

export interface ProblemInfo {
  readonly area: ProblemArea;
  /** One line: what was found. */
  readonly zh: string;
  readonly en: string;
  /** What to do about it, when there is something to say beyond the meaning. */
  readonly action?: { readonly zh: string; readonly en: string };
}

const RESTORE = {
  zh: '从备份恢复，并与在别处保存的检查点核对',
  en: 'restore from a backup; compare with a checkpoint held elsewhere',
} as const;
const REBUILD_INDEX = {
  zh: '索引是派生数据：从日志重建索引（数据本身未受影响）',
  en: 'index rows are derived data: rebuild them from the log (the entries themselves are unaffected)',
} as const;
const ASK_EXPORTER = {
  zh: '不要采信该证据包；请导出方重新导出，并在别处核对其密钥',
  en: 'do not rely on this bundle; ask the exporter for a new one and check its keys out of band',
} as const;

const TABLE = {
  // ---- Ledger: bytes, chain, tree, signatures, keys, index rows (Ledger.verify, verify-bundle's replay).
  ENTRY_MISSING: {
    area: 'ledger',
    zh: '日志中缺少一个条目（序号出现空缺）',
    en: 'an entry is missing from the log (a gap in the sequence)',
    action: RESTORE,
  },
  ENTRY_MALFORMED: {
    area: 'ledger',
    zh: '存储的条目字节不是有效的已签名条目',
    en: 'the stored bytes are not a valid signed entry',
    action: RESTORE,
  },
  ENTRIES_UNREADABLE: {
    area: 'ledger',
    zh: '存储损坏，这一段条目无法读出',
    en: 'the storage is damaged: this range of entries cannot be read',
    action: RESTORE,
  },
  STRAY_KEY: {
    area: 'ledger',
    zh: '存储中有不属于任何已知键空间的键',
    en: 'the store holds a key outside every known keyspace',
  },
  SEQ_MISMATCH: {
    area: 'ledger',
    zh: '条目存放的位置与其自身序号不符',
    en: 'an entry is stored under a sequence number other than its own',
    action: RESTORE,
  },
  VERSION_UNKNOWN: {
    area: 'ledger',
    zh: '条目的格式版本不受本验证程序支持',
    en: 'the entry’s format version is not one this verifier knows',
    action: { zh: '使用支持该版本的验证程序', en: 'use a verifier that supports this version' },
  },
  SUITE_UNKNOWN: {
    area: 'ledger',
    zh: '清单指定的密码套件不受本验证程序支持',
    en: 'the manifest names a crypto suite this verifier does not know',
    action: { zh: '使用支持该套件的验证程序', en: 'use a verifier that supports this suite' },
  },
  LEDGER_ID_MISMATCH: {
    area: 'ledger',
    zh: '条目属于另一本台账（其台账标识不是本清单的哈希）',
    en: 'the entry belongs to another ledger (its ledger id is not the hash of this manifest)',
  },
  CHAIN_BROKEN: {
    area: 'ledger',
    zh: '条目记录的前一条目哈希与前一条目不符',
    en: 'the entry’s previous-entry hash does not match the entry before it',
    action: RESTORE,
  },
  TIME_REGRESSION: {
    area: 'ledger',
    zh: '条目时间早于前一条目',
    en: 'the entry is dated before the entry before it',
  },
  MANIFEST_MISSING: {
    area: 'ledger',
    zh: '第 0 号条目不是清单（或缺失）',
    en: 'entry 0 is not the manifest (or is missing)',
    action: RESTORE,
  },
  MANIFEST_INVALID: {
    area: 'ledger',
    zh: '清单内容无效',
    en: 'the manifest’s body is invalid',
  },
  MANIFEST_SIGNER: {
    area: 'ledger',
    zh: '清单未由其列明的根密钥之一签名',
    en: 'the manifest is not signed by one of its own root keys',
  },
  MANIFEST_DUPLICATE: {
    area: 'ledger',
    zh: '第 0 号以外出现了第二份清单',
    en: 'a second manifest appears after entry 0',
  },
  ROOT_KEY_MISMATCH: {
    area: 'ledger',
    zh: '清单的根密钥不是所固定的根密钥（台账可能在另一根密钥下被重建）',
    en: 'the manifest names root keys other than the pinned ones (the log may have been rebuilt under another root)',
  },
  BAD_SIGNATURE: {
    area: 'ledger',
    zh: '条目签名验证失败',
    en: 'the entry’s signature does not verify',
    action: RESTORE,
  },
  SIGNER_UNKNOWN: {
    area: 'ledger',
    zh: '签名密钥在该位置未登记',
    en: 'the signing key is not registered at that point of the log',
  },
  SIGNER_REVOKED: {
    area: 'ledger',
    zh: '签名密钥在该条目之前已被撤销',
    en: 'the signing key was revoked before this entry',
  },
  ROLE_MISSING: {
    area: 'ledger',
    zh: '签名人不具备该类条目所需的角色',
    en: 'the signer does not hold a role this kind of entry requires',
  },
  KIND_UNDECLARED: {
    area: 'ledger',
    zh: '条目类型未在本台账中声明',
    en: 'the entry’s kind is not declared in this ledger',
  },
  BODY_INVALID: {
    area: 'ledger',
    zh: '条目内容不符合其类型的格式',
    en: 'the entry’s body does not match the schema of its kind',
  },
  TREE_NODE_MISSING: {
    area: 'ledger',
    zh: '默克尔树节点缺失',
    en: 'a stored Merkle tree node is missing',
    action: RESTORE,
  },
  TREE_NODE_MISMATCH: {
    area: 'ledger',
    zh: '存储的默克尔树节点与其下的条目不符',
    en: 'a stored Merkle tree node does not match what lies below it',
    action: RESTORE,
  },
  TREE_NODE_EXTRA: {
    area: 'ledger',
    zh: '日志末尾之后还有树节点（末尾的条目可能被删除）',
    en: 'tree nodes lie beyond the end of the log (entries may have been cut from the end)',
    action: RESTORE,
  },
  INDEX_MISSING: {
    area: 'ledger',
    zh: '条目应有的索引行缺失',
    en: 'an index row the entry implies is missing',
    action: REBUILD_INDEX,
  },
  INDEX_CORRUPT: {
    area: 'ledger',
    zh: '索引行内容被改动',
    en: 'an index row has been altered',
    action: REBUILD_INDEX,
  },
  INDEX_EXTRA: {
    area: 'ledger',
    zh: '有一条索引行不由任何条目推出',
    en: 'an index row follows from no entry',
    action: REBUILD_INDEX,
  },
  CHECKPOINT_INVALID: {
    area: 'ledger',
    zh: '检查点格式或签名无效',
    en: 'a checkpoint is malformed or its signature does not verify',
  },
  CHECKPOINT_MISMATCH: {
    area: 'ledger',
    zh: '日志中记录的检查点与日志在该规模时的根哈希不符',
    en: 'a checkpoint recorded in the log does not match the log at its size',
    action: RESTORE,
  },
  TRUSTED_CHECKPOINT_INVALID: {
    area: 'ledger',
    zh: '所提供的外部检查点无法用本台账的密钥验证',
    en: 'a checkpoint supplied from outside does not verify with this log’s key',
    action: {
      zh: '确认该检查点来自本台账（来源、密钥）',
      en: 'make sure the checkpoint is this log’s (origin and key)',
    },
  },
  TRUNCATED: {
    area: 'ledger',
    zh: '外部检查点的规模大于日志：末尾的条目被截去',
    en: 'a checkpoint held elsewhere is larger than the log: entries were cut from the end',
    action: RESTORE,
  },
  FORK: {
    area: 'ledger',
    zh: '日志与在别处保存的检查点不一致（历史被改写或分叉）',
    en: 'the log does not match a checkpoint held elsewhere (history rewritten or forked)',
    action: RESTORE,
  },
  SINCE_UNUSABLE: {
    area: 'ledger',
    zh: '清单无效，无法核对增量验证的起点检查点',
    en: 'the trusted starting checkpoint cannot be checked without a valid manifest',
    action: { zh: '执行完整验证', en: 'run a full verify' },
  },
  SINCE_MISMATCH: {
    area: 'ledger',
    zh: '日志在增量验证起点处的状态与所信任的检查点不符',
    en: 'the log at the trusted starting checkpoint no longer matches it',
    action: { zh: '执行完整验证', en: 'run a full verify' },
  },
  TOO_MANY_PROBLEMS: {
    area: 'ledger',
    zh: '问题过多，其余未列出',
    en: 'too many problems; the rest are not listed',
  },

  // ---- Enforcement records (verifyRecords, EnforcementRecords.verify).
  RECORD_INVALID: {
    area: 'records',
    zh: '执法记录在其所处位置不成立（编号、引用、状态或归档锁定）；具体原因见 issue',
    en: 'an enforcement record fails its own check as of its position (id, reference, state or archive lock); `issue` says which',
  },

  // ---- Access (verifyAccess): retrievals and disclosures against their approvals.
  RETRIEVAL_NO_APPROVAL: { area: 'access', zh: '调阅未经批准', en: 'a retrieval without an approval' },
  RETRIEVAL_APPROVAL_REJECTED: {
    area: 'access',
    zh: '调阅所依据的审批为否决',
    en: 'a retrieval under a rejected approval',
  },
  RETRIEVAL_WRONG_REQUESTER: {
    area: 'access',
    zh: '调阅人不是获批的申请人',
    en: 'the retrieval was made by someone other than the approved requester',
  },
  RETRIEVAL_NOT_YET_VALID: {
    area: 'access',
    zh: '调阅早于批准的有效期',
    en: 'a retrieval before its approval became valid',
  },
  RETRIEVAL_APPROVAL_EXPIRED: {
    area: 'access',
    zh: '调阅时批准已过期',
    en: 'a retrieval after its approval expired',
  },
  RETRIEVAL_WRONG_RECORD: {
    area: 'access',
    zh: '调阅的记录不在批准范围内',
    en: 'the retrieved record is not the approved one',
  },
  RETRIEVAL_APPROVER_ROLE: {
    area: 'access',
    zh: '批准人不具备批准调阅的角色',
    en: 'the approver does not hold a role that may approve retrievals',
  },
  RETRIEVAL_USED_UP: {
    area: 'access',
    zh: '批准的调阅次数已用完',
    en: 'the approval’s permitted retrievals were already used',
  },
  RETRIEVAL_CONTENT_MISSING: {
    area: 'access',
    zh: '调阅的记录内容在存储中缺失',
    en: 'the retrieved record’s content is missing from the store',
  },
  RETRIEVAL_CONTENT_PURGED: {
    area: 'access',
    zh: '调阅的记录内容已依法销毁',
    en: 'the retrieved record’s content was purged',
  },
  DISCLOSURE_NO_APPROVAL: { area: 'access', zh: '对外提供未经批准', en: 'a disclosure without an approval' },
  DISCLOSURE_APPROVAL_REJECTED: {
    area: 'access',
    zh: '对外提供所依据的审批为否决',
    en: 'a disclosure under a rejected approval',
  },
  DISCLOSURE_WRONG_CASE: {
    area: 'access',
    zh: '对外提供的案件不是获批的案件',
    en: 'the disclosed case is not the approved one',
  },
  DISCLOSURE_NOT_YET_VALID: {
    area: 'access',
    zh: '对外提供早于批准的有效期',
    en: 'a disclosure before its approval became valid',
  },
  DISCLOSURE_APPROVAL_EXPIRED: {
    area: 'access',
    zh: '对外提供时批准已过期',
    en: 'a disclosure after its approval expired',
  },
  DISCLOSURE_RECIPIENT_MISMATCH: {
    area: 'access',
    zh: '接收方不是获批的接收方',
    en: 'the recipient is not the approved one',
  },
  DISCLOSURE_PURPOSE_MISMATCH: {
    area: 'access',
    zh: '对外提供的用途与批准不符',
    en: 'the purpose is not the approved one',
  },
  DISCLOSURE_OUT_OF_SCOPE: {
    area: 'access',
    zh: '对外提供的记录超出批准范围',
    en: 'records outside the approved scope were disclosed',
  },
  DISCLOSURE_APPROVER_ROLE: {
    area: 'access',
    zh: '批准人不具备批准对外提供的角色',
    en: 'the approver does not hold a role that may approve disclosures',
  },
  DISCLOSURE_USED_UP: {
    area: 'access',
    zh: '批准的对外提供次数已用完',
    en: 'the approval’s permitted disclosures were already used',
  },

  // ---- Retention (verifyRetention): content against purges, holds and retention periods.
  CONTENT_MISSING_UNPURGED: {
    area: 'retention',
    zh: '记录内容缺失，且无合法的销毁记录',
    en: 'content is missing and no lawful purge accounts for it',
    action: RESTORE,
  },
  PURGE_INCOMPLETE: {
    area: 'retention',
    zh: '销毁已登记但内容仍在存储中',
    en: 'a purge is recorded but the content is still stored',
    action: { zh: '重新执行销毁', en: 'run the purge again' },
  },
  PURGE_POLICY_MISMATCH: {
    area: 'retention',
    zh: '销毁所依据的保存策略与当前策略不符',
    en: 'the purge was judged under another retention policy',
  },
  PURGE_NO_REQUEST: { area: 'retention', zh: '销毁无档案管理人员的申请', en: 'a purge without a request' },
  PURGE_NO_APPROVAL: { area: 'retention', zh: '销毁未经机构负责人批准', en: 'a purge without an approval' },
  PURGE_APPROVAL_REJECTED: {
    area: 'retention',
    zh: '销毁申请已被否决',
    en: 'a purge whose approval was rejected',
  },
  PURGE_SAME_PERSON: {
    area: 'retention',
    zh: '销毁的申请人与批准人为同一人',
    en: 'the purge was requested and approved by the same person',
  },
  PURGE_TARGET_NOT_REQUESTED: {
    area: 'retention',
    zh: '销毁的对象不在申请之列',
    en: 'a purged target was not requested',
  },
  PURGE_TARGET_NOT_APPROVED: {
    area: 'retention',
    zh: '销毁的对象不在批准之列',
    en: 'a purged target was not approved',
  },
  PURGE_TARGET_UNKNOWN: {
    area: 'retention',
    zh: '销毁的对象在日志中找不到',
    en: 'a purged target is not found in the log',
  },
  PURGE_PERMANENT: {
    area: 'retention',
    zh: '销毁了应永久保存的记录',
    en: 'a record kept permanently was purged',
  },
  PURGE_RETENTION_UNKNOWN: {
    area: 'retention',
    zh: '无法确定被销毁记录的保存期限',
    en: 'the purged record’s retention period cannot be determined',
  },
  PURGE_BEFORE_EXPIRY: {
    area: 'retention',
    zh: '在保存期内销毁记录',
    en: 'content purged before its retention expired',
  },
  PURGE_UNDER_HOLD: {
    area: 'retention',
    zh: '在法律保全（冻结）期间销毁记录',
    en: 'content purged under a legal hold',
  },
  PURGE_SHARED_CONTENT: {
    area: 'retention',
    zh: '销毁的内容仍被其他未到期的记录引用',
    en: 'the purged content is still referenced by a record that must be kept',
  },
  PURGE_RULE_MISMATCH: {
    area: 'retention',
    zh: '销毁记录中的保存规则与计算结果不符',
    en: 'the retention rule stated in the purge differs from the one that applies',
  },

  // ---- Content (verifyContent, verify --content): stored files against the refs entries commit to.
  CONTENT_MISSING: {
    area: 'content',
    zh: '存储中没有该文件',
    en: 'the file is not in the store',
  },
  CONTENT_TRUNCATED: {
    area: 'content',
    zh: '文件比登记的短',
    en: 'the file is shorter than recorded',
    action: RESTORE,
  },
  CONTENT_EXTENDED: {
    area: 'content',
    zh: '文件比登记的长',
    en: 'the file is longer than recorded',
    action: RESTORE,
  },
  CONTENT_MODIFIED: {
    area: 'content',
    zh: '文件内容与登记的摘要不符',
    en: 'the file’s bytes do not match the recorded digest',
    action: RESTORE,
  },
  CONTENT_SIDECAR_MISMATCH: {
    area: 'content',
    zh: '文件旁的分块摘要与登记的不符（文件本身完好）',
    en: 'the file’s stored chunk hashes differ from the recorded ones (the file itself is intact)',
  },

  // ---- Chunk excerpts (verify-excerpt).
  EXCERPT_MALFORMED: {
    area: 'excerpt',
    zh: '摘录文件格式无效',
    en: 'the excerpt file is not a valid excerpt',
  },
  EXCERPT_OUT_OF_RANGE: {
    area: 'excerpt',
    zh: '分块编号超出文件范围',
    en: 'the chunk index is beyond the file',
  },
  EXCERPT_WRONG_LENGTH: {
    area: 'excerpt',
    zh: '摘录的字节数与该分块不符',
    en: 'the excerpt has the wrong number of bytes for its chunk',
  },
  EXCERPT_PROOF_INVALID: {
    area: 'excerpt',
    zh: '摘录的包含证明不能得出登记的分块根',
    en: 'the excerpt’s proof does not lead to the recorded chunk root',
  },
  EXCERPT_OTHER_LEDGER: {
    area: 'excerpt',
    zh: '摘录来自另一本台账',
    en: 'the excerpt is from another ledger',
  },
  EXCERPT_NO_RECORD: {
    area: 'excerpt',
    zh: '摘录所称的条目不在日志中',
    en: 'the entry the excerpt names is not in the log',
  },
  EXCERPT_RECORD_MISMATCH: {
    area: 'excerpt',
    zh: '摘录所附条目与日志中的条目不同',
    en: 'the entry carried with the excerpt differs from the log’s',
  },
  EXCERPT_RECORD_SIGNATURE: {
    area: 'excerpt',
    zh: '摘录所附条目的签名验证失败',
    en: 'the signature of the entry carried with the excerpt does not verify',
  },
  EXCERPT_RECORD_NOT_INCLUDED: {
    area: 'excerpt',
    zh: '摘录所附条目未被证明包含在检查点中',
    en: 'the carried entry is not proven included in the checkpoint',
  },
  EXCERPT_REF_NOT_IN_RECORD: {
    area: 'excerpt',
    zh: '条目并未登记该文件',
    en: 'the entry commits to no such file',
  },
  EXCERPT_RANGE_MISMATCH: {
    area: 'excerpt',
    zh: '摘录声称的字节范围与分块不符',
    en: 'the byte range the excerpt claims is not its chunk’s',
  },

  // ---- Proof bundles (verify-bundle).
  BUNDLE_MALFORMED: {
    area: 'bundle',
    zh: '证据包格式无效',
    en: 'the bundle is not a valid proof bundle',
    action: ASK_EXPORTER,
  },
  BUNDLE_ENTRY_ORDER: {
    area: 'bundle',
    zh: '证据包中的条目未按序号升序排列',
    en: 'the bundle’s entries are not in ascending order',
    action: ASK_EXPORTER,
  },
  ORIGIN_MISMATCH: {
    area: 'bundle',
    zh: '证据包声称的来源不是清单中的来源',
    en: 'the bundle’s origin is not the manifest’s',
    action: ASK_EXPORTER,
  },
  ORIGIN_UNTRUSTED: {
    area: 'bundle',
    zh: '日志来源不是检查人员所信任的来源',
    en: 'the log’s origin is not the one the inspector trusts',
  },
  EXPORTER_UNKNOWN: {
    area: 'bundle',
    zh: '导出人的密钥未在所附条目中登记',
    en: 'the exporter’s key is not registered in the carried entries',
    action: ASK_EXPORTER,
  },
  EXPORTER_REVOKED: {
    area: 'bundle',
    zh: '导出人的密钥已被撤销',
    en: 'the exporter’s key was revoked',
    action: ASK_EXPORTER,
  },
  EXPORTER_ROLE: {
    area: 'bundle',
    zh: '导出人不具备导出证据包的角色',
    en: 'the exporter holds no role that may export bundles',
    action: ASK_EXPORTER,
  },
  EXPORTER_SIGNATURE: {
    area: 'bundle',
    zh: '导出人的签名验证失败（证据包在导出后被改动）',
    en: 'the exporter’s signature does not verify (the bundle was changed after export)',
    action: ASK_EXPORTER,
  },
  LOG_KEY_UNTRUSTED: {
    area: 'bundle',
    zh: '清单中的检查点密钥不是所信任的日志密钥',
    en: 'the manifest’s checkpoint key is not the trusted log key',
  },
  CHECKPOINT_ORIGIN: {
    area: 'bundle',
    zh: '检查点的来源不是该日志',
    en: 'the checkpoint’s origin is not the log’s',
    action: ASK_EXPORTER,
  },
  COSIGNATURE_INVALID: {
    area: 'bundle',
    zh: '见证人的联署签名验证失败',
    en: 'a witness’s cosignature does not verify',
  },
  WITNESS_QUORUM: {
    area: 'bundle',
    zh: '联署的可信见证人数未达到法定数',
    en: 'fewer trusted witnesses cosigned than the quorum requires',
  },
  INCLUSION_FAILED: {
    area: 'bundle',
    zh: '条目未被证明包含在检查点中',
    en: 'an entry is not proven included in the checkpoint',
    action: ASK_EXPORTER,
  },
  INCLUSION_BEYOND_CHECKPOINT: {
    area: 'bundle',
    zh: '条目序号超出检查点的规模',
    en: 'an entry lies beyond the checkpoint',
    action: ASK_EXPORTER,
  },
  CONSISTENCY_MISSING: {
    area: 'bundle',
    zh: '证据包缺少与检查人员所持检查点之间的一致性证明',
    en: 'the bundle has no consistency proof from the inspector’s checkpoint',
    action: ASK_EXPORTER,
  },
  CONSISTENCY_FAILED: {
    area: 'bundle',
    zh: '日志与检查人员所持检查点不一致（历史被改写或分叉）',
    en: 'the log is not consistent with the inspector’s checkpoint (history rewritten or forked)',
  },
  RULE_SET_INVALID: {
    area: 'bundle',
    zh: '证据包中的规则集缺失或无效',
    en: 'the bundle’s rule set is missing or invalid',
    action: ASK_EXPORTER,
  },
  RULE_SET_UNTRUSTED: {
    area: 'bundle',
    zh: '证据包的规则集不是检查人员所信任的',
    en: 'the bundle’s rule set is not one the inspector trusts',
    action: {
      zh: '核对规则集的名称、版本与哈希；若确认可用，以 --rule-set 指定其哈希后重新核验',
      en: 'check the rule set’s name, version and hash; if it is acceptable, pass its hash with --rule-set and verify again',
    },
  },
  CALENDAR_MISMATCH: {
    area: 'bundle',
    zh: '导出时使用的工作日历与验证时的不同',
    en: 'the bundle was exported with another working-day calendar',
  },
  CASE_DUPLICATE: {
    area: 'bundle',
    zh: '同一案件在证据包中出现两次',
    en: 'a case appears twice in the bundle',
    action: ASK_EXPORTER,
  },
  CASE_ENTRY_MISSING: {
    area: 'bundle',
    zh: '案件所列的条目不在证据包中',
    en: 'an entry a case lists is not in the bundle',
    action: ASK_EXPORTER,
  },
  CASE_MISMATCH: {
    area: 'bundle',
    zh: '案件所列的条目不属于该案件',
    en: 'an entry a case lists does not belong to that case',
    action: ASK_EXPORTER,
  },
  CASE_INCOMPLETE: {
    area: 'bundle',
    zh: '案件记录不完整：所附记录引用的行动、文书、音像片段或审批未随附（被略去的记录可能正是证明违规的记录）',
    en: 'the case is incomplete: an action, document, segment or approval a carried record names is not carried (the record left out may be the one that proves a violation)',
    action: ASK_EXPORTER,
  },
  ENTRY_UNACCOUNTED: {
    area: 'bundle',
    zh: '证据包附带的条目未列入任何案件',
    en: 'a carried entry is listed by no case',
    action: ASK_EXPORTER,
  },
  CASE_INVALID: {
    area: 'bundle',
    zh: '无法对案件进行合规评估',
    en: 'the case cannot be evaluated',
  },
  FINDINGS_MISMATCH: {
    area: 'bundle',
    zh: '重新评估的合规结论与导出时的不同',
    en: 'the re-evaluated findings differ from the exported ones',
  },
  CONTENT_UNKNOWN: {
    area: 'bundle',
    zh: '所给文件不是任何所附条目登记的文件',
    en: 'a given file is committed by no carried entry',
  },
  CONTENT_UNREFERENCED: {
    area: 'bundle',
    zh: '证据包所附文件不是任何所附条目登记的文件',
    en: 'a file in the bundle is committed by no carried entry',
    action: ASK_EXPORTER,
  },
  CONTENT_MISMATCH: {
    area: 'bundle',
    zh: '文件的大小或分块根与条目登记的不符',
    en: 'a file’s size or chunk root differs from what its entry records',
  },
  SAMPLE_NONCE_MISMATCH: {
    area: 'bundle',
    zh: '证据包的抽样使用了另一个随机数',
    en: 'the bundle’s sample was drawn with another nonce',
  },
  SAMPLE_MISMATCH: {
    area: 'bundle',
    zh: '证据包中的案件不是抽样所选的案件',
    en: 'the bundle’s cases are not the sample’s selection',
  },
  SAMPLE_INVALID: {
    area: 'bundle',
    zh: '抽样参数无效',
    en: 'the sample’s parameters are invalid',
  },
  SAMPLE_MISSING: {
    area: 'bundle',
    zh: '检查人员要求抽样，但证据包中没有抽样',
    en: 'the inspector asked for a sample; the bundle holds none',
    action: ASK_EXPORTER,
  },
} as const satisfies Readonly<Record<string, ProblemInfo>>;

/** Every problem code a verification report can carry. */
export type ProblemCode = keyof typeof TABLE;

/** The catalogue: for each code, its area and its meaning in zh and en (and what to do). */
export const PROBLEMS: { readonly [C in ProblemCode]: ProblemInfo } = TABLE;

export const PROBLEM_CODES = Object.keys(PROBLEMS) as readonly ProblemCode[];

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}

/** The meaning of a code in one language; a code this verifier does not know is shown as itself. */
export function describeProblem(code: string, lang: 'zh' | 'en'): string {
  return isProblemCode(code) ? PROBLEMS[code][lang] : code;
}

/**
 * The status of one named check in a report:
 * - `passed`: it ran and found nothing;
 * - `failed`: it ran and found at least one problem;
 * - `not_checked`: it could not run (what it needs is missing, or an earlier check failed) — never a problem;
 * - `not_anchored`: it ran, but against nothing the user supplied (no trust anchor), so it proves nothing yet.
 */
export type CheckStatus = 'passed' | 'failed' | 'not_checked' | 'not_anchored';

export interface CheckResult<Name extends string = string> {
  readonly name: Name;
  readonly status: CheckStatus;
  /** Problems this check reported. */
  readonly problems: number;
  /** Why it was not checked or not anchored, or what it covered. */
  readonly detail?: string;
}
