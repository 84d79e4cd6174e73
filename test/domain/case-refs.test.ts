/**
 * The schema-free table of case references (src/domain/case-refs.ts, used by the browser's bundle verifier) says
 * exactly what the kind specs say: each kind's case-scoped `defines` and its `sameCase` references.
 */
import { describe, expect, it } from 'vitest';
import { CASE_DEFINES, CASE_REFS, caseReferenceProblems } from '../../src/domain/case-refs';
import { ALL_SPECS } from '../../src/domain/kinds';

describe('case references', () => {
  it('equal the kind specs', () => {
    const spaces = new Set(ALL_SPECS.flatMap((s) => s.refs.filter((r) => r.sameCase).map((r) => r.space)));
    const defines: Record<string, unknown> = {};
    const refs: Record<string, unknown> = {};
    for (const s of ALL_SPECS) {
      if (s.defines && spaces.has(s.defines.space)) defines[s.kind] = { ...s.defines };
      const r = s.refs.filter((x) => x.sameCase).map((x) => ({ field: x.field, space: x.space }));
      if (r.length) refs[s.kind] = r;
    }
    expect(CASE_DEFINES).toEqual(defines);
    expect(Object.fromEntries(Object.entries(CASE_REFS).map(([k, v]) => [k, [...v]]))).toEqual(refs);
  });

  it('find a named record that is absent, and a session with an earlier position absent', () => {
    const recs = [
      { seq: 3, kind: 'enf/action.start', body: { actionId: 'A1' } },
      { seq: 4, kind: 'enf/segment', body: { segmentId: 'S2', actionId: 'A1', sessionId: 'X', position: 1 } },
      { seq: 5, kind: 'enf/document', body: { documentId: 'D1', actionId: 'A2' } },
    ];
    expect(caseReferenceProblems(recs).map((p) => [p.seq, p.space, p.id])).toEqual([
      [4, 'session', 'X'],
      [5, 'action', 'A2'],
    ]);
    expect(caseReferenceProblems(recs.slice(0, 1))).toEqual([]);
  });
});
