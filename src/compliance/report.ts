/**
 * Compliance reports for auditors (Art. 28) and inspectors (Art. 29): per case and per ledger (a list of case views),
 * as JSON-ready data naming the rule set (name, version, hash) and the calendar used, with counts by article and a
 * short human summary in Chinese and English.
 */
import type { WorkingDayCalendar } from './calendar';
import type { AgencyBody } from '../domain/kinds/organisation';
import { KIND } from '../domain/kind-names';
import { type CaseView, type ViewRecord, isKind } from './case-view';
import { indexCase } from './case-index';
import { chinaDateTime } from './civil-date';
import { type CheckOptions, caseTime, ruleSetInForce, runRules } from './engine';
import { selfCheckFindings } from './self-check';
import { type Finding, type LocalText, type Severity, compareFindings } from './finding';
import { type RuleSet, type RuleSetId, identifyRuleSet, validateRuleSet } from './rule-set';

export const REPORT_FORMAT = 'enforcement-ledger/compliance-report@1';

export type SeverityCounts = { readonly [S in Severity]: number };

export interface ReportCounts {
  readonly total: number;
  readonly bySeverity: SeverityCounts;
  /** Counts per article, keys in article order (`8`, `9`, …, `22(1)`, `22(2)`). */
  readonly byArticle: { readonly [article: string]: SeverityCounts };
}

export interface CalendarInfo {
  readonly version: string;
  readonly years: readonly number[];
}

/** Art. 32: the case's agency and, for an entrusted organisation, the agency it is reported under. */
export interface AgencyOfCase {
  readonly agencyId: string;
  /** The entrusting agency when the case's agency is an entrusted organisation (受委托组织); else null. */
  readonly entrustedBy: string | null;
  /** The agency the case is reported under: the entrusting agency, else the case's own. */
  readonly reportedUnder: string;
}

export interface CaseReport {
  readonly format: typeof REPORT_FORMAT;
  readonly caseId: string;
  readonly matterType: string;
  readonly agency: AgencyOfCase;
  readonly ruleSet: RuleSetId;
  readonly calendar: CalendarInfo;
  readonly asOf: number;
  /** No violation (warnings and info may remain). */
  readonly compliant: boolean;
  readonly counts: ReportCounts;
  readonly findings: readonly Finding[];
  readonly summary: LocalText;
}

export interface LedgerReport {
  readonly format: typeof REPORT_FORMAT;
  readonly ruleSet: RuleSetId;
  readonly calendar: CalendarInfo;
  readonly cases: readonly CaseReport[];
  /** Findings about the agency rather than a case (Art. 28 self-checks); empty without organisation records. */
  readonly findings: readonly Finding[];
  /** Cases and violations per reporting agency (Art. 32: entrusted organisations under their entrusting agency). */
  readonly byAgency: {
    readonly [agencyId: string]: { readonly cases: number; readonly violations: number };
  };
  readonly compliantCases: number;
  readonly counts: ReportCounts;
  readonly summary: LocalText;
}

export interface ReportOptions extends CheckOptions {
  /** Precomputed identity of `ruleSet` (skips re-hashing for many cases); computed with SHA-256 when omitted. */
  readonly ruleSetId?: RuleSetId;
  /**
   * Records outside any case (agencies, people, devices and their events, self-checks), in log order: given to each
   * case view that has none (Art. 20, 32) and, in `checkLedger`, checked for Art. 28's self-checks.
   */
  readonly organisation?: readonly ViewRecord[];
}

/** Art. 32: the case's agency, and the entrusting agency it is reported under when it is an entrusted organisation. */
export function agencyOfCase(view: CaseView): AgencyOfCase {
  const agencyId = view.case.body.agencyId;
  const rec = view.organisation?.find(
    (r): r is ViewRecord<'enf/agency', AgencyBody> => isKind(r, KIND.agency) && r.body.agencyId === agencyId,
  );
  const by = rec?.body.entrustedBy;
  return { agencyId, entrustedBy: by ?? null, reportedUnder: by ?? agencyId };
}

const zero = (): { violation: number; warning: number; info: number } => ({
  violation: 0,
  warning: 0,
  info: 0,
});

/** Orders article labels numerically: 8 < 9 < 13 < 14-16 < 15 < 22(1) < 22(2). */
function compareArticles(a: string, b: string): number {
  const key = (s: string) => (s.match(/\d+/g) ?? []).map(Number);
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? -1) - (kb[i] ?? -1);
    if (d) return d;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countFindings(findings: readonly Finding[]): ReportCounts {
  const bySeverity = zero();
  const by: Record<string, ReturnType<typeof zero>> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    by[f.article] ??= zero();
    by[f.article]![f.severity]++;
  }
  const byArticle: Record<string, SeverityCounts> = {};
  for (const k of Object.keys(by).sort(compareArticles)) byArticle[k] = by[k]!;
  return { total: findings.length, bySeverity, byArticle };
}

const calendarInfo = (c: WorkingDayCalendar): CalendarInfo => ({ version: c.version, years: [...c.years] });

function articleList(counts: ReportCounts, lang: 'zh' | 'en'): string {
  return Object.entries(counts.byArticle)
    .filter(([, c]) => c.violation > 0)
    .map(([a, c]) => (lang === 'zh' ? `第${a}条 ${c.violation} 项` : `Art. ${a}: ${c.violation}`))
    .join(lang === 'zh' ? '；' : '; ');
}

function caseSummary(caseId: string, rs: RuleSetId, asOf: number, counts: ReportCounts): LocalText {
  const { violation, warning, info } = counts.bySeverity;
  const head = {
    zh: `案件 ${caseId}（规则集 ${rs.name} v${rs.version}，截至 ${chinaDateTime(asOf)}）：`,
    en: `Case ${caseId} (rule set ${rs.name} v${rs.version}, as of ${chinaDateTime(asOf)} UTC+8): `,
  };
  if (violation === 0)
    return {
      zh: `${head.zh}未发现违反全过程记录制度的情形；提示 ${warning} 项，信息 ${info} 项。`,
      en: `${head.en}no violation of the recording rules; ${warning} warning(s), ${info} note(s).`,
    };
  return {
    zh: `${head.zh}发现违规 ${violation} 项（${articleList(counts, 'zh')}），提示 ${warning} 项，信息 ${info} 项。`,
    en: `${head.en}${violation} violation(s) (${articleList(counts, 'en')}), ${warning} warning(s), ${info} note(s).`,
  };
}

/** Runs the rule set over one case and reports. */
export function checkCase(given: CaseView, options: ReportOptions): CaseReport {
  const view =
    options.organisation && !given.organisation ? { ...given, organisation: options.organisation } : given;
  const ruleSet = options.ruleSetId ?? identifyRuleSet(options.ruleSet);
  const asOf = options.asOf ?? indexCase(view).lastTime;
  const findings = runRules(view, { ...options, asOf });
  const counts = countFindings(findings);
  return {
    format: REPORT_FORMAT,
    caseId: view.case.body.caseId,
    matterType: view.case.body.matterType,
    agency: agencyOfCase(view),
    ruleSet,
    calendar: calendarInfo(options.calendar),
    asOf,
    compliant: counts.bySeverity.violation === 0,
    counts,
    findings,
    summary: caseSummary(view.case.body.caseId, ruleSet, asOf, counts),
  };
}

/**
 * Runs the rule set over every case of a ledger (or a sample, Art. 29). Cases are reported in the order given;
 * `asOf`, when omitted, is each case's own latest record time.
 */
export function checkLedger(views: readonly CaseView[], options: ReportOptions): LedgerReport {
  if (!Array.isArray(views)) throw new TypeError('views must be an array of CaseView');
  const ruleSet = options.ruleSetId ?? identifyRuleSet(options.ruleSet);
  const cases = views.map((v) => checkCase(v, { ...options, ruleSetId: ruleSet }));
  const findings: Finding[] = [];
  if (options.organisation) {
    validateRuleSet(options.ruleSet);
    // From the period of the earliest case (or, with no case, of the earliest organisation record).
    const times = views.length ? views.map(caseTime) : options.organisation.map((r) => r.time);
    const asOf =
      options.asOf ??
      Math.max(0, ...views.map((v) => indexCase(v).lastTime), ...options.organisation.map((r) => r.time));
    if (times.length)
      findings.push(
        ...selfCheckFindings(options.organisation, options.ruleSet.settings, {
          from: Math.min(...times),
          asOf,
        }),
      );
  }
  const byAgency: Record<string, { cases: number; violations: number }> = {};
  for (const c of cases) {
    byAgency[c.agency.reportedUnder] ??= { cases: 0, violations: 0 };
    const a = byAgency[c.agency.reportedUnder]!;
    a.cases++;
    a.violations += c.counts.bySeverity.violation;
  }
  const counts = countFindings([...cases.flatMap((c) => c.findings), ...findings]);
  const compliantCases = cases.filter((c) => c.compliant).length;
  const failing = cases.length - compliantCases;
  const { violation, warning } = counts.bySeverity;
  return {
    format: REPORT_FORMAT,
    ruleSet,
    calendar: calendarInfo(options.calendar),
    cases,
    findings: findings.sort(compareFindings),
    byAgency,
    compliantCases,
    counts,
    summary: {
      zh: `共检查 ${cases.length} 件案件（规则集 ${ruleSet.name} v${ruleSet.version}）：${compliantCases} 件未发现违规，${failing} 件存在违规；违规共 ${violation} 项${violation ? `（${articleList(counts, 'zh')}）` : ''}，提示 ${warning} 项。`,
      en: `Checked ${cases.length} case(s) (rule set ${ruleSet.name} v${ruleSet.version}): ${compliantCases} without violation, ${failing} with violations; ${violation} violation(s) in all${violation ? ` (${articleList(counts, 'en')})` : ''}, ${warning} warning(s).`,
    },
  };
}

/** A short plain-text rendering of a case report: the summary, then one line per finding. */
export function renderCaseReport(report: CaseReport, lang: 'zh' | 'en' = 'zh'): string {
  const sev = {
    violation: lang === 'zh' ? '违规' : 'VIOLATION',
    warning: lang === 'zh' ? '提示' : 'warning',
    info: lang === 'zh' ? '信息' : 'info',
  };
  const lines = [report.summary[lang]];
  for (const f of report.findings)
    lines.push(
      `- [${sev[f.severity]}] ${lang === 'zh' ? `第${f.article}条` : `Art. ${f.article}`} (${f.liability}) seq ${f.seqs.join(',')}: ${f.message[lang]}`,
    );
  return lines.join('\n');
}

/**
 * Judges a case by the rule set in force at its actions' time (Arts. 33–34) among `ruleSets`, never by a later one;
 * when none was in force yet, by the earliest, which reports `rule_set_not_in_force` instead of findings.
 */
export function checkCaseInForce(
  view: CaseView,
  options: Omit<ReportOptions, 'ruleSet' | 'ruleSetId'> & { readonly ruleSets: readonly RuleSet[] },
): CaseReport {
  const { ruleSets, ...rest } = options;
  const rs =
    ruleSetInForce(ruleSets, view) ??
    [...ruleSets].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))[0]!;
  return checkCase(view, { ...rest, ruleSet: rs });
}
