/**
 * Times in JSON records (docs/CLI.md "JSON records"): wherever a kind's schema holds a time (`Time`, ms since the
 * epoch), the JSON may give it as an ISO 8601 string instead, read as on the command line (`parseTimeText`: a date
 * alone is its midnight, no offset is China Standard Time). The ledger stores ms either way.
 */
import type { z } from 'zod';
import { accessSpecs } from '../access/kinds';
import { Time } from '../domain/common';
import { ALL_SPECS } from '../domain/kinds';
import type { Issue } from '../errors';
import { retentionSpecs } from '../retention/kinds';
import { parseTimeText } from './commands/time';

type Path = Array<string | number>;

let schemas: Map<string, z.ZodType> | undefined;
const schemaOf = (kind: string): z.ZodType | undefined => {
  schemas ??= new Map([...ALL_SPECS, ...retentionSpecs(), ...accessSpecs()].map((s) => [s.kind, s.schema]));
  return schemas.get(kind);
};

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function walk(schema: z.ZodType, value: unknown, path: Path, issues: Issue[]): unknown {
  if (schema === Time) {
    if (typeof value !== 'string') return value;
    const ms = parseTimeText(value);
    if (ms === undefined)
      issues.push({
        code: 'invalid_time',
        path,
        message: `${JSON.stringify(value)} is not a time (ms, or ISO 8601 such as 2026-03-03T09:30+08:00)`,
      });
    return ms ?? value;
  }
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
      return walk(def.innerType!, value, path, issues);
    case 'union':
      return def.options!.includes(Time) ? walk(Time, value, path, issues) : value;
    case 'array':
      return Array.isArray(value) ? value.map((v, i) => walk(def.element!, v, [...path, i], issues)) : value;
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [k, s] of Object.entries(def.shape!))
        if (Object.hasOwn(out, k)) out[k] = walk(s, out[k], [...path, k], issues);
      return out;
    }
    default:
      return value;
  }
}

/** The body with its ISO 8601 time strings as ms; a string that is not a time is an `invalid_time` issue. */
export function readTimes(kind: string, body: unknown, path: Path, issues: Issue[]): unknown {
  const schema = schemaOf(kind);
  return schema === undefined ? body : walk(schema, body, path, issues);
}
