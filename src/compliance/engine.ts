/** Runs a rule set's rules over one case view; findings in a stable total order (compareFindings). */
import type { WorkingDayCalendar } from './calendar';
import type { CaseView } from './case-view';
import { indexCase } from './case-index';
import { chinaDate, chinaDayNumber, parseCivilDate } from './civil-date';
import { compareFindings, type Finding } from './finding';
import { RULES } from './registry';
import type { RuleContext } from './rule';
import { type RuleSet, validateRuleSet } from './rule-set';

export interface CheckOptions {
  readonly ruleSet: RuleSet;
  readonly calendar: WorkingDayCalendar;
  /** When the check is made (ms). Defaults to the latest append time in the view, so results never depend on a clock. */
  readonly asOf?: number;
}

export function runRules(view: CaseView, options: CheckOptions): Finding[] {
  if (!view || typeof view !== 'object' || !view.case || !Array.isArray(view.records))
    throw new TypeError('view must be a CaseView { case, records }');
  validateRuleSet(options.ruleSet);
  if (options.asOf !== undefined && !Number.isSafeInteger(options.asOf))
    throw new TypeError('options.asOf must be an integer ms timestamp');
  const ctx: RuleContext = {
    calendar: options.calendar,
    settings: options.ruleSet.settings,
    asOf: options.asOf ?? indexCase(view).lastTime,
  };
  // Art. 34: a rule set applies from its date; a case acting before it is not (re-)judged by it.
  if (chinaDayNumber(caseTime(view)) < parseCivilDate(options.ruleSet.effectiveFrom)!)
    return [notInForce(view, options.ruleSet)];
  const out: Finding[] = [];
  for (const id of new Set(options.ruleSet.rules)) out.push(...RULES[id].check(view, ctx));
  return out.sort(compareFindings);
}

/**
 * The time a case is judged at for choosing its rule set: its first on-site action's arrival, or its opening when it
 * has no action.
 */
export function caseTime(view: CaseView): number {
  const starts = indexCase(view).actions.map((a) => a.start.body.startedAt);
  return starts.length ? Math.min(...starts) : view.case.body.openedAt;
}

/**
 * The rule set in force at the case's time (Art. 33–34): the one with the latest `effectiveFrom` on or before that
 * China civil day (ties: the later in the list). Undefined when none was in force yet.
 */
export function ruleSetInForce(ruleSets: readonly RuleSet[], view: CaseView): RuleSet | undefined {
  if (!Array.isArray(ruleSets) || ruleSets.length === 0)
    throw new TypeError('ruleSets must be a non-empty array');
  const day = chinaDayNumber(caseTime(view));
  let best: { rs: RuleSet; from: number } | undefined;
  for (const rs of ruleSets) {
    validateRuleSet(rs);
    const from = parseCivilDate(rs.effectiveFrom)!;
    if (from <= day && (!best || from >= best.from)) best = { rs, from };
  }
  return best?.rs;
}

/** The finding given instead of judging a case by a rule set that was not yet in force at its time. */
function notInForce(view: CaseView, rs: RuleSet): Finding {
  const at = caseTime(view);
  return {
    rule: 'rule-set',
    article: '34',
    liability: 'none',
    severity: 'info',
    seqs: [view.case.seq],
    code: 'rule_set_not_in_force',
    message: {
      zh: `案件 ${view.case.body.caseId} 的执法行为发生于 ${chinaDate(at)}，规则集 ${rs.name} v${rs.version} 自 ${rs.effectiveFrom} 起施行，不据此评判`,
      en: `case ${view.case.body.caseId} acted on ${chinaDate(at)}, before rule set ${rs.name} v${rs.version} took effect (${rs.effectiveFrom}); not judged by it`,
    },
    evidence: { caseTime: at, effectiveFrom: rs.effectiveFrom, ruleSet: `${rs.name}@${rs.version}` },
  };
}
