/**
 * JSON ↔ ledger values (canonical CBOR data model, docs/CLI.md "JSON records"). JSON has no byte strings and no
 * integers beyond 2^53, so: a byte string is written `{"$bytes": "<hex>"}`; integers must be safe integers; floats
 * are refused (canonical CBOR here has none). Every problem is listed with its path.
 */
import { fromHex, toHex } from '../bytes';
import { DEFAULT_MAX_DEPTH } from './cbor';
import { type Issue, ValidationError } from '../errors';
import type { CborValue } from './value';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function convert(x: unknown, path: Array<string | number>, issues: Issue[]): CborValue {
  // As deep as the canonical encoding takes, and no deeper (a 100k-deep array is refused, not a stack overflow).
  if (path.length > DEFAULT_MAX_DEPTH) {
    issues.push({ code: 'too_deep', path, message: `nested deeper than ${DEFAULT_MAX_DEPTH} levels` });
    return null;
  }
  if (x === null || typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x))
      issues.push({ code: 'not_integer', path, message: 'numbers must be integers within ±2^53' });
    return x;
  }
  if (Array.isArray(x)) return x.map((v, i) => convert(v, [...path, i], issues));
  if (typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.includes('$bytes')) {
      const hex = o.$bytes;
      if (keys.length !== 1 || typeof hex !== 'string' || !HEX.test(hex)) {
        issues.push({
          code: 'invalid_bytes',
          path,
          message: '{"$bytes": …} must hold only an even-length hex string',
        });
        return new Uint8Array(0);
      }
      return fromHex(hex.toLowerCase());
    }
    const out: Record<string, CborValue> = {};
    for (const k of keys) out[k] = convert(o[k], [...path, k], issues);
    return out;
  }
  issues.push({ code: 'invalid_type', path, message: `unsupported JSON value ${typeof x}` });
  return null;
}

/** A parsed JSON value as a ledger value; ValidationError listing every problem. */
export function fromJsonValue(x: unknown, path: Array<string | number> = []): CborValue {
  const issues: Issue[] = [];
  const v = convert(x, path, issues);
  if (issues.length) throw new ValidationError(issues);
  return v;
}

/** A ledger value as plain JSON: byte strings as `{"$bytes": hex}`, bigints as decimal strings. */
export function toJsonValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return { $bytes: toHex(v) };
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJsonValue(x);
    return out;
  }
  return v;
}

/** Parses JSON text; ValidationError `invalid_json` (one issue) when it is not JSON. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError(
      [{ code: 'invalid_json', path: [], message: `${what} is not JSON: ${(err as Error).message}` }],
      `${what} is not JSON: ${(err as Error).message}`,
    );
  }
}
