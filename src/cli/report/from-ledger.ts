/** Compliance reports and the inspector's report of cases read from an open ledger. */
import { tx } from '../lang';
import { toHex } from '../../bytes';
import {
  type CaseReport,
  type CaseView,
  type Finding,
  JINCHENG_RULE_SET,
  type LedgerReport,
  type ViewRecord,
  caseViewOf,
  checkLedger,
  defaultCalendar,
  identifyRuleSet,
} from '../../compliance';
import type { EnforcementRecords } from '../../domain/records';
import { INDEX } from '../../domain/spec';
import type { VerifyReport } from '../../ledger/types';
import { type CaseTimeline, type CheckItem, type InspectionReport, caseTimeline } from './model';

export interface CaseResult {
  readonly report: CaseReport;
  readonly timeline: CaseTimeline;
}

/** Case ids recorded in the ledger, in id order. */
export async function caseIds(er: EnforcementRecords): Promise<string[]> {
  const rows = await er.ledger.lookupRange(INDEX.id('case'));
  return [...new Set(rows.map((r) => r.key))];
}

/** Runs the Jincheng rule set over the given cases (all when `ids` is undefined). */
export async function checkCases(
  er: EnforcementRecords,
  ids?: readonly string[],
  asOf?: number,
): Promise<CaseResult[]> {
  return (await checkLedgerOf(er, ids, asOf)).cases;
}

/**
 * The Jincheng rule set over the given cases (all when `ids` is undefined) with the organisation records: each
 * case's result and the ledger report, whose `findings` are the agency's own (Art. 28 self-check cadence) — these
 * depend on the cases given (their periods start at the earliest case), so read them for the whole ledger only.
 * `extra` organisation records (a self-check about to be recorded) are added to the log's.
 */
export async function checkLedgerOf(
  er: EnforcementRecords,
  ids?: readonly string[],
  asOf?: number,
  extra: readonly ViewRecord[] = [],
): Promise<{ readonly cases: CaseResult[]; readonly ledger: LedgerReport }> {
  const ruleSetId = identifyRuleSet(JINCHENG_RULE_SET, er.ledger.suite.hash); // as bundles name it (verify-bundle --rule-set)
  const organisation = [...(await organisationRecords(er)), ...extra];
  const views: CaseView[] = [];
  for (const id of ids ?? (await caseIds(er))) views.push(caseViewOf(await er.caseRecords(id)));
  const ledger = checkLedger(views, {
    ruleSet: JINCHENG_RULE_SET,
    calendar: defaultCalendar,
    ruleSetId,
    organisation,
    ...(asOf !== undefined ? { asOf } : {}),
  });
  const cases = views.map((view, i) => {
    const report = ledger.cases[i]!;
    return { report, timeline: caseTimeline(view, report, defaultCalendar) };
  });
  return { cases, ledger };
}

/**
 * Records outside any case that the rules consult (Art. 20 devices and their events, Art. 28 self-checks, Art. 32
 * agencies), in log order.
 */
export async function organisationRecords(er: EnforcementRecords): Promise<ViewRecord[]> {
  const seqs = new Set<number>();
  for (const space of ['agency', 'device', 'device-event', 'self-check'] as const)
    for (const r of await er.ledger.lookupRange(INDEX.id(space))) seqs.add(r.seq);
  const out: ViewRecord[] = [];
  for (const seq of [...seqs].sort((a, b) => a - b)) {
    const r = await er.record(seq);
    if (r) out.push(r);
  }
  return out;
}

export function ledgerChecklist(
  verify: VerifyReport,
  content: { files: number; problems: number } | null,
  cases: readonly CaseResult[],
  agency: readonly Finding[] = [],
): CheckItem[] {
  const codes = verify.problems.map((p) => p.code);
  const about = (re: RegExp) => codes.filter((c) => re.test(c));
  const item = (id: string, zh: string, en: string, bad: string[]): CheckItem => ({
    id,
    label: { zh, en },
    status: bad.length === 0 ? 'passed' : 'failed',
    ...(bad.length ? { detail: [...new Set(bad)].join(', ') } : {}),
  });
  const violations =
    cases.reduce((n, c) => n + c.report.counts.bySeverity.violation, 0) +
    agency.filter((f) => f.severity === 'violation').length;
  return [
    item('manifest', '台账清单与算法套件', 'Manifest and crypto suite', about(/MANIFEST|SUITE/)),
    item('signatures', '每条记录的签名', 'Signature of every entry', about(/SIGNATURE/)),
    item(
      'chain',
      '哈希链与 Merkle 树一致，无删改、插入或重排',
      'Hash chain and Merkle tree agree: nothing edited, inserted or reordered',
      about(/CHAIN|TREE|NODE|SEQ|ENTRY|PREV/),
    ),
    item(
      'roles',
      '签名人当时持有所需角色且未被撤销',
      'Each signer held the required role and was not revoked',
      about(/SIGNER|ROLE|KIND|KEY/),
    ),
    item(
      'checkpoints',
      '已签检查点与台账一致',
      'Signed checkpoints agree with the log',
      about(/CHECKPOINT|CONSISTEN|TRUNCAT/),
    ),
    item('index', '索引与记录一致', 'Index rows agree with the records', about(/INDEX/)),
    {
      id: 'content',
      label: {
        zh: '音像与文书文件未被修改或删除',
        en: 'Media and document files neither altered nor deleted',
      },
      status: content === null ? 'not_checked' : content.problems === 0 ? 'passed' : 'failed',
      detail:
        content === null
          ? tx('未要求（verify --content）', 'not requested (verify --content)')
          : tx(
              `文件 ${content.files} 个，问题 ${content.problems} 项`,
              `${content.files} files, ${content.problems} problem(s)`,
            ),
    },
    {
      id: 'compliance',
      label: {
        zh: '全过程记录制度合规检查（晋城规则集）',
        en: 'Whole-process recording rules (Jincheng rule set)',
      },
      status: violations === 0 ? 'passed' : 'failed',
      detail: tx(
        `案件 ${cases.length} 件，违规 ${violations} 项`,
        `${cases.length} case(s), ${violations} violation(s)`,
      ),
    },
  ];
}

export function ledgerInspectionReport(
  er: EnforcementRecords,
  name: string,
  verify: VerifyReport,
  content: { files: number; problems: number } | null,
  cases: readonly CaseResult[],
  generatedAt: number,
  agency?: readonly Finding[],
): InspectionReport {
  const checklist = ledgerChecklist(verify, content, cases, agency);
  return {
    title: { zh: '执法全过程记录核验报告', en: 'Enforcement recording verification report' },
    source: { kind: 'ledger', name, origin: er.ledger.origin, size: verify.size, root: toHex(verify.root) },
    generatedAt,
    ok: checklist.every((c) => c.status !== 'failed'),
    verified: checklist.every((c) => c.id === 'compliance' || c.status !== 'failed'),
    checklist,
    cases: cases.map((c) => c.timeline),
    ...(agency === undefined ? {} : { agency }),
  };
}
