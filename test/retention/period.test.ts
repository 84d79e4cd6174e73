/**
 * Retention periods (民法典 Art. 201–203, counted on China civil dates): hand-computed vectors including month ends
 * and leap years, the policy's identity, and properties checked against an independent day-by-day model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION_POLICY,
  endOfChinaYear,
  expiryOf,
  policyHash,
  validatePolicy,
} from '../../src/retention';
import { cst } from './helpers';

describe('expiryOf', () => {
  // [recorded (CST wall clock), months, first purgeable instant (CST midnight)]
  const vectors: Array<[number[], number, number[]]> = [
    [[2026, 3, 2, 10, 0], 6, [2026, 9, 3]],
    [[2026, 3, 2, 0, 0], 6, [2026, 9, 3]],
    [[2026, 3, 2, 23, 59], 6, [2026, 9, 3]],
    [[2026, 8, 31, 12, 0], 6, [2027, 3, 1]], // no 31 Feb: last day 28 Feb
    [[2026, 8, 30, 12, 0], 6, [2027, 3, 1]],
    [[2027, 8, 31, 12, 0], 6, [2028, 3, 1]], // leap year: last day 29 Feb
    [[2027, 8, 28, 12, 0], 6, [2028, 2, 29]],
    [[2026, 12, 31, 23, 0], 120, [2037, 1, 1]], // D10 from the end of the archive year
    [[2026, 7, 15, 9, 0], 360, [2056, 7, 16]],
    [[2024, 2, 29, 9, 0], 12, [2025, 3, 1]],
  ];
  for (const [from, months, want] of vectors)
    it(`${from.slice(0, 3).join('-')} + ${months} months → ${want.join('-')} 00:00 (UTC+8)`, () => {
      expect(expiryOf(cst(...(from as [number, number, number, number, number])), months)).toBe(
        cst(...(want as [number, number, number])),
      );
    });

  it('reads the date in UTC+8: 00:30 CST is still that China date although UTC is the day before', () => {
    const t = cst(2026, 3, 2, 0, 30);
    expect(new Date(t).getUTCDate()).toBe(1);
    expect(expiryOf(t, 6)).toBe(cst(2026, 9, 3));
  });

  it('endOfChinaYear is 1 ms before 1 January (UTC+8) of the next year', () => {
    expect(endOfChinaYear(cst(2026, 4, 22, 10))).toBe(cst(2027, 1, 1) - 1);
    expect(endOfChinaYear(cst(2026, 12, 31, 23, 59))).toBe(cst(2027, 1, 1) - 1);
    expect(endOfChinaYear(cst(2027, 1, 1, 0, 0))).toBe(cst(2028, 1, 1) - 1);
  });

  it('misuse throws', () => {
    expect(() => expiryOf(Number.NaN, 6)).toThrow(TypeError);
    expect(() => expiryOf(0, -1)).toThrow(RangeError);
  });

  /** Independent model: walk day by day; the last day is the corresponding day or the month's last day. */
  function model(y: number, m: number, d: number, months: number): number {
    const ty = y + Math.floor((m - 1 + months) / 12);
    const tm = ((m - 1 + months) % 12) + 1;
    let day = d;
    while (new Date(Date.UTC(ty, tm - 1, day)).getUTCMonth() !== tm - 1) day--;
    return cst(ty, tm, day) + 86_400_000;
  }

  it('agrees with a day-walking model; is a China midnight; is monotone in the start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1990, max: 2090 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.integer({ min: 0, max: 600 }),
        (y, m, d, minute, months) => {
          fc.pre(new Date(Date.UTC(y, m - 1, d)).getUTCMonth() === m - 1);
          const t = cst(y, m, d) + minute * 60_000;
          const e = expiryOf(t, months);
          expect(e).toBe(model(y, m, d, months));
          expect((e + 8 * 3_600_000) % 86_400_000).toBe(0);
          expect(e).toBeGreaterThan(t);
          expect(expiryOf(t + 86_400_000, months)).toBeGreaterThanOrEqual(e);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('policy', () => {
  it('default classes per REQUIREMENTS.md; the identity hash changes with any setting', () => {
    expect(DEFAULT_RETENTION_POLICY.classes).toEqual({ Y: null, D30: 360, D10: 120 });
    expect(DEFAULT_RETENTION_POLICY.av).toEqual({ months: 6, from: 'recording' });
    const h = policyHash(DEFAULT_RETENTION_POLICY);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(policyHash({ ...DEFAULT_RETENTION_POLICY, av: { months: 6, from: 'deposit' } })).not.toBe(h);
    expect(
      policyHash({ ...DEFAULT_RETENTION_POLICY, classes: { ...DEFAULT_RETENTION_POLICY.classes, D10: 121 } }),
    ).not.toBe(h);
  });

  it('malformed policies are refused naming the field', () => {
    expect(() =>
      validatePolicy({ ...DEFAULT_RETENTION_POLICY, av: { months: 0, from: 'recording' } }),
    ).toThrow(/policy\.av/);
    expect(() => validatePolicy({ ...DEFAULT_RETENTION_POLICY, documentTypes: { X: 'D99' } })).toThrow(
      /documentTypes\.X/,
    );
    expect(() =>
      validatePolicy({
        ...DEFAULT_RETENTION_POLICY,
        purge: { ...DEFAULT_RETENTION_POLICY.purge, twoPerson: 'yes' as never },
      }),
    ).toThrow(/purge\.twoPerson/);
  });
});
