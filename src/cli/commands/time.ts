/**
 * Times on the command line: ms since the epoch, or ISO 8601 (a date alone is its midnight); without an offset, China
 * Standard Time (UTC+8).
 */
import { CliError } from '../exit';

/** A calendar date that exists (Date.parse takes 2026-02-30 for 2026-03-02). */
function realDate(ymd: string): boolean {
  const [y, mo, d] = ymd.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** ms since the epoch, or ISO 8601 (a date alone is its midnight; no offset: UTC+8); undefined when not a time. */
export function parseTimeText(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number.isSafeInteger(Number(s)) ? Number(s) : undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    s.trim(),
  );
  if (!m || !realDate(m[1]!) || (m[2] !== undefined && !/^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?/.test(m[2])))
    return undefined;
  const ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? '+08:00'}`);
  return Number.isSafeInteger(ms) && ms >= 0 ? ms : undefined;
}

export function parseTime(s: string, flag: string): number {
  const ms = parseTimeText(s);
  if (ms === undefined)
    throw new CliError(
      'USAGE',
      `${flag}: ${JSON.stringify(s)} is not a time (ms, or ISO 8601 such as 2026-03-03T09:30 or 2026-03-03)`,
    );
  return ms;
}

/** `2026-09-04 00:00` in China Standard Time (human output). */
export function formatTime(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
