/** fast-check properties of the rule engine over generated cases. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CaseView,
  type Finding,
  JINCHENG_RULE_SET,
  compareFindings,
  defaultCalendar,
  runRules,
} from '../../src/compliance';
import { ARCHIVIST, CaseBuilder, HEAD, MIN, cst } from './fixtures';

const ACTION_TYPES = [
  'seize_property',
  'seal_premises',
  'on_site_inspection',
  'inquiry',
  'hearing',
  'evidence_preservation',
  'direct_service',
  'sampling',
] as const;
const SPAN_DOCS = [
  'ON_SITE_INSPECTION_RECORD',
  'INQUIRY_RECORD',
  'HEARING_RECORD',
  'HEALTH_SUPERVISION_OPINION',
];
const CASE_DOCS = [
  'PENALTY_PRIOR_NOTICE',
  'PENALTY_DECISION',
  'HEARING_NOTICE',
  'HEARING_RECORD',
  'COLLEGIAL_DELIBERATION_RECORD',
  'SEAL_SEIZURE_DECISION',
  'CASE_CLOSING_REPORT',
];
const DAY0 = cst(2026, 3, 2, 9);
const ASOF = cst(2026, 6, 1, 9);

const segmentArb = fc.record({
  from: fc.integer({ min: -5, max: 60 }),
  len: fc.integer({ min: 1, max: 30 }),
});
const actionArb = fc.record({
  day: fc.integer({ min: 0, max: 40 }),
  types: fc.uniqueArray(fc.constantFrom(...ACTION_TYPES), { minLength: 1, maxLength: 3 }),
  officers: fc.integer({ min: 1, max: 3 }),
  minutes: fc.integer({ min: 10, max: 60 }),
  segments: fc.array(segmentArb, { maxLength: 4 }),
  docs: fc.array(
    fc.record({
      type: fc.constantFrom(...SPAN_DOCS),
      at: fc.integer({ min: 0, max: 60 }),
      len: fc.integer({ min: 1, max: 60 }),
    }),
    { maxLength: 3 },
  ),
  ended: fc.boolean(),
  depositAfterDays: fc.option(fc.integer({ min: 0, max: 12 })),
  approved: fc.boolean(),
});
const caseArb = fc.record({
  matterType: fc.constantFrom('penalty', 'coercion', 'inspection', 'licensing'),
  actions: fc.array(actionArb, { minLength: 1, maxLength: 3 }),
  docs: fc.array(fc.record({ type: fc.constantFrom(...CASE_DOCS), day: fc.integer({ min: 0, max: 60 }) }), {
    maxLength: 5,
  }),
  data: fc.option(fc.record({ amount: fc.integer({ min: 1, max: 3 }) })),
  closed: fc.option(fc.boolean()),
});
type CaseSpec = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: CaseSpec): CaseBuilder {
  const b = new CaseBuilder(spec.matterType);
  const people = ['P-wang', 'P-li', 'P-zhao'];
  spec.actions.forEach((a, i) => {
    const id = `ACT-${i + 1}`;
    const t = DAY0 + a.day * 86_400_000 + i * 90 * MIN;
    const end = t + a.minutes * MIN;
    if (a.approved)
      b.add(
        'enf/approval.coercive-measure',
        { approvalId: `AP-${id}`, actionId: id, decision: 'approved', decidedAt: t - MIN, measure: 'other' },
        HEAD,
      );
    b.start(id, [...a.types], t, { officers: people.slice(0, a.officers) });
    for (const s of a.segments) b.segment(id, t + s.from * MIN, t + (s.from + s.len) * MIN);
    for (const d of a.docs)
      b.document(d.type, t + d.at * MIN, {
        actionId: id,
        endedAt: t + (d.at + d.len) * MIN,
        officers: people.slice(0, a.officers),
      });
    if (a.ended) {
      b.end(id, end);
      if (a.depositAfterDays !== null) b.deposit(id, end + a.depositAfterDays * 86_400_000, end);
    }
  });
  for (const d of spec.docs) b.document(d.type, DAY0 + d.day * 86_400_000, { fields: { amount: 5000 } });
  if (spec.data) {
    const target = b.records.find((r) => r.kind === 'enf/document');
    if (target)
      b.add('enf/data', {
        dataId: 'D-1',
        documentId: (target.body as { documentId: string }).documentId,
        system: 's',
        recordedAt: DAY0 + 50 * 86_400_000,
        fields: { amount: spec.data.amount === 1 ? 5000 : 500 * spec.data.amount },
      });
  }
  if (spec.closed !== null) {
    b.add('enf/case.close', { closedAt: DAY0 + 62 * 86_400_000, outcome: 'x' });
    if (spec.closed)
      b.add(
        'enf/case.archive',
        { archivedAt: DAY0 + 63 * 86_400_000, archiveNo: 'A', retentionClass: 'D30' },
        ARCHIVIST,
      );
  }
  return b;
}

const check = (v: CaseView): Finding[] =>
  runRules(v, { ruleSet: JINCHENG_RULE_SET, calendar: defaultCalendar, asOf: ASOF });
const keys = (fs: readonly Finding[]) => fs.map((f) => JSON.stringify(f));

describe('compliance properties (fast-check)', () => {
  it('an approved exception never adds a violation or warning (and can remove gaps)', () => {
    let removed = 0;
    fc.assert(
      fc.property(
        caseArb,
        fc.nat(),
        fc.integer({ min: -10, max: 70 }),
        fc.integer({ min: 1, max: 80 }),
        fc.constantFrom('state_secret', 'commercial_secret', 'personal_privacy', 'force_majeure'),
        (spec, pick, from, len, reason) => {
          const b = build(spec);
          const before = check(b.view());
          const starts = b.records.filter((r) => r.kind === 'enf/action.start');
          const start = starts[pick % starts.length]!;
          const { actionId, startedAt } = start.body as { actionId: string; startedAt: number };
          b.add('enf/exception', {
            exceptionId: 'EX-P',
            actionId,
            reason,
            from: startedAt + from * MIN,
            to: startedAt + (from + len) * MIN,
          });
          b.add(
            'enf/approval.av-exception',
            { approvalId: 'AP-P', exceptionId: 'EX-P', decision: 'approved', decidedAt: ASOF - MIN },
            HEAD,
          );
          const after = check(b.view());
          // Art. 18: an approved exception may turn a violation into a note naming it, and the findings it touches
          // name it in their evidence; it never brings a violation or warning that was not there.
          const had = new Set(
            before.filter((f) => f.severity !== 'info').map((f) => `${f.rule}/${f.code}/${f.seqs[0]}`),
          );
          for (const f of after)
            if (f.severity !== 'info') expect(had.has(`${f.rule}/${f.code}/${f.seqs[0]}`)).toBe(true);
          const serious = (fs: Finding[]) => fs.filter((f) => f.severity !== 'info').length;
          if (serious(after) < serious(before)) removed++;
        },
      ),
      { numRuns: 300 },
    );
    // The generator does reach cases where the exception excuses a gap.
    expect(removed).toBeGreaterThan(0);
  });

  it('removing a required document never removes findings about other records', () => {
    const settings = JINCHENG_RULE_SET.settings;
    const required = new Set([
      ...Object.values(settings.documents).flatMap((rs) => rs.flatMap((r) => r.anyOf)),
      ...settings.documentOrder.map((o) => o.before),
    ]);
    let grew = 0;
    fc.assert(
      fc.property(caseArb, fc.nat(), (spec, pick) => {
        const b = build(spec);
        const docs = b.records.filter(
          (r) => r.kind === 'enf/document' && required.has((r.body as { type: string }).type),
        );
        fc.pre(docs.length > 0);
        const gone = docs[pick % docs.length]!;
        const before = check(b.view());
        const view = b.view();
        const after = check({ ...view, records: view.records.filter((r) => r !== gone) });
        const now = new Set(keys(after));
        for (const f of before) if (!f.seqs.includes(gone.seq)) expect(now.has(JSON.stringify(f))).toBe(true);
        if (after.length > before.filter((f) => !f.seqs.includes(gone.seq)).length) grew++;
      }),
      { numRuns: 300 },
    );
    expect(grew).toBeGreaterThan(0);
  });

  it('findings are deterministic, strictly ordered, and independent of object identity and key order', () => {
    const reorder = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(reorder)
        : x && typeof x === 'object'
          ? Object.fromEntries(
              Object.entries(x)
                .reverse()
                .map(([k, v]) => [k, reorder(v)]),
            )
          : x;
    fc.assert(
      fc.property(caseArb, (spec) => {
        const v = build(spec).view();
        const a = check(v);
        expect(check(v)).toEqual(a);
        expect(check(structuredClone(v))).toEqual(a);
        expect(keys(check(reorder(v) as CaseView)).map((s) => JSON.parse(s))).toEqual(
          keys(a).map((s) => JSON.parse(s)),
        );
        for (let i = 1; i < a.length; i++) expect(compareFindings(a[i - 1]!, a[i]!)).toBeLessThanOrEqual(0);
        for (const f of a) {
          expect(f.seqs).toEqual([...f.seqs].sort((x, y) => x - y));
          expect(f.message.zh.length * f.message.en.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});
