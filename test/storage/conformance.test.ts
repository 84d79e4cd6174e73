/**
 * The LedgerStore contract (src/ledger/store.ts), one suite run against every implementation — LevelDB on disk,
 * LevelDB in memory (memory-level) and PostgreSQL (a real server: test/setup/pg-database.ts) — as Level's
 * abstract-level test suite does for its backends. Byte order, ranges, limits, pagination, atomic group commits with
 * the head, failures that write nothing, snapshots.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors';
import { LevelStore, mapLevelError } from '../../src/ledger/level-store';
import { PostgresStore } from '../../src/ledger/pg-store';
import { type KeyRange, type LedgerStore, STATE_PREFIX } from '../../src/ledger/store';
import { freshDatabase } from '../setup/pg-database';

interface Impl {
  readonly name: string;
  open(): Promise<LedgerStore>;
  /** A second, independent handle on the same storage (another pool on PostgreSQL; the same database on LevelDB). */
  twin(s: LedgerStore): Promise<LedgerStore>;
}

const urls = new WeakMap<LedgerStore, string>();

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const IMPLS: Impl[] = [
  {
    name: 'LevelDB (classic-level)',
    open: () => {
      const d = mkdtempSync(join(tmpdir(), 'el-conf-'));
      dirs.push(d);
      return LevelStore.open(join(d, 'db'), { createIfMissing: true });
    },
    // One process holds a LevelDB folder: a second handle shares its database.
    twin: async (s) => new LevelStore((s as LevelStore).db),
  },
  {
    name: 'LevelDB (memory-level)',
    open: async () => {
      const db = new MemoryLevel<Uint8Array, Uint8Array>();
      await db.open();
      return new LevelStore(db, true);
    },
    twin: async (s) => new LevelStore((s as LevelStore).db),
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const url = await freshDatabase();
      const s = await PostgresStore.open(url, { createIfMissing: true });
      urls.set(s, url);
      return s;
    },
    twin: (s) => PostgresStore.open(urls.get(s)!),
  },
];

const b = (...xs: number[]) => Uint8Array.from(xs);

function cmp(a: Uint8Array, c: Uint8Array): number {
  const n = Math.min(a.length, c.length);
  for (let i = 0; i < n; i++) if (a[i] !== c[i]) return a[i]! - c[i]!;
  return a.length - c.length;
}

/** The model: the keys in the range, in order, limited. */
function model(keys: Uint8Array[], r: KeyRange): Uint8Array[] {
  let out = [...keys]
    .sort(cmp)
    .filter(
      (k) =>
        (r.gt === undefined || cmp(k, r.gt) > 0) &&
        (r.gte === undefined || cmp(k, r.gte) >= 0) &&
        (r.lt === undefined || cmp(k, r.lt) < 0) &&
        (r.lte === undefined || cmp(k, r.lte) <= 0),
    );
  if (r.reverse) out = out.reverse();
  return r.limit === undefined ? out : out.slice(0, r.limit);
}

/** Ranges over keys drawn from `key`: any bounds (one lower and one upper at most, the KeyRange contract), order, limit. */
function rangeArb(key: fc.Arbitrary<Uint8Array>, maxLimit: number): fc.Arbitrary<KeyRange> {
  return fc
    .record(
      {
        gt: key,
        gte: key,
        lt: key,
        lte: key,
        reverse: fc.boolean(),
        limit: fc.integer({ min: 0, max: maxLimit }),
      },
      { requiredKeys: [] },
    )
    .map((q) => {
      const r: { -readonly [K in keyof KeyRange]: KeyRange[K] } = { ...q };
      if (q.gt !== undefined) delete r.gte;
      if (q.lt !== undefined) delete r.lte;
      return r;
    });
}

async function put(store: LedgerStore, pairs: Array<[Uint8Array, Uint8Array]>, head: number) {
  await store.append(async () => ({ puts: pairs.map(([key, value]) => ({ key, value })), head }));
}

describe.each(IMPLS)('LedgerStore conformance: $name', (impl) => {
  it('starts empty: head 0, nothing to get, nothing to list', async () => {
    const s = await impl.open();
    try {
      expect(await s.head()).toBe(0);
      expect(await s.get(b(1))).toBeUndefined();
      expect(await s.getMany([b(1), b(2)])).toEqual([undefined, undefined]);
      expect(await s.getMany([])).toEqual([]);
      expect(await s.all({})).toEqual([]);
      expect(await s.allKeys({ reverse: true })).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a group commit writes its puts and head at once; reads give plain Uint8Arrays, empty values too', async () => {
    const s = await impl.open();
    try {
      const seen: number[] = [];
      await s.append(async (head) => {
        seen.push(head);
        return {
          puts: [
            { key: b(0x65, 0, 0, 0, 0, 0, 0, 0, 0), value: b(1, 2, 3) },
            { key: b(0x78, 0x61, 0), value: new Uint8Array(0) },
          ],
          head: 1,
        };
      });
      expect(seen).toEqual([0]);
      expect(await s.head()).toBe(1);
      const v = await s.get(b(0x65, 0, 0, 0, 0, 0, 0, 0, 0));
      expect(v).toEqual(b(1, 2, 3));
      expect(v!.constructor).toBe(Uint8Array);
      const [x, missing] = await s.getMany([b(0x78, 0x61, 0), b(0x78)]);
      expect(x).toEqual(new Uint8Array(0));
      expect(x!.constructor).toBe(Uint8Array);
      expect(missing).toBeUndefined();
      const [first] = await s.all({ limit: 1 });
      expect(first![0].constructor).toBe(Uint8Array);
      // The next commit is built on the new head.
      await s.append(async (head) => {
        seen.push(head);
        return { puts: [{ key: b(0x65, 0, 0, 0, 0, 0, 0, 0, 1), value: b(4) }], head: 2 };
      });
      expect(seen).toEqual([0, 1]);
      expect(await s.head()).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('a build that throws, or gives nothing, writes nothing; its error passes through unchanged', async () => {
    const s = await impl.open();
    try {
      await put(s, [[b(1), b(1)]], 1);
      const boom = new Error('refused while building');
      await expect(
        s.append(async () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      await s.append(async () => undefined);
      expect(await s.head()).toBe(1);
      expect(await s.allKeys({})).toEqual([b(1)]);
      // The store is still usable after a failed build.
      await put(s, [[b(2), b(2)]], 2);
      expect(await s.head()).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('concurrent appends of one process are serialised: each build sees the head the previous one wrote', async () => {
    const s = await impl.open();
    try {
      const heads: number[] = [];
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          s.append(async (head) => {
            heads.push(head);
            await new Promise((r) => setTimeout(r, 5));
            return { puts: [{ key: b(0x65, i), value: b(i) }], head: head + 1 };
          }),
        ),
      );
      expect(heads).toEqual([0, 1, 2, 3, 4]);
      expect(await s.head()).toBe(5);
    } finally {
      await s.close();
    }
  });

  it('orders keys bytewise (0x00 and 0xff bytes, prefixes first) across pages, both ways, with limits', async () => {
    const s = await impl.open();
    try {
      // 2,500 keys: more than one page of PostgreSQL's keyset pagination (1,000).
      const keys: Uint8Array[] = [];
      for (let i = 0; i < 2500; i++) keys.push(b(0x6e, i % 256, i >> 8));
      keys.push(b(0x6e), b(0x6e, 0), b(0x6e, 0xff, 0xff, 0xff), b(0x00), b(0xff), b(0x6e, 0x80));
      await put(
        s,
        keys.map((k, i) => [k, b(i & 255)]),
        0,
      );
      const sorted = [...keys].sort(cmp);
      expect(await s.allKeys({})).toEqual(sorted);
      expect(await s.allKeys({ reverse: true })).toEqual([...sorted].reverse());
      const ranges: KeyRange[] = [
        { gte: b(0x6e), lt: b(0x6f) },
        { gt: b(0x6e), lte: b(0x6e, 0xff, 0xff, 0xff) },
        { gt: b(0x6e, 0), lt: b(0x6e, 1), reverse: true },
        { gte: b(0x6e, 3), limit: 1001 },
        { lt: b(0x6e, 9), reverse: true, limit: 1500 },
        { gte: b(0x6e, 5), lt: b(0x6e, 5) },
      ];
      for (const r of ranges) {
        expect(await s.allKeys(r)).toEqual(model(keys, r));
        const streamed: Uint8Array[] = [];
        for await (const [k, v] of s.iterate(r)) {
          streamed.push(k);
          expect(v).toEqual(b(keys.findIndex((x) => cmp(x, k) === 0) & 255));
          if (streamed.length > 40) break; // leaving early releases the cursor
        }
        expect(streamed).toEqual(model(keys, r).slice(0, 41));
      }
    } finally {
      await s.close();
    }
  });

  it('answers any range over any key set as the model does (fast-check)', async () => {
    const s = await impl.open();
    try {
      const byte = fc.constantFrom(0, 1, 0x7f, 0x80, 0xfe, 0xff);
      const key = fc.array(byte, { minLength: 1, maxLength: 4 }).map((xs) => Uint8Array.from(xs));
      const keys = fc.sample(
        fc.uniqueArray(key, { minLength: 80, maxLength: 80, selector: (k) => k.join() }),
        {
          numRuns: 1,
          seed: 7,
        },
      )[0]!;
      await put(
        s,
        keys.map((k) => [k, k]),
        0,
      );
      await fc.assert(
        fc.asyncProperty(rangeArb(key, 90), async (r) => {
          expect(await s.allKeys(r)).toEqual(model(keys, r));
          const pairs = await s.all(r);
          expect(pairs.map(([k]) => k)).toEqual(model(keys, r));
          for (const [k, v] of pairs) expect(v).toEqual(k);
        }),
        { numRuns: 60, seed: 11 },
      );
    } finally {
      await s.close();
    }
  });

  it('a snapshot reads what was committed before it; a multi-writer snapshot ignores later commits', async () => {
    const s = await impl.open();
    try {
      await put(s, [[b(1), b(1)]], 1);
      const view = await s.snapshot();
      try {
        await put(s, [[b(2), b(2)]], 2);
        const keys = await view.allKeys({});
        if (s.writers === 'multi') expect(keys).toEqual([b(1)]);
        else expect(keys[0]).toEqual(b(1));
        expect(await view.get(b(1))).toEqual(b(1));
      } finally {
        await view.release();
      }
      expect(await s.allKeys({})).toEqual([b(1), b(2)]);
    } finally {
      await s.close();
    }
  });

  it('state rows: compare-and-set writes only over the expected bytes; list gives a prefix in key order', async () => {
    const s = await impl.open();
    try {
      const k = b(0x77, 1);
      expect(await s.state.get(k)).toBeUndefined();
      expect(await s.state.compareAndSet(k, b(9), b(1))).toBe(false); // absent, not b(9)
      expect(await s.state.get(k)).toBeUndefined();
      expect(await s.state.compareAndSet(k, undefined, b(1))).toBe(true);
      expect(await s.state.compareAndSet(k, undefined, b(2))).toBe(false); // present now
      expect(await s.state.compareAndSet(k, b(1, 0), b(2))).toBe(false); // a longer value is not equal
      expect(await s.state.compareAndSet(k, b(), b(2))).toBe(false);
      expect(await s.state.get(k)).toEqual(b(1));
      expect(await s.state.compareAndSet(k, b(1), new Uint8Array(0))).toBe(true);
      const empty = await s.state.get(k);
      expect(empty).toEqual(new Uint8Array(0));
      expect(empty!.constructor).toBe(Uint8Array);
      expect(await s.state.compareAndSet(k, b(), b(3))).toBe(true);
      for (const key of [b(0x77), b(0x77, 0), b(0x77, 0xff, 0xff), b(0x78), b(0x76, 0xff), b(0xff, 0xff)])
        expect(await s.state.compareAndSet(key, undefined, key)).toBe(true);
      expect((await s.state.list(b(0x77))).map(([key]) => key)).toEqual([
        b(0x77),
        b(0x77, 0),
        b(0x77, 1),
        b(0x77, 0xff, 0xff),
      ]);
      expect(await s.state.list(b(0x77, 1))).toEqual([[b(0x77, 1), b(3)]]);
      expect((await s.state.list(b(0xff))).map(([key]) => key)).toEqual([b(0xff, 0xff)]);
      expect((await s.state.list(b())).length).toBe(7);
    } finally {
      await s.close();
    }
  });

  it('state rows and the log never meet: neither reads the other, and the log refuses a key in the state prefix', async () => {
    const s = await impl.open();
    try {
      await put(s, [[b(0x65, 1), b(1)]], 1);
      for (const key of [b(0x65, 1), b(0x73), b(0x73, 0x65, 1), b(0x00)])
        expect(await s.state.compareAndSet(key, undefined, b(7))).toBe(true);
      // The log sees only its own key, whatever the range (LevelDB keeps state rows under 0x73 in the same database).
      expect(await s.allKeys({})).toEqual([b(0x65, 1)]);
      expect(await s.allKeys({ reverse: true })).toEqual([b(0x65, 1)]);
      expect(await s.allKeys({ gte: b(0x73), lt: b(0x74) })).toEqual([]);
      expect(await s.get(b(STATE_PREFIX, 0x73))).toBeUndefined();
      expect(await s.getMany([b(STATE_PREFIX, 0x65, 1), b(0x65, 1)])).toEqual([undefined, b(1)]);
      expect(await s.get(b(0x65, 1))).toEqual(b(1));
      expect(await s.state.get(b(0x65, 1))).toEqual(b(7));
      await expect(
        put(
          s,
          [
            [b(0x74), b(1)],
            [b(STATE_PREFIX, 1), b(1)],
          ],
          2,
        ),
      ).rejects.toThrow(RangeError);
      expect(await s.head()).toBe(1);
      expect(await s.allKeys({})).toEqual([b(0x65, 1)]);
      expect(await s.state.get(b(1))).toBeUndefined();
    } finally {
      await s.close();
    }
  });

  it('log ranges around the state prefix answer as the model does (fast-check)', async () => {
    const s = await impl.open();
    try {
      // Log keys on both sides of the state prefix, state rows inside it.
      const byte = fc.constantFrom(0, 0x72, 0x73, 0x74, 0xff);
      const key = fc.array(byte, { minLength: 1, maxLength: 3 }).map((xs) => Uint8Array.from(xs));
      const logKeys = [b(0x72), b(0x72, 0xff), b(0x74), b(0x74, 0), b(0x00), b(0xff, 0x73)];
      await put(
        s,
        logKeys.map((k) => [k, k]),
        0,
      );
      for (const k of [b(), b(0), b(0xff), b(0x73)]) await s.state.compareAndSet(k, undefined, k);
      await fc.assert(
        fc.asyncProperty(rangeArb(key, 8), async (r) => {
          expect(await s.allKeys(r)).toEqual(model(logKeys, r));
          expect((await s.all(r)).map(([k]) => k)).toEqual(model(logKeys, r));
          const streamed: Uint8Array[] = [];
          for await (const k of s.keys(r)) streamed.push(k);
          expect(streamed).toEqual(model(logKeys, r));
        }),
        { numRuns: 60, seed: 5 },
      );
    } finally {
      await s.close();
    }
  });

  it('state rows follow a model map under any sequence of compare-and-sets (fast-check)', async () => {
    const s = await impl.open();
    try {
      const model = new Map<string, Uint8Array>();
      const key = fc.constantFrom(b(1), b(1, 0), b(2), b(0xff));
      const value = fc.constantFrom(b(), b(0), b(1), b(1, 2));
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({ key, expected: fc.option(value, { nil: undefined }), value, useModel: fc.boolean() }),
            {
              maxLength: 12,
            },
          ),
          async (ops) => {
            for (const op of ops) {
              const have = model.get(op.key.join());
              // Half the time pass what is stored (the write must happen), else an arbitrary expectation.
              const expected = op.useModel ? have : op.expected;
              const same =
                have === undefined
                  ? expected === undefined
                  : expected !== undefined && cmp(have, expected) === 0 && have.length === expected.length;
              expect(await s.state.compareAndSet(op.key, expected, op.value)).toBe(same);
              if (same) model.set(op.key.join(), op.value);
              expect(await s.state.get(op.key)).toEqual(model.get(op.key.join()));
            }
            const listed = await s.state.list(b());
            const want = [...model].map(([k, v]) => [Uint8Array.from(k.split(',').map(Number)), v] as const);
            want.sort(([x], [y]) => cmp(x, y));
            expect(listed).toEqual(want);
          },
        ),
        { numRuns: 25, seed: 3 },
      );
    } finally {
      await s.close();
    }
  });

  it('two handles racing compare-and-sets on one row: every increment lands exactly once', async () => {
    const s = await impl.open();
    const t = await impl.twin(s);
    try {
      const k = b(0x63);
      const won: number[] = [];
      let lost = 0;
      const increment = async (h: LedgerStore) => {
        for (;;) {
          const v = await h.state.get(k);
          const n = v === undefined ? 0 : v[0]!;
          if (await h.state.compareAndSet(k, v, b(n + 1))) {
            won.push(n + 1);
            return;
          }
          lost++;
        }
      };
      await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? s : t)));
      expect(await s.state.get(k)).toEqual(b(40));
      expect(await t.state.get(k)).toEqual(b(40));
      // Each value was written by exactly one winner: no update was lost to an unseen overwrite.
      expect([...won].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      // Forty readers start together: most of their first attempts find the row changed and retry.
      expect(lost).toBeGreaterThan(0);
    } finally {
      await t.close();
      await s.close();
    }
  });

  it('after close, reads and appends fail with STORAGE_CLOSED', async () => {
    const s = await impl.open();
    await s.close();
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'resolved';
      } catch (err) {
        return mapLevelError(err, 'store').code;
      }
    };
    expect(await code(s.get(b(1)))).toBe('STORAGE_CLOSED');
    expect(await code(s.state.get(b(1)))).toBe('STORAGE_CLOSED');
    expect(await code(s.state.compareAndSet(b(1), undefined, b(1)))).toBe('STORAGE_CLOSED');
    expect(await code(s.append(async () => ({ puts: [{ key: b(1), value: b(1) }], head: 1 })))).toBe(
      'STORAGE_CLOSED',
    );
    expect(new StorageError('STORAGE_CLOSED', 'x').code).toBe('STORAGE_CLOSED');
  });
});
