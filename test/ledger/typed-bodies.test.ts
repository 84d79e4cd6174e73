/**
 * Typed bodies (issue 19, point 2): reading an entry of a known kind gives its body type, inferred once from the
 * kind's zod schema. The type assertions are checked by `tsc --noEmit` (part of `npm test`): a wrong field or a wrong
 * field type is a compile error (`@ts-expect-error` fails the type check when the error goes away). At run time the
 * kind argument is checked: an entry of another kind is refused with STORAGE_NOT_FOUND, and `entries({ kind })` yields
 * that kind only.
 */
import { MemoryLevel } from 'memory-level';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { CaseBody, KindName, PersonBody } from '../../src/entries/records';
import { type ArchiveBodies, archiveKinds } from '../../src/access/archive';
import type { AccessBodies } from '../../src/access/kinds';
import type { BodyByKind } from '../../src/domain/bodies';
import { EnforcementRecords } from '../../src/domain/records';
import { KIND } from '../../src/domain/kind-names';
import { StorageError } from '../../src/errors';
import { Ledger } from '../../src/ledger/ledger';
import type { CoreBodies, ManifestBody } from '../../src/ledger/registry';
import { type CborValue, type EntryOf, type StoredEntry, kindGuard } from '../../src/ledger/types';
import { RET } from '../../src/retention/kind-names';
import type { HoldBody, RetentionBodies } from '../../src/retention/kinds';
import { T0, WORLD, applyStep, signerFor, worldSteps } from '../domain/arbitraries';

type DB = MemoryLevel<Uint8Array, Uint8Array>;

describe('typed bodies: types (checked by tsc)', () => {
  it('every enforcement kind has a body type, and every body map is CBOR', () => {
    expectTypeOf<keyof BodyByKind>().toEqualTypeOf<KindName>();
    expectTypeOf<RetentionBodies[keyof RetentionBodies]>().toExtend<CborValue>();
    expectTypeOf<AccessBodies[keyof AccessBodies]>().toExtend<CborValue>();
    expectTypeOf<BodyByKind[keyof BodyByKind]>().toExtend<CborValue>();
    expectTypeOf<CoreBodies[keyof CoreBodies]>().toExtend<CborValue>();
  });

  it('Ledger.open infers the body map from its kinds; get(seq, kind) and entries({ kind }) are typed', () => {
    // Type level only: the function is never called.
    const typed = async (db: DB) => {
      const ledger = await Ledger.open(db, { kinds: archiveKinds() });
      expectTypeOf(ledger).toEqualTypeOf<Ledger<CoreBodies & ArchiveBodies>>();
      const c = await ledger.get(1, KIND.case);
      expectTypeOf(c.body).toEqualTypeOf<CaseBody>();
      expectTypeOf(c.kind).toEqualTypeOf<'enf/case'>();
      const title: string = c.body.title;
      // @ts-expect-error a field the case schema does not have
      c.body.caseTitle;
      // @ts-expect-error a field of the wrong type
      const opened: string = c.body.openedAt;
      expectTypeOf((await ledger.get(0, 'core/manifest')).body).toEqualTypeOf<ManifestBody>();
      for await (const h of ledger.entries({ kind: RET.hold }))
        expectTypeOf(h.body).toEqualTypeOf<HoldBody>();
      // @ts-expect-error a kind this ledger's map does not know
      await ledger.get(1, 'enf/no-such-kind');
      // Without a kind: any CBOR body.
      expectTypeOf((await ledger.get(1)).body).toEqualTypeOf<CborValue>();
      return [title, opened];
    };
    const plain = async (db: DB) => {
      // A ledger opened without kind sets knows the core kinds only.
      const ledger = await Ledger.open(db);
      // @ts-expect-error enf/case is not in a plain ledger's body map
      await ledger.get(1, KIND.case);
      const records = new EnforcementRecords(ledger);
      expectTypeOf((await records.ledger.get(1, KIND.person)).body).toEqualTypeOf<PersonBody>();
    };
    expect([typed, plain].every((f) => typeof f === 'function')).toBe(true);
  });

  it('kindGuard narrows a StoredEntry and keeps it a StoredEntry', () => {
    const isRecord = kindGuard<BodyByKind>();
    const look = (e: StoredEntry) => {
      if (isRecord(e, KIND.person)) {
        expectTypeOf(e.body).toEqualTypeOf<PersonBody>();
        expectTypeOf(e.leafHash).toEqualTypeOf<Uint8Array>();
        // @ts-expect-error a person has roles, not role
        return e.body.role;
      }
      // @ts-expect-error not narrowed outside the guard
      return e.body.roles;
    };
    expectTypeOf<EntryOf<BodyByKind, 'enf/case'>['body']>().toEqualTypeOf<CaseBody>();
    expect(typeof look).toBe('function');
  });
});

describe('typed bodies: the kind is checked at run time', () => {
  let db: DB;
  let er: EnforcementRecords;
  let caseSeq = -1;

  beforeAll(async () => {
    db = new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' });
    let t = T0 - 86_400_000;
    er = await EnforcementRecords.create(db, {
      origin: 'test.example/typed',
      signer: signerFor('admin'),
      clock: () => (t += 1000),
    });
    for (const s of worldSteps()) {
      const r = await applyStep(er, s);
      if (s.kind === KIND.case) caseSeq = r.seq;
    }
  });
  afterAll(async () => {
    await er.ledger.close();
  });

  it('get(seq, kind) returns the entry of that kind, and refuses another kind', async () => {
    expect(caseSeq).toBeGreaterThan(0);
    const c = await er.ledger.get(caseSeq, KIND.case);
    expect(c.body.caseId).toBe(WORLD.caseId);
    expect(c.seq).toBe(caseSeq);
    const err = await er.ledger.get(caseSeq, KIND.person).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('STORAGE_NOT_FOUND');
    expect((err as StorageError).message).toContain(KIND.case);
    expect((await er.ledger.get(0, 'core/manifest')).body.origin).toBe('test.example/typed');
  });

  it('entries({ kind }) yields exactly the entries of that kind, in order', async () => {
    const all: StoredEntry[] = [];
    for await (const e of er.ledger.entries()) all.push(e);
    const persons: number[] = [];
    for await (const p of er.ledger.entries({ kind: KIND.person })) {
      expect(p.body.roles.length).toBeGreaterThan(0);
      persons.push(p.seq);
    }
    expect(persons).toEqual(all.filter((e) => e.kind === KIND.person).map((e) => e.seq));
    expect(persons.length).toBeGreaterThan(1);
    const some: number[] = [];
    for await (const p of er.ledger.entries({ from: persons[1]!, kind: KIND.person })) some.push(p.seq);
    expect(some).toEqual(persons.slice(1));
  });

  it('isKind narrows on the kind name only', async () => {
    const e = await er.ledger.get(caseSeq);
    expect(er.ledger.isKind(e, KIND.case)).toBe(true);
    expect(er.ledger.isKind(e, KIND.person)).toBe(false);
  });
});
