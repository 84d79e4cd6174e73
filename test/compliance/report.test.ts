import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  JINCHENG_RULE_SET,
  checkCase,
  checkLedger,
  defaultCalendar,
  deriveRuleSet,
  encodeRuleSet,
  identifyRuleSet,
  renderCaseReport,
  validateRuleSet,
} from '../../src/compliance';
import type { RuleSet } from '../../src/compliance';
import { encodeCanonical } from '../../src/encoding';
import { ValidationError } from '../../src/errors';
import { CaseBuilder, MIN, T0, cleanInspection, cst } from './fixtures';

const opts = { ruleSet: JINCHENG_RULE_SET, calendar: defaultCalendar };

describe('rule set identity', () => {
  it('is the SHA-256 of the canonical CBOR of the whole rule set', () => {
    const id = identifyRuleSet(JINCHENG_RULE_SET);
    const bytes = encodeCanonical(JINCHENG_RULE_SET as never);
    expect(encodeRuleSet(JINCHENG_RULE_SET)).toEqual(bytes);
    expect(id).toEqual({
      name: 'jincheng-2024',
      version: '2',
      hash: createHash('sha256').update(bytes).digest('hex'),
    });
  });

  it('pins the Jincheng default: changing it requires a new version (and this golden value)', () => {
    expect(identifyRuleSet(JINCHENG_RULE_SET).hash).toMatchInlineSnapshot(
      `"be001a4702680187f57e40fbe281246cc162e42fb27cd1cd56eb54a205372ca9"`,
    );
  });

  it('does not depend on key order, and changes with any setting', () => {
    const reordered: RuleSet = {
      settings: Object.fromEntries(Object.entries(JINCHENG_RULE_SET.settings).reverse()) as never,
      rules: JINCHENG_RULE_SET.rules,
      effectiveFrom: '2024-03-28',
      version: '2',
      name: 'jincheng-2024',
    };
    expect(identifyRuleSet(reordered)).toEqual(identifyRuleSet(JINCHENG_RULE_SET));
    const county = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'jincheng-2024',
      version: '1',
      settings: { avGapToleranceMs: 2 * MIN + 1 },
    });
    expect(identifyRuleSet(county).hash).not.toBe(identifyRuleSet(JINCHENG_RULE_SET).hash);
  });

  it('refuses a malformed rule set, listing every bad field', () => {
    let err: unknown;
    try {
      validateRuleSet({
        ...JINCHENG_RULE_SET,
        name: '',
        rules: ['art99-nothing' as never],
        settings: { ...JINCHENG_RULE_SET.settings, avGapToleranceMs: -1, exceptionReasons: 'x' as never },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => `${i.code} ${i.path.join('.')}`)).toEqual([
      'required name',
      'unknown_rule rules.0',
      'invalid_type settings.avGapToleranceMs',
      'invalid_type settings.exceptionReasons',
    ]);
  });
});

describe('reports', () => {
  const defective = () => {
    const b = new CaseBuilder('inspection');
    b.start('ACT-1', ['seize_property'], T0, { officers: ['P-wang'] });
    b.end('ACT-1', T0 + 10 * MIN);
    return b;
  };

  it('a case report counts findings by article and names the rule set and calendar', () => {
    const r = checkCase(defective().view(), { ...opts, asOf: cst(2026, 3, 20) });
    expect(r.format).toBe('enforcement-ledger/compliance-report@1');
    expect(r.ruleSet).toEqual(identifyRuleSet(JINCHENG_RULE_SET));
    expect(r.calendar.version).toBe(defaultCalendar.version);
    expect(r.calendar.years).toContain(2026);
    expect(r.compliant).toBe(false);
    expect(r.findings.map((f) => `${f.article}:${f.code}`)).toEqual([
      '9:too_few_officers',
      '11:missing_av',
      '16:missing_document',
      '16:missing_approval',
      '16:missing_av',
      '22(1):missing_deposit',
    ]);
    expect(r.counts).toEqual({
      total: 6,
      bySeverity: { violation: 6, warning: 0, info: 0 },
      byArticle: {
        '9': { violation: 1, warning: 0, info: 0 },
        '11': { violation: 1, warning: 0, info: 0 },
        '16': { violation: 3, warning: 0, info: 0 },
        '22(1)': { violation: 1, warning: 0, info: 0 },
      },
    });
    expect(Object.keys(r.counts.byArticle)).toEqual(['9', '11', '16', '22(1)']);
    expect(r.summary.en).toContain('6 violation(s) (Art. 9: 1; Art. 11: 1; Art. 16: 3; Art. 22(1): 1)');
    expect(r.summary.zh).toContain('发现违规 6 项（第9条 1 项；第11条 1 项；第16条 3 项；第22(1)条 1 项）');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(renderCaseReport(r, 'en').split('\n')).toHaveLength(7);
  });

  it('a ledger report totals its cases', () => {
    const r = checkLedger([cleanInspection().view(), defective().view()], {
      ...opts,
      asOf: cst(2026, 3, 20),
    });
    expect(r.cases.map((c) => c.compliant)).toEqual([true, false]);
    expect(r.compliantCases).toBe(1);
    expect(r.counts.total).toBe(6);
    expect(r.summary.en).toMatch(
      /^Checked 2 case\(s\) \(rule set jincheng-2024 v2\): 1 without violation, 1 with violations/,
    );
  });
});

describe('architecture', () => {
  it('src/compliance is browser-safe: no node: imports, no Buffer, no clock, no randomness', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(__dirname, '../../src/compliance'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      expect([f, /from 'node:|require\(|\bBuffer\b|Date\.now|Math\.random|new Date\(\)/.test(src)]).toEqual([
        f,
        false,
      ]);
      // Only types, the document and action type tables and kind names may come from src/domain (no zod schemas).
      for (const m of src.matchAll(/^import (type )?[^;]*from '(\.\.\/)+domain\/([^']+)'/gm))
        expect([
          f,
          m[1] === 'type ' || ['kind-names', 'document-types', 'action-types'].includes(m[3]!),
        ]).toEqual([f, true]);
    }
  });
});
