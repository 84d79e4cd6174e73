import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { createSigner } from '../../src/crypto/signer';
import type { Signer } from '../../src/crypto/types';
import { Ledger, type Location } from '../../src/ledger/ledger';
import type { LedgerStore } from '../../src/ledger/store';
import type { KindDefinition } from '../../src/ledger/types';

/** Deterministic test key number `i`. */
export function testSigner(i: number): Signer {
  const seed = createHash('sha256').update(`enforcement-ledger test key ${i}`).digest();
  return createSigner(new Uint8Array(seed));
}

/** A fixed clock: starts at 2026-03-02T01:00:00Z and advances 1 s per call. */
export function stepClock(start = Date.UTC(2026, 2, 2, 1, 0, 0), step = 1000): () => number {
  let t = start - step;
  return () => {
    t += step;
    return t;
  };
}

/**
 * `store` presented as a several-writer store (as PostgreSQL is): a ledger on it catches up with other handles'
 * entries under the store's lock before each group commit, and does not pipeline its group commits.
 */
export function asSharedStore(store: LedgerStore): LedgerStore {
  return new Proxy(store, {
    get: (t, p) => {
      if (p === 'writers') return 'multi';
      const v = Reflect.get(t, p);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

export function tempDir(prefix = 'el-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A generic test kind: a note with a topic, indexed by topic; officers sign it. */
export const noteKind: KindDefinition = {
  kind: 'test/note',
  roles: ['officer'],
  validate(body) {
    const b = body as Record<string, unknown>;
    const issues = [];
    if (typeof b !== 'object' || b === null)
      return [{ code: 'invalid_type', path: [], message: 'body must be a map' }];
    if (typeof b.topic !== 'string' || b.topic.length === 0)
      issues.push({ code: 'required', path: ['topic'], message: 'topic is required' });
    if (typeof b.text !== 'string')
      issues.push({ code: 'invalid_type', path: ['text'], message: 'text must be text' });
    return issues;
  },
  indexes(entry) {
    return [{ index: 'test/topic', key: String((entry.body as { topic: string }).topic) }];
  },
};

export function noteBody(i: number, topic = `t${i % 7}`): { topic: string; text: string; n: number } {
  return { topic, text: `note ${i} ${'x'.repeat(200)} 执法记录`, n: i };
}

/**
 * A ledger of notes: `root` is its admin, `officer` is registered as `officer-1` with the officer role; the clock
 * steps 1 s per call. The common start of the ledger tests.
 */
export async function noteLedger(
  db: Location,
  origin: string,
  root: Signer,
  officer: Signer,
): Promise<Ledger> {
  const ledger = await Ledger.create(db, { origin, signer: root, kinds: [noteKind], clock: stepClock() });
  await ledger.registerKey(
    { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
    root,
  );
  return ledger;
}

/** The index of `thingKind`'s ids. */
export const THING_INDEX = 'test/thing-id';

/**
 * A kind whose entries define an id unique among things: its check looks the id up and refuses one already there
 * (`duplicate_id` at ['body', 'id']). `filtered`: the lookup goes through the ledger's key filter of the index.
 */
export function thingKind(filtered: boolean): KindDefinition {
  return {
    kind: 'test/thing',
    roles: ['officer'],
    indexes: (e) => [{ index: THING_INDEX, key: (e.body as { id: string }).id }],
    check: async (e, ctx) => {
      const id = (e.body as { id: string }).id;
      const [seq] = await ctx.lookup(THING_INDEX, id);
      return seq === undefined
        ? []
        : [
            {
              code: 'duplicate_id',
              path: ['body', 'id'],
              message: `thing ${id} already exists (seq ${seq})`,
            },
          ];
    },
    ...(filtered ? { filteredIndexes: [THING_INDEX] } : {}),
  };
}

/** A key and its value, as a store holds them. */
export type KV = [Uint8Array, Uint8Array];

/** A new, open memory-level database holding exactly `pairs` (a store's rows, as a test changed them). */
export async function memoryStoreOf(pairs: readonly KV[]): Promise<MemoryLevel<Uint8Array, Uint8Array>> {
  const bin = { keyEncoding: 'view', valueEncoding: 'view' } as const;
  const db = new MemoryLevel<Uint8Array, Uint8Array>(bin);
  await db.open();
  await db.batch(
    pairs.map(([key, value]) => ({ type: 'put' as const, key, value })),
    bin,
  );
  return db;
}
