/**
 * Body schemas, without a ledger: every generated record is valid; every required field, when missing, is reported
 * as `required` at its path; wrong types, unknown fields, unknown document types, end-before-start and bad versions
 * are reported with their codes; every problem of a body is listed, not only the first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateBody } from '../../src/domain/definitions';
import { defaultDocumentRegistry } from '../../src/domain/document-types';
import { KIND } from '../../src/domain/kind-names';
import { ALL_SPECS, SPEC_BY_KIND } from '../../src/domain/kinds';
import { recordArbitraries } from './arbitraries';

const arbs = recordArbitraries({ segmentSeq: 12, segmentDigest: new Uint8Array(32).fill(1) });
const validate = (kind: string, body: unknown) =>
  validateBody(SPEC_BY_KIND.get(kind)!, body, defaultDocumentRegistry);

/** One valid body of `kind` (the last step of a generated scenario). */
function sample(kind: string, seed = 42): Record<string, unknown> {
  const [steps] = fc.sample(arbs[kind as keyof typeof arbs], { numRuns: 1, seed });
  return structuredClone(steps![steps!.length - 1]!.body);
}

/** Field names of a kind's schema that must be present. */
function requiredFields(kind: string): string[] {
  const shape = (
    SPEC_BY_KIND.get(kind)!.schema as unknown as {
      shape: Record<string, { safeParse(x: unknown): { success: boolean } }>;
    }
  ).shape;
  return Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
}

describe('every kind', () => {
  it('covers all 20 kinds with an arbitrary', () => {
    expect(ALL_SPECS.map((s) => s.kind).sort()).toEqual(Object.values(KIND).sort());
    expect(Object.keys(arbs).sort()).toEqual(Object.values(KIND).sort());
  });

  for (const spec of ALL_SPECS) {
    describe(spec.kind, () => {
      it('accepts generated valid bodies', () => {
        fc.assert(
          fc.property(arbs[spec.kind as keyof typeof arbs], (steps) => {
            for (const s of steps) expect(validate(s.kind, s.body)).toEqual([]);
          }),
          { numRuns: 60 },
        );
      });

      it('reports each missing required field as `required` at its path', () => {
        const fields = requiredFields(spec.kind);
        expect(fields).toContain('v');
        for (const f of fields) {
          const body = sample(spec.kind);
          delete body[f];
          const issues = validate(spec.kind, body);
          expect(issues).toContainEqual(expect.objectContaining({ code: 'required', path: [f] }));
        }
      });

      it('reports a wrong type at the field path, for every field', () => {
        const body = sample(spec.kind);
        for (const f of Object.keys(body)) {
          const bad = { ...body, [f]: 1.5 };
          const issues = validate(spec.kind, bad);
          expect(issues.length, `${f}`).toBeGreaterThan(0);
          expect(issues.every((i) => i.path[0] === f)).toBe(true);
        }
      });

      it('refuses unknown fields, undefined values, a non-map body and schema version 2', () => {
        const body = sample(spec.kind);
        expect(validate(spec.kind, { ...body, extra: 'x' })).toEqual([
          expect.objectContaining({ code: 'unknown_field', path: ['extra'] }),
        ]);
        const firstOptional = Object.keys(
          (spec.schema as unknown as { shape: Record<string, unknown> }).shape,
        ).find((k) => !requiredFields(spec.kind).includes(k));
        if (firstOptional)
          expect(validate(spec.kind, { ...body, [firstOptional]: undefined })).toEqual([
            expect.objectContaining({ code: 'invalid_type', path: [firstOptional] }),
          ]);
        expect(validate(spec.kind, [body])).toEqual([
          expect.objectContaining({ code: 'invalid_type', path: [] }),
        ]);
        expect(validate(spec.kind, { ...body, v: 2 })).toEqual([
          expect.objectContaining({ code: 'unsupported_version', path: ['v'] }),
        ]);
      });
    });
  }
});

describe('cross-field rules', () => {
  it('end before start is refused wherever a span is recorded', () => {
    const cases: Array<[string, string, string]> = [
      [KIND.document, 'startedAt', 'endedAt'],
      [KIND.segment, 'startedAt', 'endedAt'],
      [KIND.exception, 'from', 'to'],
      [KIND.deposit, 'basisAt', 'depositedAt'],
      [KIND.actionEnd, 'endedAt', 'returnedAt'],
    ];
    for (const [kind, start, end] of cases) {
      const body = { ...sample(kind), [start]: 2_000_000, [end]: 1_999_999 };
      expect(validate(kind, body), kind).toContainEqual(
        expect.objectContaining({ code: 'end_before_start', path: [end] }),
      );
      expect(validate(kind, { ...body, [end]: 2_000_000 })).toEqual([]);
    }
  });

  it('unknown document types are refused; names and aliases must be stored as the stable id', () => {
    const body = sample(KIND.document);
    expect(validate(KIND.document, { ...body, type: 'NOT_A_TYPE' })).toEqual([
      expect.objectContaining({ code: 'unknown_document_type', path: ['type'] }),
    ]);
    const alias = validate(KIND.document, { ...body, type: '询问记录' });
    expect(alias).toEqual([expect.objectContaining({ code: 'unknown_document_type', path: ['type'] })]);
    expect(alias[0]!.message).toContain('INQUIRY_RECORD');
  });

  it('a correction needs its reason, and a reason needs a correction', () => {
    const body = sample(KIND.document);
    expect(validate(KIND.document, { ...body, supersedes: 'DOC-0' })).toEqual([
      expect.objectContaining({ code: 'required', path: ['correctionReason'] }),
    ]);
    expect(validate(KIND.document, { ...body, correctionReason: '笔误' })).toEqual([
      expect.objectContaining({ code: 'unexpected_field', path: ['correctionReason'] }),
    ]);
  });

  it('an officer needs a certificate number; an `other` AV exception needs its reason text', () => {
    const p = { v: 1, personId: 'p', agencyId: 'a', name: '王', roles: ['officer'] };
    expect(validate(KIND.person, p)).toEqual([
      expect.objectContaining({ code: 'required', path: ['certificateNo'] }),
    ]);
    expect(validate(KIND.person, { ...p, roles: ['head'] })).toEqual([]);
    const e: Record<string, unknown> = { ...sample(KIND.exception), reason: 'other' };
    delete e.reasonText;
    expect(validate(KIND.exception, e)).toEqual([
      expect.objectContaining({ code: 'required', path: ['reasonText'] }),
    ]);
  });

  it('segment chains start with prevDigest null and continue with a digest', () => {
    const s = sample(KIND.segment);
    expect(validate(KIND.segment, { ...s, position: 0, prevDigest: new Uint8Array(32) })).toEqual([
      expect.objectContaining({ code: 'invalid_chain', path: ['prevDigest'] }),
    ]);
    expect(validate(KIND.segment, { ...s, position: 1, prevDigest: null })).toEqual([
      expect.objectContaining({ code: 'invalid_chain', path: ['prevDigest'] }),
    ]);
    expect(validate(KIND.segment, { ...s, position: 1, prevDigest: new Uint8Array(31) })).toEqual([
      expect.objectContaining({ code: 'invalid_length', path: ['prevDigest'] }),
    ]);
  });

  it('ids refuse control characters (they become index keys) and the empty string', () => {
    const body = sample(KIND.case);
    expect(validate(KIND.case, { ...body, caseId: 'a\u0000b' })).toEqual([
      expect.objectContaining({ code: 'invalid_id', path: ['caseId'] }),
    ]);
    expect(validate(KIND.case, { ...body, caseId: '' })).toEqual([
      expect.objectContaining({ code: 'too_small', path: ['caseId'] }),
    ]);
  });

  it('lists every problem of a body, in a stable order', () => {
    const body = {
      v: 1,
      documentId: '',
      caseId: 7,
      type: 'NOPE',
      officers: ['P-o1', 'P-o1'],
      startedAt: 10,
      endedAt: 5,
      signatures: { officers: true, party: 'maybe' },
      colour: 'red',
    };
    const issues = validate(KIND.document, body);
    expect(issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['too_small', 'documentId'],
      ['invalid_type', 'caseId'],
      ['duplicate_item', 'officers'],
      ['invalid_value', 'signatures.party'],
      ['unknown_field', 'colour'],
      ['end_before_start', 'endedAt'],
      ['unknown_document_type', 'type'],
    ]);
    expect(validate(KIND.document, body)).toEqual(issues);
  });
});
