/**
 * The records layer's append path under many callers (issue 17): bodies validated once, reference checks of a group
 * commit read together and cached between batches. What must not change: the bytes written, every refused record
 * refused (with its codes) while the others of its group commit land, and ids that became taken in an earlier batch
 * being refused as duplicates (the cached lookups follow each commit).
 */
import { ClassicLevel } from 'classic-level';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { nodeSuite } from '../../src/crypto/node';
import { DocumentSchema, EnforcementRecords, buildPenaltyCase, cst, exampleSigner } from '../../src/domain';
import { ValidationError } from '../../src/errors';
import { tempDir } from '../ledger/helpers';

const { dir, cleanup } = tempDir('el-records-append-');
afterAll(cleanup);

const wang = exampleSigner('P-wang', nodeSuite.hash);
const OFFICERS = ['P-wang', 'P-li'];
const T = cst(2026, 5, 4, 9, 0);
const party = { name: '某某诊所', kind: 'organisation' as const };
const CASES = 4;
let n = 0;

async function world(): Promise<{ er: EnforcementRecords; path: string }> {
  const path = `${dir}/w${n++}`;
  const built = await buildPenaltyCase(path, { keepOpen: true });
  const er = built.records!;
  for (let c = 0; c < CASES; c++) {
    await er.openCase(
      {
        caseId: `B-${c}`,
        agencyId: 'jc-wjw',
        matterType: 'inspection',
        documentNumber: `B-${c}号`,
        title: `B-${c}`,
        target: party,
        openedAt: T,
        officers: OFFICERS,
      },
      wang,
    );
    await er.startAction(
      {
        actionId: `B-${c}-ACT`,
        caseId: `B-${c}`,
        actionTypes: ['on_site_inspection'],
        officers: OFFICERS,
        target: party,
        location: '某路 1 号',
        startedAt: T,
      },
      wang,
    );
  }
  return { er, path };
}

function doc(i: number, over: Record<string, unknown> = {}) {
  const c = i % CASES;
  return {
    documentId: `B-${c}-DOC-${i}`,
    caseId: `B-${c}`,
    actionId: `B-${c}-ACT`,
    type: '询问笔录',
    officers: OFFICERS,
    startedAt: T + i * 1000,
    signatures: { officers: true, party: 'signed' as const },
    ...over,
  };
}

async function dump(path: string): Promise<string[]> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, { keyEncoding: 'view', valueEncoding: 'view' });
  const out: string[] = [];
  for await (const [k, v] of db.iterator())
    out.push(`${Buffer.from(k).toString('hex')}=${Buffer.from(v).toString('hex')}`);
  await db.close();
  return out;
}

describe('recordDocument with many callers', () => {
  it('one caller at a time and 64 at once write the same bytes', async () => {
    const a = await world();
    for (let i = 0; i < 160; i++) await a.er.recordDocument(doc(i), wang);
    const b = await world();
    await Promise.all(Array.from({ length: 160 }, (_, i) => b.er.recordDocument(doc(i), wang)));
    expect(b.er.ledger.size).toBe(a.er.ledger.size);
    expect((await b.er.verify()).problems).toEqual([]);
    await a.er.ledger.close();
    await b.er.ledger.close();
    const [da, db] = [await dump(a.path), await dump(b.path)];
    expect(db.length).toBe(da.length);
    expect(db).toEqual(da);
  });

  it('refused records of a group commit are refused with their codes; the others land', async () => {
    const { er } = await world();
    const size = er.ledger.size;
    await er.recordDocument(doc(0), wang);
    const bodies = Array.from({ length: 64 }, (_, i) => doc(i + 1));
    bodies[10] = doc(11, { actionId: 'NO-SUCH-ACTION' }); // dangling reference
    bodies[20] = doc(0); // an id committed in an earlier batch
    bodies[30] = doc(31, { caseId: 'B-3', actionId: 'B-2-ACT' }); // action of another case
    bodies[41] = doc(41, { documentId: bodies[40]!.documentId }); // an id taken earlier in the same group
    const settled = await Promise.allSettled(bodies.map((b) => er.recordDocument(b, wang)));
    const codes = settled.map((s) =>
      s.status === 'fulfilled'
        ? 'ok'
        : s.reason instanceof ValidationError
          ? s.reason.issues.map((i) => i.code).join(',')
          : String(s.reason),
    );
    expect(codes[10]).toBe('dangling_reference');
    expect(codes[20]).toBe('duplicate_id');
    expect(codes[30]).toBe('reference_mismatch');
    expect(codes[41]).toBe('duplicate_id');
    expect(codes.filter((c) => c === 'ok')).toHaveLength(60);
    expect(er.ledger.size).toBe(size + 1 + 60);
    expect((await er.verify()).problems).toEqual([]);
    await er.ledger.close();
  });

  it('each body is validated once, one caller at a time and 64 at once, and a valid one without running zod', async () => {
    const { er } = await world();
    const def = er.ledger.kinds.get('enf/document')!;
    const validations = vi.spyOn(def, 'validate');
    const zodRuns = vi.spyOn(DocumentSchema, 'safeParse');
    try {
      for (let i = 0; i < 10; i++) await er.recordDocument(doc(i), wang);
      expect(validations).toHaveBeenCalledTimes(10);
      validations.mockClear();
      await Promise.all(Array.from({ length: 64 }, (_, i) => er.recordDocument(doc(100 + i), wang)));
      expect(validations).toHaveBeenCalledTimes(64);
      // Valid bodies pass the schema's fast acceptance test (src/domain/fast-valid.ts): zod runs for none of them.
      expect(zodRuns).not.toHaveBeenCalled();
      // A body with a problem goes through zod, which lists it with its code and path.
      const err = await er.recordDocument(doc(200, { officers: [] }), wang).catch((e) => e);
      expect((err as ValidationError).issues.map((i) => [i.code, i.path])).toEqual([
        ['too_small', ['body', 'officers']],
      ]);
      expect(zodRuns).toHaveBeenCalled();
    } finally {
      validations.mockRestore();
      zodRuns.mockRestore();
      await er.ledger.close();
    }
  });

  it('an id already recorded is refused (duplicate_id at body.documentId) when answered from the key filter, and after a reopen', async () => {
    const { er, path } = await world();
    for (let i = 0; i < 20; i++) await er.recordDocument(doc(i), wang);
    await new Promise((r) => setTimeout(r, 20)); // the filter's scan has finished: new ids are answered from memory
    const refused = async (r: EnforcementRecords, body: ReturnType<typeof doc>) => {
      const size = r.ledger.size;
      const err = await r.recordDocument(body, wang).catch((e) => e);
      expect(r.ledger.size).toBe(size);
      return (err as ValidationError).issues.map((i) => [i.code, i.path]);
    };
    expect(await refused(er, doc(7))).toEqual([['duplicate_id', ['body', 'documentId']]]);
    // In a group commit: the duplicates refused, the new ones written.
    const got = await Promise.allSettled(
      [doc(30), doc(3), doc(31), doc(30)].map((b) => er.recordDocument(b, wang)),
    );
    expect(got.map((g) => g.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    await er.ledger.close();
    const again = await EnforcementRecords.open(path);
    expect(await refused(again, doc(31))).toEqual([['duplicate_id', ['body', 'documentId']]]);
    await again.recordDocument(doc(32), wang);
    expect(await refused(again, doc(32))).toEqual([['duplicate_id', ['body', 'documentId']]]);
    await again.ledger.close();
  });

  it('a body that fails its schema still gets its reference problems listed, with the content problems', async () => {
    const { er } = await world();
    const size = er.ledger.size;
    const bad = { ...doc(1, { caseId: 'NO-SUCH-CASE', actionId: undefined }), signatures: undefined };
    const err = await er
      .recordDocument(bad as never, wang, [
        { digest: new Uint8Array(3), size: 1, chunkRoot: new Uint8Array(32) },
      ])
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const got = (err as ValidationError).issues.map((i) => `${i.code}@${i.path.join('.')}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'invalid_type@content.0.digest',
        'required@body.signatures',
        'dangling_reference@body.caseId',
      ]),
    );
    expect(er.ledger.size).toBe(size);
    await er.ledger.close();
  });
});
