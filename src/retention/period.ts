/**
 * Retention periods in calendar months on China civil dates (UTC+8). Counting follows 民法典 Art. 201–203: the day the
 * period runs from is not counted; the last day is the corresponding day of the final month, or that month's last
 * day when it has none; the period ends at 24:00 of its last day. So the content may be purged from 00:00 (UTC+8) of
 * the day after the last day, which is the instant `expiryOf` returns.
 */
import { DAY_MS, chinaDayNumber } from '../compliance/civil-date';

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China civil date (y, m 1–12, d) of an instant. */
function civil(ms: number): { y: number; m: number; d: number } {
  const t = new Date(chinaDayNumber(ms) * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** 00:00 China time of a civil date given as (y, m 1–12, d); d may overflow the month by one (next day). */
function chinaMidnight(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) - CHINA_OFFSET_MS;
}

/**
 * The first instant after a period of `months` calendar months running from the China civil date of `from`
 * (which is not counted). Example: recorded 2026-03-02 10:00 (UTC+8), 6 months → last day 2026-09-02 →
 * 2026-09-03 00:00 (UTC+8); from 2026-08-31 → last day 2027-02-28 → 2027-03-01 00:00.
 */
export function expiryOf(from: number, months: number): number {
  if (!Number.isSafeInteger(from)) throw new TypeError('from must be ms since epoch');
  if (!Number.isSafeInteger(months) || months < 0)
    throw new RangeError('months must be a non-negative integer');
  const { y, m, d } = civil(from);
  const total = m - 1 + months;
  const ly = y + Math.floor(total / 12);
  const lm = (total % 12) + 1;
  const lastOfMonth = new Date(Date.UTC(ly, lm, 0)).getUTCDate();
  return chinaMidnight(ly, lm, Math.min(d, lastOfMonth) + 1);
}

/** 23:59:59.999 of 31 December (UTC+8) of the year of `ms`: the anchor of `next_year` counting. */
export function endOfChinaYear(ms: number): number {
  return chinaMidnight(civil(ms).y + 1, 1, 1) - 1;
}
