/** The shape of a compliance rule: a pure function of a case view and a context, returning findings. */
import type { WorkingDayCalendar } from './calendar';
import type { CaseView } from './case-view';
import type { EvidenceValue, Finding, LiabilityItem, Severity } from './finding';
import type { RuleId, RuleSettings } from './rule-set';

export interface RuleContext {
  readonly calendar: WorkingDayCalendar;
  readonly settings: RuleSettings;
  /** The time the check is made (ms); deadlines not yet passed at this time are not findings. */
  readonly asOf: number;
}

export interface Rule {
  readonly id: RuleId;
  /** Article(s) the rule checks, e.g. `17`, `14-16`. */
  readonly article: string;
  /** Liability item of Art. 30 its findings support by default. */
  readonly liability: LiabilityItem;
  /** Pure: reads only its arguments, never writes, never reads a clock. */
  check(view: CaseView, ctx: RuleContext): Finding[];
}

export interface FindingInput {
  readonly code: string;
  readonly severity: Severity;
  readonly seqs: readonly number[];
  readonly zh: string;
  readonly en: string;
  readonly evidence?: { readonly [key: string]: EvidenceValue };
  readonly article?: string;
  readonly liability?: LiabilityItem;
}

/** Builds a finding of `rule`; seqs are sorted and deduplicated. */
export function finding(
  rule: { readonly id: string; readonly article: string; readonly liability: LiabilityItem },
  f: FindingInput,
): Finding {
  return {
    rule: rule.id,
    article: f.article ?? rule.article,
    liability: f.liability ?? rule.liability,
    severity: f.severity,
    seqs: [...new Set(f.seqs)].sort((a, b) => a - b),
    code: f.code,
    message: { zh: f.zh, en: f.en },
    evidence: f.evidence ?? {},
  };
}
