/**
 * Times on the command line: ms since the epoch, or ISO 8601 (a date alone is its midnight); without an offset, China
 * Standard Time (UTC+8).
 */
import { CliError } from '../exit';

export function parseTime(s: string, flag: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    s.trim(),
  );
  const ms = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? '+08:00'}`) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 0)
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
