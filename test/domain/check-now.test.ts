/**
 * A record's check answered without waiting (issue 17, records layer): when the ledger has every lookup and entry a
 * check reads at hand (`KindCheckContext.lookupNow` / `getNow`: the key filters, the cache of earlier reads, the rows
 * staged in the group commit and in the one below it), `checkEntry` gives its issues at once. It must give the same
 * verdicts as the plain path (every read through `lookup` / `get`) — duplicates refused, references found or
 * missing, ids staged earlier in the same group commit or in the batch below — and the ledger the same bytes.
 */
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { describe, expect, it, vi } from 'vitest';
import { nodeSuite } from '../../src/crypto/node';
import { EnforcementRecords, cst, exampleSigner } from '../../src/domain';
import { ValidationError } from '../../src/errors';
import { Ledger } from '../../src/ledger';
import type { Entry, KindCheckContext, KindDefinition } from '../../src/ledger/types';
import { inspectionCase } from './bodies';

const key = (label: string) => exampleSigner(label, nodeSuite.hash);
const root = key('root');
const wang = key('P-wang');
const T = cst(2026, 5, 4, 9, 0);
const party = { name: '某某诊所', kind: 'organisation' as const };

/**
 * The enforcement kinds. `plain`: their checks see a context without `lookupNow` / `getNow` (every read waited for).
 * Without `filtered`, no key filters: every lookup goes to the read cache, whose lists grow as ids are defined.
 */
function kinds(plain: boolean, filtered: boolean): KindDefinition[] {
  return EnforcementRecords.kinds().map((d) => ({
    ...d,
    ...(filtered ? {} : { filteredIndexes: [] }),
    ...(plain && d.check
      ? {
          check: (entry: Entry, ctx: KindCheckContext) => {
            const { size, lookup, get, signerRoles, signerPrincipal } = ctx;
            return d.check!(entry, { size, lookup, get, signerRoles, signerPrincipal });
          },
        }
      : {}),
  }));
}

const openCase = (er: EnforcementRecords, c: string) =>
  er.openCase(inspectionCase(c, ['P-wang', 'P-li'], T), wang);
const startAction = (er: EnforcementRecords, c: string) =>
  er.startAction(
    {
      actionId: `${c}-ACT`,
      caseId: c,
      actionTypes: ['on_site_inspection'],
      officers: ['P-wang', 'P-li'],
      target: party,
      location: '某路 1 号',
      startedAt: T,
    },
    wang,
  );

/** An agency, two officers and a head (not an officer), cases B-0 and B-1 each with an action; a fixed clock. */
async function world(
  plain: boolean,
  filtered = true,
): Promise<{ er: EnforcementRecords; mem: MemoryLevel<Uint8Array, Uint8Array> }> {
  const mem = new MemoryLevel<Uint8Array, Uint8Array>();
  const ledger = await Ledger.create(mem, {
    origin: 'test.example/check-now',
    signer: root,
    kinds: kinds(plain, filtered),
    clock: () => T,
  });
  const er = new EnforcementRecords(ledger);
  await er.registerAgency(
    { agencyId: 'jc-wjw', name: '晋城市卫生健康委员会', region: '140500', creditCode: '11140500MB1234567X' },
    root,
  );
  for (const [id, roles, n] of [
    ['P-wang', ['officer'], 1],
    ['P-li', ['officer'], 2],
    ['P-chen', ['head'], 3],
  ] as const)
    await er.registerOfficer(
      { personId: id, name: id, roles: [...roles], agencyId: 'jc-wjw', certificateNo: `1405001200${n}` },
      key(id).publicKey,
      root,
    );
  for (const c of ['B-0', 'B-1']) {
    await openCase(er, c);
    await startAction(er, c);
  }
  return { er, mem };
}

const CASES = ['B-0', 'B-1', 'B-2', 'B-3'];
const PEOPLE = ['P-wang', 'P-li', 'P-chen', 'P-none'];

/** A document (ids from small pools, so that they repeat and name what exists, what is staged and what is not), or a case opened with its action. */
const op = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('doc' as const),
      doc: fc.integer({ min: 0, max: 7 }),
      caseId: fc.constantFrom(...CASES),
      action: fc.constantFrom('own', 'other', 'none', 'absent'),
      officers: fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 }),
      supersedes: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('case' as const), caseId: fc.constantFrom('B-2', 'B-3') }),
  },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function append(er: EnforcementRecords, o: Op): Promise<unknown> {
  if (o.t === 'case') return openCase(er, o.caseId).then(() => startAction(er, o.caseId));
  const other = CASES[(CASES.indexOf(o.caseId) + 1) % CASES.length]!;
  return er.recordDocument(
    {
      documentId: `D-${o.doc}`,
      caseId: o.caseId,
      ...(o.action === 'absent'
        ? {}
        : {
            actionId:
              o.action === 'own' ? `${o.caseId}-ACT` : o.action === 'other' ? `${other}-ACT` : 'NO-ACT',
          }),
      type: 'INQUIRY_RECORD',
      officers: o.officers,
      startedAt: T,
      signatures: { officers: true, party: 'signed' },
      ...(o.supersedes === undefined
        ? {}
        : { supersedes: `D-${o.supersedes}`, correctionReason: '笔误更正' }),
    },
    wang,
  );
}

/** What an append gave: ok, or its error's code and issues. */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => `${i.code}@${i.path.join('.')}`);
    return String((err as { code?: string }).code ?? err);
  }
}

async function dump(mem: MemoryLevel<Uint8Array, Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of mem.iterator())
    out.push(`${Buffer.from(k).toString('hex')}=${Buffer.from(v).toString('hex')}`);
  return out;
}

describe('a check answered without waiting (lookupNow / getNow)', () => {
  it('gives the verdicts and the bytes of the plain path: one at a time, in group commits and pipelined ones', async () => {
    const step = fc.oneof(
      fc.record({ t: fc.constant('one' as const), op }),
      // Concurrent callers: one group commit, or two pipelined (the second staged on the first while it is written).
      fc.record({ t: fc.constant('group' as const), ops: fc.array(op, { minLength: 2, maxLength: 8 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (steps, filtered) => {
          const worlds = [await world(true, filtered), await world(false, filtered)];
          const logs: unknown[][] = [[], []];
          for (const s of steps)
            for (const w of [0, 1]) {
              const { er } = worlds[w]!;
              if (s.t === 'one') logs[w]!.push(await outcome(append(er, s.op)));
              else logs[w]!.push(await Promise.all(s.ops.map((o) => outcome(append(er, o)))));
            }
          expect(logs[1]).toEqual(logs[0]);
          expect(await dump(worlds[1]!.mem)).toEqual(await dump(worlds[0]!.mem));
          for (const { er } of worlds) await er.ledger.close();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('is the path a lone document of a case in use takes, and refuses what the plain path refuses', async () => {
    const { er } = await world(false);
    const checks = vi.spyOn(er.ledger.kinds.get('enf/document')!, 'check');
    const paths = () => checks.mock.results.map((r) => (Array.isArray(r.value) ? 'now' : 'waited'));
    const doc = (i: number, over: Record<string, unknown> = {}) => ({
      documentId: `N-${i}`,
      caseId: 'B-0',
      actionId: 'B-0-ACT',
      type: 'INQUIRY_RECORD',
      officers: ['P-wang', 'P-li'],
      startedAt: T,
      signatures: { officers: true, party: 'signed' as const },
      ...over,
    });
    for (let i = 0; i < 3; i++) await er.recordDocument(doc(i), wang);
    await new Promise((r) => setTimeout(r, 20)); // the key filters' scans have finished
    checks.mockClear();
    await er.recordDocument(doc(3), wang);
    // A repeated id and a person not asked about before are read from storage the first time, then answered at once.
    const dup = [await outcome(er.recordDocument(doc(1), wang))];
    const lacks = [await outcome(er.recordDocument(doc(4, { officers: ['P-chen'] }), wang))];
    expect(paths()).toEqual(['now', 'waited', 'waited']);
    dup.push(await outcome(er.recordDocument(doc(1), wang)));
    lacks.push(await outcome(er.recordDocument(doc(4, { officers: ['P-chen'] }), wang)));
    expect(paths().slice(3)).toEqual(['now', 'now']);
    expect(dup).toEqual([['duplicate_id@body.documentId'], ['duplicate_id@body.documentId']]);
    expect(lacks).toEqual([
      ['reference_lacks_role@body.officers.0'],
      ['reference_lacks_role@body.officers.0'],
    ]);
    // A correction reads the log (is the document superseded already?): it waits.
    await er.recordDocument(doc(5, { supersedes: 'N-0', correctionReason: '笔误更正' }), wang);
    expect(paths().at(-1)).toBe('waited');
    checks.mockRestore();
    await er.ledger.close();
  });
});
