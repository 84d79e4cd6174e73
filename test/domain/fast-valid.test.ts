/**
 * The fast acceptance test of a kind's schema (src/domain/fast-valid.ts) against zod itself: it takes every generated
 * valid body (so the fast path is the one valid bodies take), and it never takes a body zod refuses or one holding
 * `undefined` — over random mutations of valid bodies of every kind (fields removed, replaced by values of every
 * type and edge, unknown fields added, at any depth) and crafted edge cases (holes, inherited and non-enumerable
 * keys, `__proto__`, class instances, NaN, the safe-integer edge, control characters).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { validateBody } from '../../src/domain/definitions';
import { defaultDocumentRegistry } from '../../src/domain/document-types';
import { acceptor } from '../../src/domain/fast-valid';
import { ALL_SPECS, SPEC_BY_KIND } from '../../src/domain/kinds';
import { accessSpecs } from '../../src/access/kinds';
import { retentionSpecs } from '../../src/retention/kinds';
import { recordArbitraries } from './arbitraries';

const arbs = recordArbitraries({ segmentSeq: 12, segmentDigest: new Uint8Array(32).fill(1) });

function hasUndefined(x: unknown): boolean {
  if (x === undefined) return true;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) if (hasUndefined(x[i])) return true;
    return false;
  }
  if (typeof x === 'object' && x !== null && !(x instanceof Uint8Array))
    return Object.values(x).some(hasUndefined);
  return false;
}

/** What the fast test may never do: take a body zod refuses, or one that holds undefined. */
function sound(schema: z.ZodType, body: unknown): boolean {
  const fast = acceptor(schema)!;
  return !fast(body) || (schema.safeParse(body).success && !hasUndefined(body));
}

const edge = fc.constantFrom<unknown>(
  undefined,
  null,
  '',
  'x',
  'a\u0001b',
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(4097),
  // zod counts string lengths in code points: lengths around each bound in UTF-16 units and in code points.
  '😀',
  '\ud800',
  '😀'.repeat(64),
  '😀'.repeat(128),
  '😀'.repeat(129),
  `${'x'.repeat(127)}😀`,
  '😀'.repeat(2048),
  '😀'.repeat(2049),
  0,
  -0,
  -1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  2 ** 53 - 1,
  true,
  false,
  [],
  [undefined],
  ['P-wang', 'P-wang'],
  {},
  new Uint8Array(31),
  new Uint8Array(32),
  new Date(0),
  'approved',
  'signed',
  1,
);
const anyValue = fc.oneof(edge, fc.anything({ maxDepth: 2 }), fc.string(), fc.integer());

type Mutation = { path: number[]; op: 'delete' | 'set' | 'add'; value: unknown; key: string };

/** Applies a mutation at the node that `path` picks (each number picks a child, modulo the children there). */
function mutate(body: Record<string, unknown>, m: Mutation): unknown {
  const root = structuredClone(body);
  let node: unknown = root;
  for (const n of m.path) {
    const kids =
      typeof node === 'object' && node !== null && !(node instanceof Uint8Array) ? Object.keys(node) : [];
    if (!kids.length) break;
    const k = kids[n % kids.length]!;
    const child = (node as Record<string, unknown>)[k];
    if (typeof child !== 'object' || child === null || child instanceof Uint8Array || m.path.length === 1) {
      const target = node as Record<string, unknown>;
      if (m.op === 'delete') delete target[k];
      else if (m.op === 'set') target[k] = m.value;
      else target[m.key] = m.value;
      return root;
    }
    node = child;
  }
  const target = node as Record<string, unknown>;
  if (typeof target === 'object' && target !== null) target[m.key] = m.value;
  return root;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }),
  op: fc.constantFrom('delete' as const, 'set' as const, 'add' as const),
  value: anyValue,
  key: fc.constantFrom('extra', 'v', 'caseId', 'officers', '__proto__', 'toString', 'name'),
});

describe('the fast acceptance test of a schema', () => {
  it('exists for every enforcement, retention and access kind', () => {
    for (const spec of [...ALL_SPECS, ...retentionSpecs(), ...accessSpecs()])
      expect(acceptor(spec.schema), spec.kind).toBeTypeOf('function');
  });

  for (const spec of ALL_SPECS)
    it(`${spec.kind}: takes generated valid bodies, and never a mutated body zod refuses`, () => {
      const fast = acceptor(spec.schema)!;
      let refused = 0;
      fc.assert(
        fc.property(
          arbs[spec.kind as keyof typeof arbs],
          fc.array(mutation, { maxLength: 3 }),
          (steps, ms) => {
            const body = steps[steps.length - 1]!.body;
            expect(fast(body)).toBe(true);
            expect(spec.schema.safeParse(body).success).toBe(true);
            let b: unknown = body;
            for (const m of ms) {
              b = mutate(b as Record<string, unknown>, m);
              expect(sound(spec.schema, b)).toBe(true);
              if (!fast(b)) refused++;
            }
          },
        ),
        { numRuns: 80 },
      );
      expect(refused).toBeGreaterThan(0); // the mutations reach bodies it does not take
    });

  it('does not take crafted edge cases zod refuses, or that hold undefined', () => {
    const spec = SPEC_BY_KIND.get('enf/document')!;
    const [steps] = fc.sample(arbs['enf/document'], { numRuns: 1, seed: 7 });
    const base = steps![steps!.length - 1]!.body as Record<string, unknown>;
    const fast = acceptor(spec.schema)!;
    expect(fast(base)).toBe(true);
    const cases: unknown[] = [
      { ...base, officers: [base.officers as string[]][0]!.concat([]).fill(undefined as never, 0, 1) },
      // biome-ignore lint/suspicious/noSparseArray: a hole is the case
      { ...base, officers: [, 'P-li'] },
      Object.assign(Object.create({ inherited: 1 }), base),
      JSON.parse(`{"__proto__": 1, ${JSON.stringify(base).slice(1)}`),
      Object.assign(new (class Body {})(), base),
      { ...base, startedAt: Number.NaN },
      { ...base, startedAt: 2 ** 53 },
      { ...base, startedAt: 1.5 },
      { ...base, documentId: 'a\u0000b' },
      { ...base, documentId: undefined },
      { ...base, title: undefined },
      { ...base, fields: { [Symbol('k') as unknown as string]: 'x' } },
      { ...base, fields: Object.defineProperty({}, 'hidden', { value: 'x', enumerable: false }) },
      { ...base, fields: { k: undefined } },
      { ...base, fields: { k: 1.5 } },
      { ...base, signatures: { ...(base.signatures as object), extra: true } },
    ];
    for (const c of cases) expect(sound(spec.schema, c)).toBe(true);
    // On either side of each bound it answers as zod does: string lengths in code points (zod's measure, where a
    // length in UTF-16 units alone would be wrong), list lengths, the safe-integer and non-negative time bounds.
    const emoji = '😀';
    for (const s of [
      'x',
      emoji,
      emoji.repeat(128),
      emoji.repeat(129),
      `${'x'.repeat(127)}${emoji}`,
      'x'.repeat(128),
      'x'.repeat(129),
    ]) {
      const b = { ...base, documentId: s, title: `${s}${s}` };
      expect(fast(b), s).toBe(spec.schema.safeParse(b).success);
    }
    for (const t of [0, -1, 2 ** 53 - 1, 2 ** 53]) {
      const b = { ...base, startedAt: t, endedAt: undefined };
      delete b.endedAt;
      expect(fast(b), String(t)).toBe(spec.schema.safeParse(b).success);
    }
    const officers = Array.from({ length: 65 }, (_, i) => `P-${i}`);
    for (const n of [1, 64, 65]) {
      const b = { ...base, officers: officers.slice(0, n) };
      expect(fast(b), String(n)).toBe(spec.schema.safeParse(b).success);
    }
    expect(fast({ ...base, documentId: emoji.repeat(128) })).toBe(true);
    // A non-enumerable unknown key is ignored by zod and by the fast test alike.
    const hidden = Object.defineProperty({ ...base }, 'hidden', { value: 1, enumerable: false });
    expect(fast(hidden)).toBe(spec.schema.safeParse(hidden).success);
  });

  it('leaves validateBody’s answer unchanged: the issues of a refused body still come from zod', () => {
    const spec = SPEC_BY_KIND.get('enf/document')!;
    const [steps] = fc.sample(arbs['enf/document'], { numRuns: 1, seed: 9 });
    const body = { ...(steps![steps!.length - 1]!.body as Record<string, unknown>) };
    expect(validateBody(spec, body, defaultDocumentRegistry)).toEqual([]);
    const { caseId: _, ...missing } = body;
    expect(validateBody(spec, { ...missing, title: undefined, extra: 1 }, defaultDocumentRegistry)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'required', path: ['caseId'] }),
        expect.objectContaining({ code: 'unknown_field', path: ['extra'] }),
        expect.objectContaining({ code: 'invalid_type', path: ['title'] }),
      ]),
    );
  });
});
