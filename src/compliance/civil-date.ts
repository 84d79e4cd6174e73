/**
 * China civil dates (UTC+8, no DST since 1991) as `YYYY-MM-DD` strings and as day numbers (days since 1970-01-01).
 * Instants are ms since the epoch; their civil date is read in UTC+8.
 */

/** A China civil date, `YYYY-MM-DD`. */
export type CivilDate = string;

/** A date given as a civil date string, or as an instant in ms since the epoch (read in UTC+8). */
export type DateInput = CivilDate | number;

export const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a valid civil date, or undefined when `date` is not one. */
export function parseCivilDate(date: string): number | undefined {
  const m = DATE_RE.exec(date);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return t / DAY_MS;
}

export function formatDayNumber(day: number): CivilDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of the China civil date of an instant. */
export function chinaDayNumber(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

/** The China civil date (UTC+8) of an instant in ms since the epoch. */
export function chinaDate(ms: number): CivilDate {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('ms must be a finite number');
  return formatDayNumber(chinaDayNumber(ms));
}

/** Day number of a date input; misuse throws TypeError/RangeError naming `name`. */
export function toDayNumber(date: DateInput, name = 'date'): number {
  if (typeof date === 'number') {
    if (!Number.isFinite(date))
      throw new TypeError(`${name} must be a finite ms timestamp or a YYYY-MM-DD string`);
    return chinaDayNumber(date);
  }
  if (typeof date !== 'string')
    throw new TypeError(`${name} must be a finite ms timestamp or a YYYY-MM-DD string`);
  const day = parseCivilDate(date);
  if (day === undefined)
    throw new RangeError(`${name} must be a valid YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  return day;
}

export const yearOfDay = (day: number): number => new Date(day * DAY_MS).getUTCFullYear();

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOfDay = (day: number): number => (((day + 4) % 7) + 7) % 7;

export const isWeekendDay = (day: number): boolean => {
  const w = weekdayOfDay(day);
  return w === 0 || w === 6;
};

/** `YYYY-MM-DD HH:MM:SS` in China time (UTC+8), for messages. */
export function chinaDateTime(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** A duration in whole minutes and seconds, e.g. `10m00s`, for messages. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
