import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  JINCHENG_RULE_SET,
  caseViewOf,
  checkCase,
  defaultCalendar,
  renderCaseReport,
} from '../../src/compliance';
import type { CaseView } from '../../src/compliance';
import { type PenaltyCaseDefect, buildPenaltyCase } from '../../src/domain/example-penalty-case';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function view(defects: PenaltyCaseDefect[] = []): Promise<CaseView> {
  const dir = await mkdtemp(join(tmpdir(), 'el-compliance-'));
  dirs.push(dir);
  const r = await buildPenaltyCase(dir, { defects, keepOpen: true });
  try {
    return caseViewOf(await r.records!.caseRecords(r.caseId));
  } finally {
    await r.records!.ledger.close();
  }
}

const check = (v: CaseView) => checkCase(v, { ruleSet: JINCHENG_RULE_SET, calendar: defaultCalendar });
const violations = (v: CaseView) =>
  check(v)
    .findings.filter((f) => f.severity === 'violation')
    .map((f) => `${f.article} ${f.rule} ${f.code}`);

describe('the domain penalty-case example under the Jincheng rule set', () => {
  it('passes with no finding at all', async () => {
    const report = check(await view());
    expect(report.findings).toEqual([]);
    expect(report.compliant).toBe(true);
    expect(report.summary.en).toMatch(/no violation/);
  });

  it('reports a seizure without AV under Art. 11 and Art. 16', async () => {
    expect(violations(await view(['missing_av_for_seizure']))).toEqual([
      '11 art11-mandatory-av missing_av',
      '16 art16-coercion missing_av',
    ]);
  });

  it('reports a 10-minute unexcused gap under Art. 17', async () => {
    const r = check(await view(['unexcused_gap']));
    expect(r.findings.map((f) => `${f.article} ${f.code}`)).toEqual(['17 gap']);
    expect(r.findings[0]!.evidence).toMatchObject({ durationMs: 600_000, exceptions: [] });
    expect(r.findings[0]!.liability).toBe('30(1)');
  });

  it('reports a late deposit under Art. 22(1)', async () => {
    const r = check(await view(['late_deposit']));
    expect(r.findings.map((f) => `${f.article} ${f.code}`)).toEqual(['22(1) late_deposit']);
    // Ended Tue 2026-03-03: deadline Thu 03-05; deposited Mon 03-09.
    expect(r.findings[0]!.evidence).toMatchObject({ deadline: '2026-03-05', basis: 'on_site_end' });
    expect(r.findings[0]!.liability).toBe('30(3)');
  });

  it('reports a decision before the prior notice under Art. 15', async () => {
    // The prior notice and the hearing notice, issued after the decision, are also served after it (Art. 15(3)).
    expect(violations(await view(['decision_before_prior_notice']))).toEqual([
      '15 art15-document-order out_of_order',
      '15(3) art15-service served_late',
      '15(3) art15-service served_late',
    ]);
  });

  it('reports a single officer on site under Art. 9', async () => {
    const r = check(await view(['single_officer']));
    const v = r.findings.filter((f) => f.severity === 'violation');
    expect(v.length).toBeGreaterThan(0);
    expect(new Set(v.map((f) => f.article))).toEqual(new Set(['9', '13']));
    expect(v.filter((f) => f.code === 'too_few_officers')).toHaveLength(5);
    // The second officer's body camera recorded actions she is not named on (Art. 13).
    expect(v.filter((f) => f.article === '13').every((f) => f.code === 'segment_officer_not_on_action')).toBe(
      true,
    );
  });

  it('reports all five defects together, each with its article', async () => {
    const r = check(
      await view([
        'missing_av_for_seizure',
        'unexcused_gap',
        'late_deposit',
        'decision_before_prior_notice',
        'single_officer',
      ]),
    );
    const articles = new Set(r.findings.filter((f) => f.severity === 'violation').map((f) => f.article));
    for (const a of ['9', '11', '15', '16', '17', '22(1)']) expect(articles.has(a)).toBe(true);
    expect(r.compliant).toBe(false);
    expect(renderCaseReport(r, 'zh')).toMatch(/第17条/);
  });
});
