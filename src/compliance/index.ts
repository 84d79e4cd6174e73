/**
 * Compliance (issue 6): whether the recording duty itself was met (Art. 8–22), as findings naming the article and the
 * Art. 30 liability item. Pure: no storage, no node: imports; the offline bundle verifier can run it in a browser.
 */
export {
  type CalendarData,
  type CalendarYear,
  type DayStatus,
  type DeadlineResult,
  type HolidayNotice,
  type HolidaySpan,
  WorkingDayCalendar,
  addWorkingDays,
  depositDeadline,
} from './calendar';
export { CN_CALENDAR_DATA } from './calendar-data';
export { type CivilDate, type DateInput, chinaDate, parseCivilDate } from './civil-date';
export { defaultCalendar } from './default-calendar';
export {
  type CaseView,
  type KnownKind,
  type KnownRecord,
  type ViewRecord,
  type ViewSigner,
  caseViewOf,
  recordsOfKind,
} from './case-view';
export {
  type EvidenceValue,
  type Finding,
  LIABILITY_ITEMS,
  type LiabilityItem,
  type LocalText,
  type Severity,
  compareFindings,
} from './finding';
export type { Rule, RuleContext } from './rule';
export {
  type DocumentOrder,
  type DocumentRequirement,
  JINCHENG_RULE_SET,
  RULE_IDS,
  type RequirementTrigger,
  type RuleId,
  type RuleSet,
  type RuleSetId,
  type RuleSettings,
  deriveRuleSet,
  encodeRuleSet,
  identifyRuleSet,
  validateRuleSet,
} from './rule-set';
export { RULES } from './registry';
export { type CheckOptions, caseTime, ruleSetInForce, runRules } from './engine';
export { selfCheckFindings, selfCheckPeriods } from './self-check';
export {
  type AgencyOfCase,
  type CalendarInfo,
  type CaseReport,
  type LedgerReport,
  REPORT_FORMAT,
  type ReportCounts,
  type ReportOptions,
  agencyOfCase,
  checkCase,
  checkCaseInForce,
  checkLedger,
  countFindings,
  renderCaseReport,
} from './report';
