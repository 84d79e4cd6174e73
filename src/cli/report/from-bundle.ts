/**
 * The inspector's report of a proof bundle: the bundle's verification checklist and its cases' timelines. The case
 * verdicts are computed with the rule set the verification used (the bundle's, identified and judged by the `rules`
 * check), so the checklist and the verdicts never come from two different rule sets.
 */
import { toHex } from '../../bytes';
import { type BundleReport, decodeBundle, replayEntries } from '../../bundles';
import { BUNDLE_CHECKS, type BundleCheck } from '../../bundles/verify';
import {
  JINCHENG_RULE_SET,
  type RuleSet,
  type ViewRecord,
  caseViewOf,
  checkCase,
  defaultCalendar,
  validateRuleSet,
} from '../../compliance';
import type { CryptoSuite } from '../../crypto/types';
import { decodeCanonical } from '../../encoding/cbor';
import { decodeSignedEntry } from '../../ledger/format';
import type { Text } from '../lang';
import { type CaseTimeline, type CheckItem, type InspectionReport, caseTimeline } from './model';
import { problemText } from './problem-text';

export const BUNDLE_CHECK_LABELS: Record<BundleCheck, Text> = {
  format: { zh: '证据包格式与版本', en: 'Bundle format and version' },
  suite: { zh: '算法套件', en: 'Crypto suite' },
  signers: { zh: '签名人及其当时角色', en: 'Signers and their roles at the time' },
  exporter: { zh: '导出人签名及其角色', en: 'Exporter’s signature and role' },
  checkpoint: { zh: '台账检查点签名（台账密钥）', en: 'Log checkpoint signature (log key)' },
  witnesses: { zh: '见证方联署（法定数量）', en: 'Witness cosignatures (quorum)' },
  consistency: { zh: '与检查方已有检查点一致', en: 'Consistent with the inspector’s checkpoint' },
  inclusion: {
    zh: '每条记录包含于检查点（Merkle 证明）',
    en: 'Every entry included in the checkpoint (Merkle proofs)',
  },
  completeness: {
    zh: '案件记录完整（所引用的记录均已附带，无多余记录）',
    en: 'Case records complete (every record referred to is carried, none unaccounted for)',
  },
  rules: { zh: '规则集（名称、版本、哈希）受信任', en: 'Rule set (name, version, hash) trusted' },
  compliance: { zh: '合规检查结果可复现', en: 'Compliance findings reproduce' },
  content: { zh: '随附文件与记录摘要一致', en: 'Carried files match their digests' },
  sample: { zh: '抽样可复现', en: 'Sample reproduces' },
};

/** A check's name in Chinese, by its id (`checkpoint` → 台账检查点签名…); an unknown id as it is. */
const checkZh = (id: string): string => BUNDLE_CHECK_LABELS[id as BundleCheck]?.zh ?? id;

/**
 * The verifier's check details (src/bundles/verify.ts) in both languages, so that a Chinese checklist reads Chinese;
 * a detail not listed here (codes, a rule set's name and hash) is shown as it is.
 */
const DETAILS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]> = [
  [
    /^the bundle's own log key, trusted by the inspector's choice$/,
    () => '证据包自带的台账密钥（按检查方的选择信任）',
  ],
  [
    /^signed by the bundle's own log key: compare it out of band and pin it \(logKey \/ --log-key\)$/,
    () => '由证据包自带的台账密钥签名：请与台账方另行核对该公钥，再作为信任锚输入（--log-key）',
  ],
  [/^no trusted witness given$/, () => '未给出受信任的见证方公钥'],
  [/^a quorum of zero anchors nothing$/, () => '法定联署数量为 0，不构成信任锚'],
  [/^the checkpoint did not verify$/, () => '检查点未通过核验'],
  [/^no checkpoint held by the inspector$/, () => '检查方未给出已持有的检查点'],
  [/^no case in the bundle$/, () => '证据包中没有案件'],
  [/^no valid rule set$/, () => '没有有效的规则集'],
  [
    /^the records are not authentic \((.+) failed\)$/,
    (m) => `记录的真实性未得到证明（${m[1]!.split(', ').map(checkZh).join('、')}未通过）`,
  ],
  [/^no complete case to evaluate$/, () => '没有可评判的完整案件'],
  [/^no file in the bundle or given$/, () => '证据包未附带文件，检查方也未提供'],
  [/^not a sample$/, () => '不是抽样证据包'],
  [/^the (\w+) check failed$/, (m) => `“${checkZh(m[1]!)}”未通过`],
];

/** A check's detail as the checklist shows it: both languages when it is words, else the text itself. */
export function checkDetail(detail: string): string | Text {
  for (const [re, zh] of DETAILS) {
    const m = re.exec(detail);
    if (m) return { zh: zh(m), en: detail };
  }
  return detail;
}

export function bundleChecklist(r: BundleReport): CheckItem[] {
  return BUNDLE_CHECKS.map((c) => {
    const check = r.checks[c];
    const codes = [...new Set(r.problems.filter((p) => p.check === c).map((p) => p.code))];
    const detail = codes.length ? codes.join(', ') : check.detail && checkDetail(check.detail);
    return {
      id: c,
      label: BUNDLE_CHECK_LABELS[c],
      status: check.status,
      ...(detail ? { detail } : {}),
      ...(codes.length ? { problems: codes.map(problemText) } : {}),
    };
  });
}

/** The bundle's rule set when it is valid (the one the `rules` check judged), else the built-in one. */
function ruleSetOf(payload: ReturnType<typeof decodeBundle>['payload']): RuleSet {
  if (!payload.ruleSet) return JINCHENG_RULE_SET;
  try {
    const rs = decodeCanonical(payload.ruleSet) as unknown as RuleSet;
    validateRuleSet(rs);
    return rs;
  } catch {
    // An invalid rule set failed the `rules` check: the verdicts shown are then marked as not verified.
    return JINCHENG_RULE_SET;
  }
}

/** Case timelines of a bundle that passed its format check (entries decoded, signers replayed). */
export function bundleTimelines(bytes: Uint8Array, suite: CryptoSuite): CaseTimeline[] {
  const { payload } = decodeBundle(bytes);
  const entries = payload.entries.map((e) => {
    const d = decodeSignedEntry(e.entry);
    return { entry: d.entry, entryBytes: d.entryBytes, signature: d.signature };
  });
  const replay = replayEntries(entries, suite);
  const bySeq = new Map(entries.map((e) => [e.entry.seq, e.entry]));
  const ruleSet = ruleSetOf(payload);
  const out: CaseTimeline[] = [];
  for (const c of payload.cases) {
    const records = (seqs: readonly number[]): ViewRecord[] => {
      const out: ViewRecord[] = [];
      for (const s of seqs) {
        const e = bySeq.get(s);
        if (!e) continue;
        const signer = replay.signers.get(s) ?? { principal: '', roles: [] };
        out.push({ seq: s, time: e.time, kind: e.kind, body: e.body, signer });
      }
      return out;
    };
    // With the organisation records the bundle carries for the case (Art. 20 devices, Art. 32 agencies).
    const view = {
      ...caseViewOf(records(c.seqs)),
      ...(c.organisation?.length ? { organisation: records(c.organisation) } : {}),
    };
    const report = checkCase(view, { ruleSet, calendar: defaultCalendar, asOf: c.asOf });
    out.push(caseTimeline(view, report, defaultCalendar));
  }
  return out;
}

export function bundleInspectionReport(
  name: string,
  r: BundleReport,
  cases: readonly CaseTimeline[],
  generatedAt: number,
): InspectionReport {
  const checklist = bundleChecklist(r);
  return {
    title: { zh: '执法全过程记录证据包核验报告', en: 'Proof bundle verification report' },
    source: {
      kind: 'bundle',
      name,
      origin: r.origin ?? '',
      size: r.size ?? 0,
      root: r.rootHash ? toHex(r.rootHash) : '',
    },
    generatedAt,
    ok: r.ok && cases.every((c) => c.compliant),
    verified: r.ok,
    checklist,
    cases,
  };
}
