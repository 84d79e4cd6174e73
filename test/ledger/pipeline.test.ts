/**
 * Pipelined group commits (issue 17): while one group commit is checked and synced, the next is built and signed on
 * top of it. What must hold: an entry is acknowledged only once its batch is written; seqs follow call order; a
 * refused entry (bad signature from a faulty Signer, a check that fails) refuses only itself; a failed write fails
 * exactly the entries of its batch, and whatever was staged on it is built again on what was written — including
 * entries whose check read the lost batch. The store is a memory-level database whose batch writes the test holds
 * or fails.
 */
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/types';
import { Ledger } from '../../src/ledger';
import type { KindDefinition } from '../../src/ledger/types';
import { noteKind, stepClock, testSigner } from './helpers';

const root = testSigner(0);
const officer = testSigner(1);

/** A note whose topic may be used once: its check reads the index (so it depends on the entries below it). */
const uniqueKind: KindDefinition = {
  kind: 'test/unique',
  roles: ['officer'],
  validate: noteKind.validate,
  indexes: (e) => [{ index: 'test/unique', key: (e.body as { topic: string }).topic }],
  async check(entry, ctx) {
    const topic = (entry.body as { topic: string }).topic;
    const seqs = await ctx.lookup('test/unique', topic);
    return seqs.length
      ? [
          {
            code: 'duplicate_topic',
            path: ['body', 'topic'],
            message: `topic ${topic} is taken at ${seqs[0]}`,
          },
        ]
      : [];
  },
};

const note = (n: number, topic = `t${n}`, bad = false) => ({
  kind: 'test/unique',
  body: { topic, text: bad ? 'SIGN-WRONG' : `note ${n}`, n },
});

/** Signs with the officer's key, except entries whose text says SIGN-WRONG (64 zero bytes); counts its calls. */
function officerSigner(onSign: () => void = () => {}): Signer {
  return {
    ...officer,
    sign: (m) => {
      onSign();
      return Buffer.from(m).includes('SIGN-WRONG') ? Promise.resolve(new Uint8Array(64)) : officer.sign(m);
    },
  };
}

interface Gate {
  /** Batch writes so far (the ledger's creation included). */
  writes: number;
  /** Runs before write number `n` lands; a rejection fails that write (nothing of it is stored). */
  before: (n: number) => Promise<void>;
}

/** A memory-level database whose batch writes pass through `gate.before`. */
function gatedDb(): { db: MemoryLevel<Uint8Array, Uint8Array>; gate: Gate } {
  const db = new MemoryLevel<Uint8Array, Uint8Array>();
  const gate: Gate = { writes: 0, before: async () => {} };
  const batch = db.batch.bind(db) as (ops: unknown, opts: unknown) => Promise<void>;
  (db as unknown as { batch: (ops: unknown, opts: unknown) => Promise<void> }).batch = async (ops, opts) => {
    await gate.before(++gate.writes);
    return batch(ops, opts);
  };
  return { db, gate };
}

async function newLedger(db: MemoryLevel<Uint8Array, Uint8Array>): Promise<Ledger> {
  const ledger = await Ledger.create(db, {
    origin: 'test.example/pipeline',
    signer: root,
    kinds: [uniqueKind],
    clock: stepClock(),
  });
  await ledger.registerKey(
    { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
    root,
  );
  return ledger;
}

async function bodies(ledger: Ledger, from: number): Promise<number[]> {
  const out: number[] = [];
  for await (const e of ledger.entries({ from })) out.push((e.body as { n: number }).n);
  return out;
}

/** The officer's signer, counting its calls; `reached` resolves at the `n`th call, or after 5 s (then the test fails). */
function counting(n: number): { signer: Signer; reached: Promise<void>; calls: () => number } {
  let calls = 0;
  let hit!: () => void;
  const reached = new Promise<void>((r) => {
    hit = r;
    setTimeout(r, 5000).unref();
  });
  const signer = officerSigner(() => {
    if (++calls === n) hit();
  });
  return { signer, reached, calls: () => calls };
}

/** Holds write number `n` until `release` is called; `started` resolves when it is reached. */
function hold(gate: Gate, n: number, outcome: 'land' | 'fail' = 'land') {
  let release!: () => void;
  let started!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  const reached = new Promise<void>((r) => {
    started = r;
  });
  gate.before = async (w) => {
    if (w !== n) return;
    started();
    await held;
    if (outcome === 'fail') throw new Error('disk full (test)');
  };
  return { release, started: reached };
}

describe('pipelined group commits', () => {
  it('the next group commit is built and signed while the one below is being written', async () => {
    const { db, gate } = gatedDb();
    const ledger = await newLedger(db);
    const size = ledger.size;
    const h = hold(gate, gate.writes + 1);
    const { signer: counted, reached, calls } = counting(11);
    let firstDone = false;
    const first = ledger.append(note(0), counted).then((r) => {
      firstDone = true;
      return r;
    });
    await h.started;
    const rest = Array.from({ length: 10 }, (_, i) => ledger.append(note(i + 1), counted));
    await reached;
    // All eleven signatures were asked for while the first batch was still being written.
    expect(calls()).toBe(11);
    expect(firstDone).toBe(false);
    expect(ledger.size).toBe(size);
    h.release();
    expect((await first).seq).toBe(size);
    expect((await Promise.all(rest)).map((r) => r.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => size + 1 + i),
    );
    expect(await bodies(ledger, size)).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect((await ledger.verify()).problems).toEqual([]);
  });

  it('a failed write fails exactly its batch; the batch staged on it is built again and its checks read the log as written', async () => {
    const { db, gate } = gatedDb();
    const ledger = await newLedger(db);
    const size = ledger.size;
    const h = hold(gate, gate.writes + 1, 'fail');
    // Three signatures: n=0, n=2, n=3 (n=1 is refused by its check before it is signed).
    const { signer: counted, reached, calls } = counting(3);
    const lost = ledger.append(note(0, 'shared'), counted);
    await h.started;
    // Staged on the batch that will fail: topic `shared` is taken there, so its check refuses n=1 — for now.
    const later = [note(1, 'shared'), note(2), note(3)].map((i) => ledger.append(i, counted));
    await reached;
    expect(calls()).toBe(3);
    h.release();
    const err = await lost.catch((e) => e);
    expect(err).toMatchObject({ code: 'STORAGE_IO' });
    expect(err.message).toMatch(/disk full/);
    // The lost batch left nothing; the next was built again on the written log, where `shared` is free.
    const seqs = (await Promise.all(later)).map((r) => r.seq);
    expect(seqs).toEqual([size, size + 1, size + 2]);
    expect(await bodies(ledger, size)).toEqual([1, 2, 3]);
    expect(ledger.size).toBe(size + 3);
    // The ledger goes on, and `shared` is now taken by n=1.
    const dup = await ledger.append(note(4, 'shared'), officer).catch((e) => e);
    expect(dup.issues?.[0]).toMatchObject({ code: 'duplicate_topic' });
    expect((await ledger.append(note(5), officer)).seq).toBe(size + 3);
    await ledger.checkpoint();
    expect((await ledger.verify()).problems).toEqual([]);
  });

  it('a refused signature in the batch below refuses only that entry; the batch staged on it lands, rebuilt', async () => {
    const { db, gate } = gatedDb();
    const ledger = await newLedger(db);
    const size = ledger.size;
    // Batch 1: n=0 alone (written, held). Batch 2, staged on it: n=1 (bad signature), n=2 (topic x), n=3.
    // Batch 3, staged on batch 2 while batch 1 is held: n=4 (topic x: a duplicate only if n=2 lands), n=5.
    const h = hold(gate, gate.writes + 1);
    const s = officerSigner();
    const first = ledger.append(note(0), s);
    await h.started;
    const second = [note(1, 't1', true), note(2, 'x'), note(3)].map((i) => ledger.append(i, s));
    const third = [note(4, 'x'), note(5)].map((i) => ledger.append(i, s));
    h.release();
    const all = await Promise.allSettled([first, ...second, ...third]);
    expect(all.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((all[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
    expect((all[4] as PromiseRejectedResult).reason.issues[0]).toMatchObject({ code: 'duplicate_topic' });
    const seqs = all.flatMap((r) => (r.status === 'fulfilled' ? [r.value.seq] : []));
    expect(seqs).toEqual([size, size + 1, size + 2, size + 3]);
    expect(await bodies(ledger, size)).toEqual([0, 2, 3, 5]);
    expect((await ledger.verify()).problems).toEqual([]);
  });

  it('any interleaving of appends, bad signatures, duplicate checks and failed writes keeps the model', async () => {
    const op = fc.record({
      topic: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      bad: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
      /** Callers that go before this one is awaited (0: await it at once). */
      wave: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 24 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 12 }),
        async (ops, failing, delays) => {
          const { db, gate } = gatedDb();
          const ledger = await newLedger(db);
          const size = ledger.size;
          const first = gate.writes;
          gate.before = async (w) => {
            const i = w - first - 1;
            for (let k = 0; k < delays[i % delays.length]!; k++) await new Promise((r) => setImmediate(r));
            if (failing[i % failing.length] && i % 3 === 1) throw new Error('disk full (test)');
          };
          const signer = officerSigner();
          const calls: Array<Promise<{ seq: number }>> = [];
          let pending: Array<Promise<unknown>> = [];
          for (let i = 0; i < ops.length; i++) {
            const o = ops[i]!;
            calls.push(ledger.append(note(i, o.topic, o.bad), signer));
            pending.push(calls[i]!.catch(() => {}));
            if (pending.length > o.wave) {
              await Promise.all(pending);
              pending = [];
            }
          }
          const settled = await Promise.allSettled(calls);
          // The model: entries land in call order; a bad signature is refused; a topic is refused exactly when an
          // entry that landed before it holds it; a write error refuses nothing else.
          const taken = new Set<string>();
          const landed: number[] = [];
          let next = size;
          settled.forEach((r, i) => {
            const o = ops[i]!;
            if (r.status === 'fulfilled') {
              expect(o.bad).toBe(false);
              expect(taken.has(o.topic)).toBe(false);
              expect(r.value.seq).toBe(next++);
              taken.add(o.topic);
              landed.push(i);
              return;
            }
            const e = r.reason as { code?: string; issues?: Array<{ code: string }> };
            if (e.code === 'STORAGE_IO') return;
            // The check runs before the signature is asked for: a taken topic is refused as such, bad or not.
            if (e.issues) {
              expect(e.issues[0]?.code).toBe('duplicate_topic');
              expect(taken.has(o.topic)).toBe(true);
            } else {
              expect(o.bad).toBe(true);
              expect(e.code).toBe('CRYPTO_SIGNER_FAILED');
            }
          });
          expect(ledger.size).toBe(next);
          expect(await bodies(ledger, size)).toEqual(landed);
          gate.before = async () => {};
          expect((await ledger.verify()).problems).toEqual([]);
          await ledger.close();
        },
      ),
      { numRuns: 40 },
    );
  });
});
