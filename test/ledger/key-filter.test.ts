/**
 * The key filter of an index (src/ledger/key-filter.ts, KindDefinition.filteredIndexes): it never says "absent" for
 * a key that has a row — not for keys stored before it was made, nor for those the ledger commits or catches up with
 * afterwards, nor for keys whose UTF-8 form differs from their UTF-16 one — and a check hook that reads through it
 * gives the same verdicts, and the same log, as one that reads storage every time, while a new key costs no read.
 */
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { KeyFilter } from '../../src/ledger/key-filter';
import { indexKey, indexPrefix } from '../../src/ledger/keyspace';
import { LevelStore } from '../../src/ledger/level-store';
import type { LedgerStore } from '../../src/ledger/store';
import { THING_INDEX as INDEX, asSharedStore, stepClock, testSigner, thingKind } from './helpers';

const root = testSigner(0);
const officer = testSigner(1);

/** A LevelStore on `mem` that counts the range reads of INDEX (a lookup's `allKeys`). */
async function countingStore(mem: MemoryLevel<Uint8Array, Uint8Array>) {
  const store = await LevelStore.open(mem, { createIfMissing: true });
  const prefix = indexPrefix(INDEX);
  const reads = { n: 0 };
  const counted = new Proxy(store, {
    get: (t, p) => {
      const v = Reflect.get(t, p);
      if (p === 'allKeys')
        return (range: { gte?: Uint8Array }) => {
          const g = range.gte;
          if (g && g.length > prefix.length && prefix.every((b, i) => g[i] === b)) reads.n++;
          return v.call(t, range);
        };
      return typeof v === 'function' ? v.bind(t) : v;
    },
  }) as LedgerStore;
  return { store, counted, reads };
}

async function thingLedger(at: LedgerStore | MemoryLevel<Uint8Array, Uint8Array>, filtered: boolean) {
  const l = await Ledger.create(at, {
    origin: 'test.example/key-filter',
    signer: root,
    kinds: [thingKind(filtered)],
    clock: stepClock(),
  });
  await l.registerKey({ publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] }, root);
  return l;
}

const thing = (id: string) => ({ kind: 'test/thing', body: { id } });

/** What an append gave: its seqs, or its error's code and issues. */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    const r = await p;
    return { ok: (Array.isArray(r) ? r : [r]).map((x) => (x as { seq: number }).seq) };
  } catch (err) {
    const e = err as { code?: string; issues?: unknown };
    return { code: e.code, issues: e.issues };
  }
}

/** Lets a filter's scan finish (it runs beside the appends, on the store's read path). */
const settle = () => new Promise((r) => setTimeout(r, 20));

/** Keys of any code points, ASCII ones (fingerprinted without an encoder), and ASCII followed by others. */
const anyKey = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc
    .tuple(fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }))
    .map(([a, b]) => a + b),
);

describe('KeyFilter', () => {
  it('never says absent for a key it was given, as a string or as a stored row; grows past its first table', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(anyKey, { minLength: 1, maxLength: 3000 }),
        fc.array(anyKey, { maxLength: 50 }),
        (keys, others) => {
          const byString = new KeyFilter();
          const byRow = new KeyFilter();
          byString.ready = byRow.ready = true;
          const prefix = indexPrefix(INDEX);
          keys.forEach((k, i) => {
            byString.add(k);
            byRow.addRow(indexKey(INDEX, k, i), prefix.length);
          });
          for (const k of keys) {
            expect(byString.mayHave(k)).toBe(true);
            // A key with NUL never reaches a filter's answer (storage answers it); any other as the store holds it.
            expect(byRow.mayHave(k)).toBe(true);
          }
          // Keys with the same UTF-8 bytes (lone surrogates become U+FFFD) are one key to the store and to the filter.
          for (const k of others)
            if (keys.some((x) => new TextEncoder().encode(x).join() === new TextEncoder().encode(k).join()))
              expect(byRow.mayHave(k)).toBe(true);
          expect(byString.size).toBeLessThanOrEqual(keys.length);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('says absent for keys it was not given (all but about n / 2^32 of them), and nothing before it is ready', () => {
    const f = new KeyFilter();
    for (let i = 0; i < 5000; i++) f.add(`DOC-${i}`);
    expect(f.mayHave('DOC-1')).toBe(true); // not ready: it must not answer
    f.ready = true;
    let maybe = 0;
    for (let i = 5000; i < 15000; i++) if (f.mayHave(`DOC-${i}`)) maybe++;
    expect(maybe).toBeLessThan(5);
    expect(f.size).toBe(5000);
    // 5,000 keys at most 3/4 full: an 8,192-slot table (4 bytes a slot).
    expect(f.bytes).toBe(8192 * 4);
    expect(f.mayHave('a\u0000b')).toBe(true); // a NUL key is left to storage
  });
});

describe('a check hook reading through a key filter', () => {
  it('gives the verdicts and the log of plain lookups, for random new and repeated ids, in groups, batches and reopens', async () => {
    const step = fc.oneof(
      fc.record({ t: fc.constant('one' as const), id: fc.integer({ min: 0, max: 30 }) }),
      fc.record({
        t: fc.constant('group' as const),
        ids: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 6 }),
      }),
      fc.record({
        t: fc.constant('batch' as const),
        ids: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ t: fc.constant('reopen' as const) }),
      fc.record({ t: fc.constant('settle' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const mems = [new MemoryLevel<Uint8Array, Uint8Array>(), new MemoryLevel<Uint8Array, Uint8Array>()];
        const ledgers = [await thingLedger(mems[0]!, false), await thingLedger(mems[1]!, true)];
        const logs: unknown[][] = [[], []];
        for (const s of steps)
          for (const w of [0, 1]) {
            const l = ledgers[w]!;
            const id = (n: number) => `T-${n}${n % 3 === 0 ? ' 执法' : ''}`;
            if (s.t === 'one') logs[w]!.push(await outcome(l.append(thing(id(s.id)), officer)));
            else if (s.t === 'group')
              // Concurrent callers: one group commit (or two, pipelined), checked in order.
              logs[w]!.push(await Promise.all(s.ids.map((n) => outcome(l.append(thing(id(n)), officer)))));
            else if (s.t === 'batch')
              logs[w]!.push(
                await outcome(
                  l.appendBatch(
                    s.ids.map((n) => thing(id(n))),
                    officer,
                  ),
                ),
              );
            else if (s.t === 'reopen') {
              await l.close();
              ledgers[w] = await Ledger.open(mems[w]!, { kinds: [thingKind(w === 1)], clock: stepClock() });
            } else await settle();
          }
        expect(logs[1]).toEqual(logs[0]);
        expect(ledgers[1]!.size).toBe(ledgers[0]!.size);
        for (const l of ledgers) {
          expect((await l.verify()).ok).toBe(true);
          await l.close();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('reads no index row for a new id once the filter is made, and still refuses a repeated one with its code and path', async () => {
    const { counted, reads, store } = await countingStore(new MemoryLevel());
    const l = await thingLedger(counted, true);
    await l.append(thing('A-0'), officer); // the first check lookup starts the scan
    await settle();
    const before = reads.n;
    for (let i = 1; i <= 20; i++) await l.append(thing(`A-${i}`), officer);
    await Promise.all(Array.from({ length: 10 }, (_, i) => l.append(thing(`B-${i}`), officer)));
    expect(reads.n).toBe(before); // 30 new ids, no range read of their index
    const dup = (await outcome(l.append(thing('A-7'), officer))) as { code: string; issues: unknown };
    expect(dup.code).toBe('VALIDATION_FAILED');
    expect(dup.issues).toEqual([expect.objectContaining({ code: 'duplicate_id', path: ['body', 'id'] })]);
    expect(reads.n).toBe(before + 1); // the repeated id was read from storage
    await l.close();
    await store.close();
  });

  it('fills its filter from every page of a large index: a key far past the first page is still refused', async () => {
    const { counted, reads, store } = await countingStore(new MemoryLevel());
    const l = await thingLedger(counted, true);
    // 5,000 rows of the index written straight to the store (the scan reads index rows only): more than a page.
    const puts = Array.from({ length: 5000 }, (_, i) => ({
      key: indexKey(INDEX, `F-${String(i).padStart(4, '0')}`, 1), // at a seq of the log: a check reads it
      value: new Uint8Array(0),
    }));
    await store.append(async (head) => ({ puts, head }));
    await l.append(thing('X-0'), officer); // starts the scan
    await settle();
    const before = reads.n;
    await l.append(thing('X-1'), officer);
    expect(reads.n).toBe(before); // answered by the filter
    for (const id of ['F-0000', 'F-4096', 'F-4999']) {
      const r = (await outcome(l.append(thing(id), officer))) as { issues?: Array<{ code: string }> };
      expect(r.issues?.map((i) => i.code)).toEqual(['duplicate_id']);
    }
    await l.close();
    await store.close();
  });

  it('a refused duplicate in a group commit leaves the other entries of the group written', async () => {
    const l = await thingLedger(new MemoryLevel(), true);
    for (let i = 0; i < 5; i++) await l.append(thing(`C-${i}`), officer);
    await settle();
    const size = l.size;
    const got = await Promise.all(
      ['C-5', 'C-2', 'C-6', 'C-6', 'C-7'].map((id) => outcome(l.append(thing(id), officer))),
    );
    expect(
      got.map((g) =>
        'ok' in (g as object) ? 'ok' : (g as { issues: Array<{ code: string }> }).issues[0]!.code,
      ),
    ).toEqual(['ok', 'duplicate_id', 'ok', 'duplicate_id', 'ok']);
    expect(l.size).toBe(size + 3);
    const ids = [];
    for await (const e of l.entries({ from: size })) ids.push((e.body as { id: string }).id);
    expect(ids).toEqual(['C-5', 'C-6', 'C-7']);
    await l.close();
  });

  it('an id another handle wrote (caught up with) is in the filter: refused, not let through', async () => {
    // Two Ledger objects on one LevelDB-in-memory store presented as shared (as PostgreSQL is): each catches up with
    // the other's entries under the store's lock before it builds a group commit. The PostgreSQL case is in
    // test/storage/postgres-ledger.test.ts.
    const mem = new MemoryLevel<Uint8Array, Uint8Array>();
    const store = await LevelStore.open(mem, { createIfMissing: true });
    const shared = asSharedStore(store);
    const a = await thingLedger(shared, true);
    const b = await Ledger.open(shared, { kinds: [thingKind(true)], clock: stepClock(Date.UTC(2026, 2, 3)) });
    await a.append(thing('D-0'), officer);
    await b.append(thing('D-1'), officer);
    await settle(); // both filters made
    await a.append(thing('D-2'), officer); // a catches up with D-1 first
    await b.append(thing('D-3'), officer); // b catches up with D-2
    for (const [l, id] of [
      [a, 'D-1'],
      [a, 'D-3'],
      [b, 'D-0'],
      [b, 'D-2'],
    ] as const) {
      const r = (await outcome(l.append(thing(id), officer))) as { issues?: Array<{ code: string }> };
      expect(r.issues?.map((i) => i.code)).toEqual(['duplicate_id']);
    }
    expect((await a.verify()).ok).toBe(true);
    await a.close();
    await b.close();
    await store.close();
  });
});
