/** Runs a rule set's rules over one case view; findings in a stable total order (compareFindings). */
import type { WorkingDayCalendar } from './calendar';
import type { CaseView } from './case-view';
import { indexCase } from './case-index';
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
  const out: Finding[] = [];
  for (const id of new Set(options.ruleSet.rules)) out.push(...RULES[id].check(view, ctx));
  return out.sort(compareFindings);
}
