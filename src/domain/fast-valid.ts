/**
 * A fast acceptance test for a kind's zod schema (issue 17, records layer): `acceptor(schema)` compiles the schema
 * into a plain predicate that answers true only for a body zod accepts — the common case, a valid body — so that
 * `validateBody` runs zod only for a body the predicate does not accept, to list its issues with zod's codes and
 * paths. In the records path zod's run cost about 140 µs of CPU per document on a loaded machine (its parse machinery
 * allocates a payload per field and runs through shared, megamorphic code), about a fifth of a document's append.
 *
 * Sound by construction: every type test is the one zod's parser makes, or stricter (a plain object where zod takes
 * any object; no `undefined` anywhere, where zod lets an optional field be undefined), and every check (lengths,
 * bounds, integer formats, regexes, refinements) is zod's own check object, run as zod runs it (its `when` guard, then
 * `check`) — or, where zod's check surely passes, answered without running it (`surePass`: facts zod's check implies,
 * such as a string of at most `max` UTF-16 units having at most `max` code points). Any schema node it does not know — coercion, defaults, transforms, pipes, intersections, loose objects or
 * records, async refinements — makes `acceptor` return undefined for the whole schema: zod then decides every body.
 * test/domain/fast-valid.test.ts compares it with zod on valid and mutated bodies of every kind.
 */
import type { z } from 'zod';

type Pred = (x: unknown) => boolean;

/** zod's internals as read here (zod 4: `schema._zod`). */
interface Internals {
  readonly def: {
    readonly type: string;
    readonly checks?: readonly Schema[];
    readonly coerce?: boolean;
    readonly shape?: Readonly<Record<string, Schema>>;
    readonly catchall?: Schema;
    readonly element?: Schema;
    readonly innerType?: Schema;
    readonly options?: readonly Schema[];
    readonly keyType?: Schema;
    readonly valueType?: Schema;
    readonly mode?: string;
    readonly when?: (payload: Payload) => boolean;
  };
  readonly traits: ReadonlySet<string>;
  readonly values?: ReadonlySet<unknown>;
  readonly check?: (payload: Payload) => unknown;
}
interface Schema {
  readonly _zod: Internals;
}
interface Payload {
  value: unknown;
  issues: unknown[];
}

/** Unknown schema node: no fast path for the schema that holds it. */
class Unsupported extends Error {}

/**
 * A test that answers true only where zod's check surely passes (or is skipped) for `v`, else undefined: then zod's
 * own check decides. Each reads only facts zod's check implies, never a second copy of its rules:
 * - `min_length` / `max_length` of a string or array: a string's length in code points lies between half its UTF-16
 *   length and its UTF-16 length (zod counts code points), an array's is its length;
 * - `greater_than` / `less_than` of a number against a number;
 * - `number_format` `safeint`: zod takes exactly the safe integers;
 * - a refinement's own function returning true (zod fails it only on a falsy or asynchronous result).
 * Anything else (regexes, other formats, `superRefine`) runs zod's check.
 */
function surePass(c: Schema): ((v: unknown) => boolean) | undefined {
  const d = c._zod.def as Internals['def'] & {
    readonly check?: string;
    readonly minimum?: unknown;
    readonly maximum?: unknown;
    readonly value?: unknown;
    readonly inclusive?: unknown;
    readonly format?: unknown;
  };
  const lengthy = (v: unknown): v is string | unknown[] => typeof v === 'string' || Array.isArray(v);
  switch (d.check) {
    case 'min_length': {
      const min = d.minimum;
      if (typeof min !== 'number') return undefined;
      return (v) => lengthy(v) && (Array.isArray(v) ? v.length >= min : v.length >= 2 * min);
    }
    case 'max_length': {
      const max = d.maximum;
      if (typeof max !== 'number') return undefined;
      return (v) => lengthy(v) && v.length <= max;
    }
    case 'greater_than': {
      const { value, inclusive } = d;
      if (typeof value !== 'number' || typeof inclusive !== 'boolean') return undefined;
      return inclusive
        ? (v) => typeof v === 'number' && v >= value
        : (v) => typeof v === 'number' && v > value;
    }
    case 'less_than': {
      const { value, inclusive } = d;
      if (typeof value !== 'number' || typeof inclusive !== 'boolean') return undefined;
      return inclusive
        ? (v) => typeof v === 'number' && v <= value
        : (v) => typeof v === 'number' && v < value;
    }
    case 'number_format':
      return d.format === 'safeint' ? (v) => Number.isSafeInteger(v) : undefined;
    case 'custom': {
      // A refinement (`refine`, `z.custom`): zod's check passes when its function returns a truthy value. Other
      // custom checks (`superRefine`, `check`) hold no such function: zod's check runs.
      const fn = (d as { readonly fn?: unknown }).fn;
      if (!c._zod.traits.has('$ZodCustom') || typeof fn !== 'function') return undefined;
      return (v) => fn(v) === true;
    }
    default:
      return undefined;
  }
}

/**
 * zod's checks of a node (the node itself first when it is a check, as zod's `$ZodType` runs them), run in order on
 * one payload: a check that adds an issue, or that is asynchronous, fails the predicate. A check whose `surePass`
 * takes the value is not run.
 */
function checksOf(s: Schema): Pred | undefined {
  const checks = [...(s._zod.traits.has('$ZodCheck') ? [s] : []), ...(s._zod.def.checks ?? [])];
  if (checks.length === 0) return undefined;
  for (const c of checks) {
    if (typeof c._zod.check !== 'function') throw new Unsupported('check');
    // A check that rewrites the value (trim, case) makes zod's output differ from the body: no fast path.
    if ((c._zod.def as { check?: unknown }).check === 'overwrite') throw new Unsupported('overwrite');
  }
  const runs = checks.map((c) => ({ sure: surePass(c), when: c._zod.def.when, check: c._zod.check! }));
  // One payload per node, reused: a check only reads `value` and pushes to `issues` (the predicate answers false at
  // the first issue), and a node's checks never run inside themselves (a schema here has no recursion).
  const p: Payload = { value: undefined, issues: [] };
  return (v) => {
    for (const r of runs) {
      if (r.sure?.(v)) continue;
      p.value = v;
      p.issues.length = 0;
      if (r.when && !r.when(p)) continue;
      const res = r.check(p);
      if (res instanceof Promise) {
        res.catch(() => {});
        return false;
      }
      if (p.issues.length) return false;
    }
    return true;
  };
}

/** A plain object (its prototype Object's, or none); zod takes any non-array object, so this is stricter. */
function plain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function compile(s: Schema): Pred {
  const { leaf, general } = compileParts(s);
  return leaf ? (v) => leaf(v) || general(v) : general;
}

/** A node's test in its two parts: the one-closure test of a leaf (`leafTest`), if any, and the general test. */
function compileParts(s: Schema): { leaf: Pred | undefined; general: Pred } {
  const d = s._zod.def;
  if (d.coerce) throw new Unsupported('coerce');
  const checks = checksOf(s);
  const typed = typeTest(s);
  const general: Pred = checks
    ? (v) => v !== undefined && typed(v) && checks(v)
    : (v) => v !== undefined && typed(v);
  return { leaf: leafTest(s), general };
}

/**
 * A string or number node whose checks all have a sure pass (`surePass`), as one test: the type, the length or the
 * bounds and the refinements at once, true only where each of those sure passes is. A value it does not take goes
 * through the node's general test, so it only ever answers sooner, never otherwise.
 */
function leafTest(s: Schema): Pred | undefined {
  const d = s._zod.def;
  if (d.type !== 'string' && d.type !== 'number') return undefined;
  let minLength = 0;
  let maxLength = Number.POSITIVE_INFINITY;
  let low = Number.NEGATIVE_INFINITY;
  let lowIn = true;
  let high = Number.POSITIVE_INFINITY;
  let highIn = true;
  let safeint = false;
  const fns: Array<(v: unknown) => unknown> = [];
  for (const c of [...(s._zod.traits.has('$ZodCheck') ? [s] : []), ...(d.checks ?? [])]) {
    const cd = c._zod.def as Internals['def'] & Record<string, unknown>;
    if (surePass(c) === undefined) return undefined;
    switch (cd.check) {
      case 'min_length':
        minLength = Math.max(minLength, cd.minimum as number);
        break;
      case 'max_length':
        maxLength = Math.min(maxLength, cd.maximum as number);
        break;
      case 'greater_than':
        if ((cd.value as number) > low || ((cd.value as number) === low && !cd.inclusive))
          [low, lowIn] = [cd.value as number, cd.inclusive as boolean];
        break;
      case 'less_than':
        if ((cd.value as number) < high || ((cd.value as number) === high && !cd.inclusive))
          [high, highIn] = [cd.value as number, cd.inclusive as boolean];
        break;
      case 'number_format':
        safeint = true;
        break;
      case 'custom':
        fns.push(cd.fn as (v: unknown) => unknown);
        break;
      default:
        return undefined;
    }
  }
  if (d.type === 'string') {
    if (safeint || low !== Number.NEGATIVE_INFINITY || high !== Number.POSITIVE_INFINITY) return undefined;
    // Code points: at least half the UTF-16 length (a sure pass of a minimum needs twice it), at most all of it.
    const min2 = 2 * minLength;
    const max = maxLength;
    if (fns.length === 0) return (v) => typeof v === 'string' && v.length >= min2 && v.length <= max;
    if (fns.length === 1) {
      const f = fns[0]!;
      return (v) => typeof v === 'string' && v.length >= min2 && v.length <= max && f(v) === true;
    }
    return (v) => {
      if (typeof v !== 'string' || v.length < min2 || v.length > max) return false;
      for (const f of fns) if (f(v) !== true) return false;
      return true;
    };
  }
  if (fns.length || minLength !== 0 || maxLength !== Number.POSITIVE_INFINITY) return undefined;
  const inRange = (v: number) => (lowIn ? v >= low : v > low) && (highIn ? v <= high : v < high);
  // zod's number type takes finite numbers; `safeint` is a sure pass exactly for the safe integers.
  return safeint
    ? (v) => Number.isSafeInteger(v) && inRange(v as number)
    : (v) => typeof v === 'number' && Number.isFinite(v) && inRange(v);
}

/** The type test of a node (its parse, without its checks); `undefined` never reaches it. */
function typeTest(s: Schema): Pred {
  const d = s._zod.def;
  switch (d.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'null':
      return (v) => v === null;
    case 'literal':
    case 'enum': {
      const values = s._zod.values;
      if (!values) throw new Unsupported(d.type);
      return (v) => values.has(v);
    }
    case 'custom':
      return () => true; // a custom node is its own check (checksOf)
    case 'nullable': {
      const inner = compile(d.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'union': {
      const options = d.options!.map(compile);
      return (v) => {
        for (const o of options) if (o(v)) return true;
        return false;
      };
    }
    case 'array': {
      const el = compile(d.element!);
      return (v) => {
        // zod runs an array's checks on the array it builds; a true Array's elements are the same values.
        if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype) return false;
        // An index loop, as zod's: a hole is an undefined element (`every` would skip it).
        for (let i = 0; i < v.length; i++) if (!el(v[i])) return false;
        return true;
      };
    }
    case 'object': {
      const shape = d.shape!;
      // Strict objects only (catchall never): an unknown key is an issue there. Other modes: no fast path.
      if (d.catchall?._zod.def.type !== 'never') throw new Unsupported('object mode');
      const fields = new Map<string, { optional: boolean; leaf: Pred | undefined; general: Pred }>();
      let required = 0;
      for (const k of Object.keys(shape)) {
        const f = shape[k]!;
        const optional = f._zod.def.type === 'optional';
        if (optional && checksOf(f)) throw new Unsupported('checks on an optional');
        if (!optional) required++;
        fields.set(k, { optional, ...compileParts(optional ? f._zod.def.innerType! : f) });
      }
      // One pass over the body's keys: each an own key of the shape, its value defined and taken by its field's test;
      // and every required field among them. (An inherited or non-enumerable field is not taken: zod decides.)
      return (v) => {
        if (!plain(v)) return false;
        let seen = 0;
        for (const k in v) {
          const f = fields.get(k);
          if (f === undefined || !Object.hasOwn(v, k)) return false;
          const x = v[k];
          if (x === undefined || !(f.leaf?.(x) || f.general(x))) return false;
          if (!f.optional) seen++;
        }
        return seen === required;
      };
    }
    case 'record': {
      // String keys checked by a key schema that lists no values (z.record(z.string()…, …)), strict.
      if (d.keyType!._zod.values || d.mode === 'loose') throw new Unsupported('record mode');
      const key = compile(d.keyType!);
      const value = compile(d.valueType!);
      return (v) => {
        if (!plain(v)) return false;
        for (const k of Reflect.ownKeys(v)) {
          if (typeof k !== 'string' || k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(v, k))
            return false;
          if (!key(k) || !value(v[k])) return false;
        }
        return true;
      };
    }
    default:
      throw new Unsupported(d.type);
  }
}

const compiled = new WeakMap<object, Pred | null>();

/**
 * The fast acceptance test of `schema`: true only for a value zod accepts (false says nothing: ask zod). Undefined
 * when the schema holds a node this module does not know.
 */
export function acceptor(schema: z.ZodType): Pred | undefined {
  let p = compiled.get(schema);
  if (p === undefined) {
    try {
      const pred = compile(schema as unknown as Schema);
      // A check that throws on an odd input (zod may run it on a copy it built) says nothing: ask zod.
      p = (x) => {
        try {
          return pred(x);
        } catch {
          return false;
        }
      };
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
      p = null;
    }
    compiled.set(schema, p);
  }
  return p ?? undefined;
}
