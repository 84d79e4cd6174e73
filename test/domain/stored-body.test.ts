/**
 * The body the records layer stores from a caller's input (src/domain/records.ts `storedBody`, a loop over own
 * members that skips the copy of a value that is not an object): it gives what the plain member-by-member copy gives
 * — the same members in the same order, `undefined` dropped at any depth, `v: 1` first when missing — over random
 * inputs and the odd ones (symbol keys, an own `__proto__` key, an own `v: undefined`, class instances, byte strings),
 * and the stored body shares no plain object or array with the input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedBody } from '../../src/domain/records';

/** The member-by-member copy (the records layer's before the spread): the reference. */
function reference(input: Record<string, unknown>): Record<string, unknown> {
  const omit = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(omit);
    if (typeof x !== 'object' || x === null || Object.getPrototypeOf(x) !== Object.prototype) return x;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = omit(v);
    return out;
  };
  if (Object.getPrototypeOf(input) !== Object.prototype) {
    const body = omit(input) as Record<string, unknown>;
    return body.v === undefined ? { v: 1, ...body } : body;
  }
  const out: Record<string, unknown> = input.v === undefined ? { v: 1 } : {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = omit(v);
  return out;
}

/** The same members in the same order, at every depth (toStrictEqual alone does not compare key order). */
function sameShape(a: unknown, b: unknown): void {
  expect(a).toStrictEqual(b);
  if (typeof a === 'object' && a !== null && !(a instanceof Uint8Array)) {
    expect(Object.keys(a)).toEqual(Object.keys(b as object));
    // (An own `__proto__` member copied by assignment becomes the copy's prototype: a copy of it, equal, not the same.)
    const [pa, pb] = [Object.getPrototypeOf(a), Object.getPrototypeOf(b)];
    if (pb === Object.prototype || pb === null || pb === Array.prototype) expect(pa).toBe(pb);
    else expect(pa).toStrictEqual(pb);
    for (const k of Object.keys(a))
      sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
  }
}

/** No plain object or array of `out` is one of `input`'s (a caller's later change cannot reach the stored body). */
function noShared(out: unknown, input: unknown, seen = new Set<unknown>()): void {
  const collect = (x: unknown) => {
    if (typeof x !== 'object' || x === null || seen.has(x)) return;
    if (!Array.isArray(x) && Object.getPrototypeOf(x) !== Object.prototype) return;
    seen.add(x);
    for (const v of Object.values(x)) collect(v);
  };
  collect(input);
  const walk = (x: unknown) => {
    if (typeof x !== 'object' || x === null) return;
    if (!Array.isArray(x) && Object.getPrototypeOf(x) !== Object.prototype) return;
    expect(seen.has(x)).toBe(false);
    for (const v of Object.values(x)) walk(v);
  };
  walk(out);
}

const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(undefined, null, 0, 1, 'x', true, new Uint8Array([1, 2])),
    fc.string(),
    fc.array(tie('any'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'v', 'caseId', 'fields', '10', '2'), tie('any'), { maxKeys: 5 }),
  ),
})).any;

describe('storedBody', () => {
  it('copies as the member-by-member copy does, for random bodies with undefined at any depth', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('v', 'caseId', 'officers', 'fields', 'n', '1'), value),
        (input) => {
          const out = storedBody(input);
          sameShape(out, reference(input));
          noShared(out, input);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('copies the odd inputs as the member-by-member copy does', () => {
    const sym = Symbol('s');
    const cases: Array<Record<string, unknown>> = [
      { caseId: 'C-1', officers: ['P-1'], fields: { a: 'x', b: undefined } },
      { v: undefined, caseId: 'C-1' },
      { v: 2, caseId: 'C-1' },
      { caseId: 'C-1', [sym]: 'hidden', nested: { [sym]: 1, a: 1 } },
      JSON.parse('{"caseId": "C-1", "__proto__": {"a": 1}}'),
      { caseId: 'C-1', nested: JSON.parse('{"__proto__": {"a": 1}, "b": 2}') },
      { caseId: 'C-1', list: [undefined, { a: undefined, b: [1, undefined] }] },
      Object.assign(new (class Body {})(), { caseId: 'C-1', x: undefined }),
      { caseId: 'C-1', bytes: new Uint8Array([1]), date: new Date(0) },
      Object.defineProperty({ caseId: 'C-1' }, 'hidden', { value: 1, enumerable: false }),
    ];
    for (const input of cases) {
      const out = storedBody(input);
      sameShape(out, reference(input));
      expect(Object.getOwnPropertySymbols(out)).toEqual([]);
      noShared(out, input);
    }
    expect(() => storedBody(null)).toThrow(TypeError);
    expect(() => storedBody('x')).toThrow(TypeError);
  });
});
