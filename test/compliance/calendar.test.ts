import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  type CalendarYear,
  depositDeadline,
  WorkingDayCalendar,
} from '../../src/compliance/calendar';
import { CN_CALENDAR_DATA } from '../../src/compliance/calendar-data';
import { chinaDate, formatDayNumber, parseCivilDate } from '../../src/compliance/civil-date';
import { defaultCalendar } from '../../src/compliance/default-calendar';
import { ValidationError } from '../../src/errors';

const require = createRequire(import.meta.url);
const chineseDays = require('chinese-days') as { isWorkday(d: string): boolean };

const cal = defaultCalendar;
const working = (d: string) => {
  const s = cal.dayStatus(d);
  if (s.status !== 'ok') throw new Error(`unknown ${d}`);
  return s.working;
};
const range = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = parseCivilDate(from)!; d <= parseCivilDate(to)!; d++) out.push(formatDayNumber(d));
  return out;
};

// REQUIREMENTS.md "Facts the rules need", typed in independently of calendar-data.ts.
const FACTS = {
  2025: {
    rest: [
      ['2025-01-01', '2025-01-01'],
      ['2025-01-28', '2025-02-04'],
      ['2025-04-04', '2025-04-06'],
      ['2025-05-01', '2025-05-05'],
      ['2025-05-31', '2025-06-02'],
      ['2025-10-01', '2025-10-08'],
    ],
    work: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    rest: [
      ['2026-01-01', '2026-01-03'],
      ['2026-02-15', '2026-02-23'],
      ['2026-04-04', '2026-04-06'],
      ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'],
      ['2026-09-25', '2026-09-27'],
      ['2026-10-01', '2026-10-07'],
    ],
    work: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
} as const;

const YEAR_2027: CalendarYear = {
  year: 2027,
  notices: [{ title: 'test: a 2027 arrangement supplied by the embedder' }],
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }],
  workdays: [],
};

describe('working-day calendar (行政处罚法 Art. 85; Art. 22(1) deposit deadline)', () => {
  it('gives the worked examples of REQUIREMENTS.md', () => {
    expect(depositDeadline('2026-02-13', cal)).toEqual({ status: 'ok', date: '2026-02-24' });
    expect(depositDeadline('2026-09-18', cal)).toEqual({ status: 'ok', date: '2026-09-21' });
    expect(depositDeadline('2026-09-30', cal)).toEqual({ status: 'ok', date: '2026-10-09' });
  });

  it('reads ms timestamps as China civil dates (UTC+8)', () => {
    // 2026-02-13 16:30 UTC is already 2026-02-14 00:30 in Beijing.
    const late = Date.UTC(2026, 1, 13, 16, 30);
    expect(chinaDate(late)).toBe('2026-02-14');
    expect(chinaDate(Date.UTC(2026, 1, 13, 15, 59, 59, 999))).toBe('2026-02-13');
    expect(depositDeadline(Date.UTC(2026, 1, 13, 15, 0), cal)).toEqual({ status: 'ok', date: '2026-02-24' });
    // From Sat 2026-02-14 (a make-up working day, not counted as the start day): 24th, 25th.
    expect(depositDeadline(late, cal)).toEqual({ status: 'ok', date: '2026-02-25' });
  });

  it('does not count the start day; n = 0 is the start day', () => {
    expect(addWorkingDays('2026-03-02', 1, cal)).toEqual({ status: 'ok', date: '2026-03-03' });
    expect(addWorkingDays('2026-03-02', 0, cal)).toEqual({ status: 'ok', date: '2026-03-02' });
    expect(addWorkingDays('2026-03-06', 1, cal)).toEqual({ status: 'ok', date: '2026-03-09' });
  });

  for (const year of [2025, 2026] as const) {
    it(`marks every ${year} holiday and make-up working day of the notice`, () => {
      for (const [from, to] of FACTS[year].rest)
        for (const d of range(from, to)) expect([d, working(d)]).toEqual([d, false]);
      for (const d of FACTS[year].work) expect([d, working(d)]).toEqual([d, true]);
      // Every other day of the year is a working day exactly when it is Monday–Friday.
      const special = new Set([...FACTS[year].rest.flatMap(([a, b]) => range(a, b)), ...FACTS[year].work]);
      for (const d of range(`${year}-01-01`, `${year}-12-24`)) {
        if (special.has(d)) continue;
        const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
        expect([d, working(d)]).toEqual([d, wd !== 0 && wd !== 6]);
      }
    });
  }

  it('agrees with chinese-days on every covered day', () => {
    const years = cal.years;
    expect(years[0]).toBe(2010);
    expect(years[years.length - 1]).toBe(2026);
    for (const d of range('2010-01-01', '2026-12-24'))
      expect([d, working(d)]).toEqual([d, chineseDays.isWorkday(d)]);
  });

  it('fails closed on a year without data, until that year is supplied as data', () => {
    // 2026-12-30 + 2 working days needs 2027; late December also needs the next notice.
    expect(depositDeadline('2026-12-30', cal)).toEqual({ status: 'calendar_unknown', year: 2027 });
    expect(depositDeadline('2026-12-23', cal)).toEqual({ status: 'calendar_unknown', year: 2027 });
    expect(depositDeadline('2026-12-22', cal)).toEqual({ status: 'ok', date: '2026-12-24' });
    expect(cal.dayStatus('2027-03-01')).toEqual({ status: 'calendar_unknown', year: 2027 });
    expect(depositDeadline('2009-06-01', cal)).toEqual({ status: 'calendar_unknown', year: 2009 });

    const with2027 = cal.withYear(YEAR_2027);
    expect(with2027.version).toBe(`${cal.version}+2027`);
    // Thu 2026-12-31 → Jan 1–3 holidays → Mon 4th, Tue 5th.
    expect(depositDeadline('2026-12-31', with2027)).toEqual({ status: 'ok', date: '2027-01-05' });
    expect(depositDeadline('2026-12-30', with2027)).toEqual({ status: 'ok', date: '2027-01-04' });
    // The original calendar is unchanged.
    expect(depositDeadline('2026-12-30', cal)).toEqual({ status: 'calendar_unknown', year: 2027 });
  });

  it('lets a notice fix the last days of the previous December (2019 notice: Sat 2018-12-29 worked)', () => {
    expect(working('2018-12-29')).toBe(true);
    expect(working('2018-12-31')).toBe(false);
    const only2018 = WorkingDayCalendar.from({
      version: 't',
      years: CN_CALENDAR_DATA.years.filter((y) => y.year === 2018),
    });
    expect(only2018.dayStatus('2018-12-29')).toEqual({ status: 'calendar_unknown', year: 2019 });
    expect(only2018.dayStatus('2018-12-24')).toEqual({ status: 'ok', working: true });
  });

  it('refuses bad calendar data, listing each bad field', () => {
    let err: unknown;
    try {
      cal.withYear({
        year: 2027,
        notices: [],
        holidays: [
          { name: '元旦', from: '2027-01-03', to: '2027-01-01' },
          { name: 'x', from: '2027-02-30', to: '2027-03-01' },
        ],
        workdays: ['2027-01-04', '2028-01-01'],
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['required', 'notices'],
      ['invalid_span', 'holidays.0.to'],
      ['invalid_date', 'holidays.1.from'],
      ['not_weekend', 'workdays.0'],
      ['out_of_year', 'workdays.1'],
    ]);
    expect(() => WorkingDayCalendar.from({ version: 'v', years: [YEAR_2027, YEAR_2027] })).toThrow(
      ValidationError,
    );
  });

  it('throws TypeError/RangeError on misuse', () => {
    expect(() => addWorkingDays('2026-02-30', 2, cal)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-2-3', 2, cal)).toThrow(/date/);
    expect(() => addWorkingDays('2026-02-03', -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-03', 1.5, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(Number.NaN, 1, cal)).toThrow(TypeError);
    expect(() => addWorkingDays('2026-02-03', 1, {} as WorkingDayCalendar)).toThrow(TypeError);
  });

  it('property: the deadline is a working day, after the start, with exactly n working days in between', () => {
    const start = parseCivilDate('2010-01-01')!;
    const end = parseCivilDate('2026-11-30')!;
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 1, max: 10 }), (day, n) => {
        const r = addWorkingDays(formatDayNumber(day), n, cal);
        if (r.status !== 'ok') return r.year === 2027;
        const days = range(formatDayNumber(day + 1), r.date);
        const w = days.filter((d) => chineseDays.isWorkday(d));
        return w.length === n && chineseDays.isWorkday(r.date);
      }),
    );
  });
});
