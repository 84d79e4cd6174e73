/**
 * Art. 28 at the level of the agency: "各级卫生健康行政执法机构应当定期对本级全过程记录制度和设备设施管理情况进行检查". Each
 * complete period of the rule set's cadence (China civil months, quarters, half-years or years) between `from` and
 * `asOf` must be covered by a self-check record signed by one of `selfCheck.signerRoles`. Art. 30 lists no item for a
 * missing self-check (`none`).
 */
import type { SelfCheckBody } from '../domain/kinds/self-check';
import { type ViewRecord, isKind } from './case-view';
import { hasRole } from './case-index';
import { chinaDayNumber, formatDayNumber } from './civil-date';
import type { Finding } from './finding';
import { finding } from './rule';
import type { RuleSettings } from './rule-set';
import { cadenceZh } from './words';

const META = { id: 'art28-self-check', article: '28', liability: 'none' } as const;
const MONTHS = { month: 1, quarter: 3, half_year: 6, year: 12 } as const;

/** Day number of the first day of month `m` (0-based, may overflow) of year `y`. */
const firstDay = (y: number, m: number): number => Math.floor(Date.UTC(y, m, 1) / 86_400_000);

/** Complete periods [startDay, endDay] (inclusive day numbers) of the cadence from the one holding `from` to `asOf`. */
export function selfCheckPeriods(
  cadence: keyof typeof MONTHS,
  from: number,
  asOf: number,
): Array<{ from: number; to: number }> {
  const step = MONTHS[cadence];
  const f = formatDayNumber(chinaDayNumber(from));
  const y = Number(f.slice(0, 4));
  let m = Math.floor((Number(f.slice(5, 7)) - 1) / step) * step;
  const today = chinaDayNumber(asOf);
  const out: Array<{ from: number; to: number }> = [];
  for (;;) {
    const start = firstDay(y, m);
    const end = firstDay(y, m + step) - 1;
    if (end >= today) break;
    out.push({ from: start, to: end });
    m += step;
  }
  return out;
}

/** Findings of Art. 28 over the organisation records (self-checks among them). */
export function selfCheckFindings(
  organisation: readonly ViewRecord[],
  settings: RuleSettings,
  window: { readonly from: number; readonly asOf: number },
): Finding[] {
  const { cadence, signerRoles } = settings.selfCheck;
  if (cadence === null) return [];
  const checks: Array<ViewRecord<'enf/self-check', SelfCheckBody>> = [];
  for (const r of organisation) if (isKind(r, 'enf/self-check')) checks.push(r);
  const out: Finding[] = [];
  const valid = checks.filter((c) => hasRole(c, signerRoles));
  for (const c of checks)
    if (!valid.includes(c))
      out.push(
        finding(META, {
          code: 'self_check_signer',
          severity: 'violation',
          seqs: [c.seq],
          zh: `自查记录 ${c.body.selfCheckId} 不是由主管领导或专门人员签署（签名人 ${c.signer.principal}）`,
          en: `self-check ${c.body.selfCheckId} is not signed by a supervisor or the records person (signed by ${c.signer.principal})`,
          evidence: {
            selfCheckId: c.body.selfCheckId,
            signer: c.signer.principal,
            roles: [...c.signer.roles],
          },
        }),
      );
  for (const p of selfCheckPeriods(cadence, window.from, window.asOf)) {
    const covered = valid.some(
      (c) => chinaDayNumber(c.body.periodFrom) <= p.from && chinaDayNumber(c.body.periodTo) >= p.to,
    );
    if (covered) continue;
    const period = `${formatDayNumber(p.from)}–${formatDayNumber(p.to)}`;
    out.push(
      finding(META, {
        code: 'no_self_check',
        severity: 'violation',
        seqs: [],
        zh: `${period} 没有覆盖该期间的定期自查记录（第二十八条，周期：${cadenceZh(cadence)}）`,
        en: `no self-check record covers ${period} (Art. 28, cadence ${cadence})`,
        evidence: { from: formatDayNumber(p.from), to: formatDayNumber(p.to), cadence },
      }),
    );
  }
  return out;
}
