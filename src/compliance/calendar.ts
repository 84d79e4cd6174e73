/**
 * Working-day calendar of mainland China (行政处罚法 Art. 85: short periods count working days, excluding statutory
 * holidays). Days are China civil dates (UTC+8, no DST) written `YYYY-MM-DD`. Holidays and make-up working days (调休)
 * are data, one entry per year's State Council notice; a year without data is never guessed: any computation that
 * needs it answers `{ status: 'calendar_unknown', year }` (REQUIREMENTS.md, "Working days").
 */
import { ValidationError } from '../errors';
import type { Issue } from '../errors';
import {
  type CivilDate,
  type DateInput,
  DAY_MS,
  formatDayNumber,
  isWeekendDay,
  parseCivilDate,
  toDayNumber,
  yearOfDay,
} from './civil-date';

export type { CivilDate, DateInput } from './civil-date';

export interface HolidayNotice {
  /** Official title, e.g. 国务院办公厅关于2026年部分节假日安排的通知. */
  readonly title: string;
  /** Document number when known, e.g. 国办发明电〔2024〕12号. */
  readonly docNo?: string;
  /** Date the notice was issued. */
  readonly issued?: CivilDate;
  readonly url?: string;
}

export interface HolidaySpan {
  /** Festival name in Chinese, e.g. 春节. */
  readonly name: string;
  readonly from: CivilDate;
  readonly to: CivilDate;
}

/**
 * One year's arrangement as published by the State Council. A notice for year Y may also fix the last days of
 * December of Y-1 (e.g. the 2019 notice made Sat 2018-12-29 a working day and 2018-12-30/31 holidays).
 */
export interface CalendarYear {
  readonly year: number;
  readonly notices: readonly HolidayNotice[];
  /** Rest periods (放假), inclusive; weekend days inside a span are simply rest days. */
  readonly holidays: readonly HolidaySpan[];
  /** Make-up working days (调休上班), each a Saturday or Sunday. */
  readonly workdays: readonly CivilDate[];
  /** Where the data was taken from, e.g. `notice` or `chinese-days@1.5.7`. */
  readonly source?: string;
}

export interface CalendarData {
  /** Version of the data set, bumped whenever a year is added or corrected. */
  readonly version: string;
  readonly years: readonly CalendarYear[];
}

export type DayStatus =
  | { readonly status: 'ok'; readonly working: boolean }
  | { readonly status: 'calendar_unknown'; readonly year: number };

export type DeadlineResult =
  | { readonly status: 'ok'; readonly date: CivilDate }
  | { readonly status: 'calendar_unknown'; readonly year: number };

/**
 * From this day of December on, a day may still be rearranged by the next year's notice (historically Dec 29–31:
 * 2006-12-30, 2007-12-29, 2011-12-31, 2018-12-29, 2022-12-31), so it is decided only when year+1 is known too.
 * A week's margin, since a New Year bridge can reach back to the Saturday before.
 */
const NEXT_NOTICE_FROM_DAY = 25;
const MAX_SCAN_DAYS = 366 * 2;

function validateYear(y: CalendarYear, path: Array<string | number>, out: Issue[]): void {
  const at = (p: Array<string | number>, code: string, message: string) =>
    out.push({ code, path: [...path, ...p], message });
  if (!Number.isInteger(y.year) || y.year < 1949 || y.year > 9999) {
    at(['year'], 'invalid_year', 'year must be an integer from 1949 to 9999');
    return;
  }
  const first = Date.UTC(y.year - 1, 11, NEXT_NOTICE_FROM_DAY) / DAY_MS;
  const last = Date.UTC(y.year, 11, 31) / DAY_MS;
  const inRange = (p: Array<string | number>, s: unknown): number | undefined => {
    const d = typeof s === 'string' ? parseCivilDate(s) : undefined;
    if (d === undefined) at(p, 'invalid_date', 'must be a valid YYYY-MM-DD date');
    else if (d < first || d > last)
      at(p, 'out_of_year', `must fall between ${formatDayNumber(first)} and ${y.year}-12-31`);
    else return d;
    return undefined;
  };
  if (!Array.isArray(y.notices) || y.notices.length === 0)
    at(['notices'], 'required', 'at least one notice must be cited');
  else
    y.notices.forEach((n, i) => {
      if (typeof n?.title !== 'string' || n.title.length === 0)
        at(['notices', i, 'title'], 'required', 'title required');
    });
  const rest = new Set<number>();
  if (!Array.isArray(y.holidays)) at(['holidays'], 'invalid_type', 'holidays must be an array');
  else
    y.holidays.forEach((h, i) => {
      if (typeof h?.name !== 'string' || h.name.length === 0)
        at(['holidays', i, 'name'], 'required', 'name required');
      const a = inRange(['holidays', i, 'from'], h?.from);
      const b = inRange(['holidays', i, 'to'], h?.to);
      if (a !== undefined && b !== undefined) {
        if (a > b) at(['holidays', i, 'to'], 'invalid_span', 'to must not precede from');
        for (let d = a; d <= b; d++) rest.add(d);
      }
    });
  if (!Array.isArray(y.workdays)) at(['workdays'], 'invalid_type', 'workdays must be an array');
  else
    y.workdays.forEach((w, i) => {
      const d = inRange(['workdays', i], w);
      if (d === undefined) return;
      if (!isWeekendDay(d))
        at(['workdays', i], 'not_weekend', 'a make-up working day must be a Saturday or Sunday');
      if (rest.has(d))
        at(['workdays', i], 'conflict', 'a day cannot be both a holiday and a make-up working day');
    });
}

/**
 * An immutable working-day calendar. Build it from data (`WorkingDayCalendar.from`) and extend it with
 * `withYear`; `defaultCalendar` (calendar-data.ts) holds the State Council notices the library ships.
 */
export class WorkingDayCalendar {
  readonly version: string;
  readonly years: readonly number[];
  readonly #data: ReadonlyMap<number, CalendarYear>;
  readonly #rest: ReadonlySet<number>;
  readonly #work: ReadonlySet<number>;

  private constructor(version: string, data: ReadonlyMap<number, CalendarYear>) {
    this.version = version;
    this.#data = data;
    this.years = [...data.keys()].sort((a, b) => a - b);
    const rest = new Set<number>();
    const work = new Set<number>();
    for (const y of this.years) {
      const entry = data.get(y)!;
      for (const h of entry.holidays)
        for (let d = parseCivilDate(h.from)!; d <= parseCivilDate(h.to)!; d++) rest.add(d);
      for (const w of entry.workdays) work.add(parseCivilDate(w)!);
    }
    this.#rest = rest;
    this.#work = work;
  }

  /** Validates every year (throws ValidationError listing each bad field) and builds the calendar. */
  static from(data: CalendarData): WorkingDayCalendar {
    if (data === null || typeof data !== 'object') throw new TypeError('data must be a CalendarData object');
    if (typeof data.version !== 'string' || data.version.length === 0)
      throw new TypeError('data.version must be a non-empty string');
    if (!Array.isArray(data.years)) throw new TypeError('data.years must be an array');
    const issues: Issue[] = [];
    const map = new Map<number, CalendarYear>();
    data.years.forEach((y, i) => {
      const before = issues.length;
      validateYear(y, ['years', i], issues);
      if (issues.length > before) return;
      if (map.has(y.year))
        issues.push({ code: 'duplicate_year', path: ['years', i, 'year'], message: 'year given twice' });
      map.set(y.year, y);
    });
    if (issues.length) throw new ValidationError(issues);
    return new WorkingDayCalendar(data.version, map);
  }

  /**
   * A new calendar with `year` added (or replaced, to correct data). The version becomes `<version>+<year>` so a
   * report shows that the embedder supplied that year.
   */
  withYear(year: CalendarYear): WorkingDayCalendar {
    const issues: Issue[] = [];
    validateYear(year, [], issues);
    if (issues.length) throw new ValidationError(issues);
    const map = new Map(this.#data);
    map.set(year.year, year);
    return new WorkingDayCalendar(`${this.version}+${year.year}`, map);
  }

  covers(year: number): boolean {
    return this.#data.has(year);
  }

  year(year: number): CalendarYear | undefined {
    return this.#data.get(year);
  }

  /** Whether `date` is a working day, or which year's notice is missing to decide it. */
  dayStatus(date: DateInput): DayStatus {
    return this.#status(toDayNumber(date));
  }

  /** @internal day-number form of dayStatus. */
  statusOfDay(day: number): DayStatus {
    return this.#status(day);
  }

  #status(day: number): DayStatus {
    const y = yearOfDay(day);
    if (!this.#data.has(y)) return { status: 'calendar_unknown', year: y };
    const dec = new Date(day * DAY_MS);
    if (dec.getUTCMonth() === 11 && dec.getUTCDate() >= NEXT_NOTICE_FROM_DAY && !this.#data.has(y + 1))
      return { status: 'calendar_unknown', year: y + 1 };
    if (this.#work.has(day)) return { status: 'ok', working: true };
    if (this.#rest.has(day)) return { status: 'ok', working: false };
    return { status: 'ok', working: !isWeekendDay(day) };
  }
}

/**
 * The n-th working day after `date` (the start day is not counted; n = 0 gives `date` itself).
 * Fails closed: `{ status: 'calendar_unknown', year }` when a day that must be examined lies in a year without data.
 */
export function addWorkingDays(date: DateInput, n: number, calendar: WorkingDayCalendar): DeadlineResult {
  if (!Number.isInteger(n) || n < 0 || n > 366) throw new RangeError('n must be an integer from 0 to 366');
  if (!(calendar instanceof WorkingDayCalendar)) throw new TypeError('calendar must be a WorkingDayCalendar');
  let day = toDayNumber(date);
  let left = n;
  for (let scanned = 0; left > 0; scanned++) {
    if (scanned > MAX_SCAN_DAYS) throw new RangeError('calendar has no working day within two years');
    day++;
    const s = calendar.statusOfDay(day);
    if (s.status === 'calendar_unknown') return s;
    if (s.working) left--;
  }
  return { status: 'ok', date: formatDayNumber(day) };
}

/** Art. 22(1): records are stored within `days` (2) working days after the on-site action (or the return date). */
export function depositDeadline(endDate: DateInput, calendar: WorkingDayCalendar, days = 2): DeadlineResult {
  return addWorkingDays(endDate, days, calendar);
}
