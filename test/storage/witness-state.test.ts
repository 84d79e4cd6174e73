/**
 * The witness's state in a ledger store (StoreWitnessStore over LedgerStore.state): the same behaviour on LevelDB
 * (memory-level) and PostgreSQL, and on PostgreSQL two witnesses on two store handles (two connection pools, as two
 * processes would have) racing on one origin: one cosigns, the other is refused with 409, the state never goes back.
 */
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes';
import {
  Witness,
  type WitnessState,
  type WitnessStore,
  noteKey,
  verifyCheckpoint,
} from '../../src/checkpoint';
import { PolicyError, StorageError } from '../../src/errors';
import { LevelStore } from '../../src/ledger/level-store';
import { PostgresStore } from '../../src/ledger/pg-store';
import type { LedgerStore } from '../../src/ledger/store';
import { StoreWitnessStore } from '../../src/witness';
import { hex, makeSignedLog, signerFromSeed, suite } from '../checkpoint/helpers';
import { freshDatabase } from '../setup/pg-database';

const ORIGIN = 'ledger.example/raced';
const logSigner = signerFromSeed(hex('31'.repeat(32)));
const logKey = noteKey(ORIGIN, logSigner.publicKey);
const wSigner = signerFromSeed(hex('32'.repeat(32)));
const W = 'witness.example/w';
const wKey = noteKey(W, wSigner.publicKey, 0x04);

async function refusal(p: Promise<unknown>): Promise<PolicyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

/** Two handles on one storage: a memory-level database twice, or one PostgreSQL database through two pools. */
const IMPLS: Array<{ name: string; open(): Promise<[LedgerStore, LedgerStore]> }> = [
  {
    name: 'LevelDB (memory-level)',
    open: async () => {
      const db = new MemoryLevel<Uint8Array, Uint8Array>();
      await db.open();
      return [new LevelStore(db, true), new LevelStore(db)];
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const url = await freshDatabase();
      const a = await PostgresStore.open(url, { createIfMissing: true });
      return [a, await PostgresStore.open(url)];
    },
  },
];

/**
 * A gate shared by two stores: the first `get` through each waits until both have read, so both witnesses check
 * against the same state before either stores.
 */
function gate() {
  let waiting: Array<() => void> = [];
  let gets = 0;
  return (store: StoreWitnessStore): WitnessStore => ({
    get: async (o) => {
      const s = await store.get(o);
      if (++gets <= 2)
        await new Promise<void>((r) => {
          waiting.push(r);
          if (waiting.length === 2) {
            for (const go of waiting) go();
            waiting = [];
          }
        });
      return s;
    },
    set: (o, s) => store.set(o, s),
    compareAndSet: (o, e, n) => store.compareAndSet(o, e, n),
  });
}

describe.each(IMPLS)('witness state in a ledger store: $name', (impl) => {
  it('keeps each witness name and origin apart, round-trips the state, refuses to go backwards and reads corruption as such', async () => {
    const [a, b] = await impl.open();
    try {
      const one = new StoreWitnessStore(a, W);
      const other = new StoreWitnessStore(b, 'witness.example/other');
      const root = new Uint8Array(32).fill(7);
      expect(await one.get(ORIGIN)).toBeUndefined();
      await one.set(ORIGIN, { size: 5, rootHash: root, note: 'note 5\n' });
      await one.set('ledger.example/second', { size: 1, rootHash: root });
      expect(await new StoreWitnessStore(b, W).get(ORIGIN)).toEqual({
        size: 5,
        rootHash: root,
        note: 'note 5\n',
      });
      expect(await other.get(ORIGIN)).toBeUndefined();
      expect([...(await one.all()).keys()]).toEqual(['ledger.example/raced', 'ledger.example/second']);
      expect((await other.all()).size).toBe(0);
      const back = await refusal(one.set(ORIGIN, { size: 4, rootHash: root }));
      expect(back.code).toBe('WITNESS_OLD_SIZE_MISMATCH');
      expect(back.details).toMatchObject({ status: 409, size: 5 });
      expect((await one.get(ORIGIN))?.size).toBe(5);
      // compareAndSet against a state that is no longer stored writes nothing.
      const stale: WitnessState = { size: 5, rootHash: new Uint8Array(32) };
      expect(await one.compareAndSet(ORIGIN, stale, { size: 9, rootHash: root })).toBe(false);
      expect(await one.compareAndSet(ORIGIN, undefined, { size: 9, rootHash: root })).toBe(false);
      expect((await one.get(ORIGIN))?.size).toBe(5);
      // The row's bytes: 'w' ‖ name ‖ 0x00 ‖ origin → JSON (docs/FORMAT.md §State rows).
      const key = new Uint8Array([0x77, ...utf8(W), 0, ...utf8(ORIGIN)]);
      expect(new TextDecoder().decode(await a.state.get(key))).toBe(
        `{"size":5,"rootHash":"${Buffer.from(root).toString('base64')}","note":"note 5\\n"}`,
      );
      const raw = (await a.state.get(key))!;
      expect(await a.state.compareAndSet(key, raw, utf8('{"size":-1}'))).toBe(true);
      await expect(one.get(ORIGIN)).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
      await expect(one.get(ORIGIN)).rejects.toBeInstanceOf(StorageError);
      // Nothing of it is in the log's keyspace.
      expect(await a.allKeys({})).toEqual([]);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('two witnesses on two handles race on one origin: one cosigns, the other gets 409, the state never goes back', async () => {
    const [a, b] = await impl.open();
    try {
      const log = makeSignedLog(ORIGIN, logSigner, 'r');
      log.append(10);
      const stateA = new StoreWitnessStore(a, W);
      const stateB = new StoreWitnessStore(b, W);
      const both = gate();
      const wa = new Witness({ name: W, signer: wSigner, suite, store: both(stateA) });
      const wb = new Witness({ name: W, signer: wSigner, suite, store: both(stateB) });
      const n5 = await log.note(5);
      // The barriers' first gets: make both witnesses read the state (none) at once.
      const first = await Promise.allSettled([
        wa.addCheckpoint(
          { oldSize: 0, consistencyProof: [], checkpointNote: await log.note(10) },
          [logKey],
          1,
        ),
        wb.addCheckpoint({ oldSize: 0, consistencyProof: [], checkpointNote: n5 }, [logKey], 1),
      ]);
      const won = first.filter((r) => r.status === 'fulfilled');
      const lost = first.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const winner = first[0]!.status === 'fulfilled' ? 10 : 5;
      expect(lost[0]!.reason).toBeInstanceOf(PolicyError);
      expect(lost[0]!.reason).toMatchObject({
        code: 'WITNESS_OLD_SIZE_MISMATCH',
        details: { status: 409, size: winner },
      });
      expect((await stateB.get(ORIGIN))?.size).toBe(winner);
      // The cosignature given is over the checkpoint that is now the state.
      const note = winner === 10 ? await log.note(10) : n5;
      expect(
        verifyCheckpoint(note + (won[0] as PromiseFulfilledResult<string>).value, [logKey], suite, [wKey])
          .checkpoint.size,
      ).toBe(winner);

      // Then rounds of free racing from the stored size: the stored size only ever grows, and each round one wins.
      let known = winner;
      log.append(30);
      for (let round = 0; round < 6; round++) {
        const sizes = [known + 1 + round, known + 3 + round];
        const results = await Promise.allSettled(
          [wa, wb].map(async (w, i) =>
            w.addCheckpoint(
              {
                oldSize: known,
                consistencyProof: log.proof(known, sizes[i]!),
                checkpointNote: await log.note(sizes[i]!),
              },
              [logKey],
              2 + round,
            ),
          ),
        );
        const ok = results.flatMap((r, i) => (r.status === 'fulfilled' ? [sizes[i]!] : []));
        expect(ok.length).toBeGreaterThanOrEqual(1);
        for (const r of results)
          if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'WITNESS_OLD_SIZE_MISMATCH' });
        const now = (await stateA.get(ORIGIN))!.size;
        // Each winner found the old size still stored, so at most one per round; the state is the winner's.
        expect(ok).toEqual([now]);
        expect(now).toBeGreaterThan(known);
        known = now;
      }
    } finally {
      await b.close();
      await a.close();
    }
  });
});
