/**
 * Tamper campaign (docs/ARCHITECTURE.md invariant 2): bytes are changed directly in the store, bypassing the API, and `verify`
 * must report the first affected entry. 200 entries exhaustively (every stored key, flipped and deleted); 5,000
 * entries in a real LevelDB folder by random samples plus swaps, insertions, tail cuts, foreign signers and a log
 * rebuilt under another root key.
 */
import { cp, rm } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { nodeSuite } from '../../src/crypto/node';
import {
  P_ENTRY,
  P_INDEX,
  P_NODE,
  entryKey,
  nodeKey,
  parseIndexKey,
  readU64,
} from '../../src/ledger/keyspace';
import { hashLeaf } from '../../src/merkle/hash';
import { decodeSignedEntry, encodeEntry, encodeSignedEntry, signingMessage } from '../../src/ledger/format';
import { type KV, memoryStoreOf, noteBody, noteKind, stepClock, tempDir, testSigner } from './helpers';

const root = testSigner(0);
const officer = testSigner(1);
const attacker = testSigner(66);
const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/** A seeded PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first entry a stored key's damage affects. */
function affectedSeq(key: Uint8Array, size: number, deleted: boolean): number {
  if (key[0] === P_ENTRY) {
    const s = readU64(key, 1);
    return deleted && s === size - 1 ? s : s;
  }
  if (key[0] === P_NODE) return readU64(key, 2) * 2 ** key[1]!;
  if (key[0] === P_INDEX) return parseIndexKey(key)!.seq;
  throw new Error(`unexpected key ${key[0]}`);
}

async function buildLedger(db: MemoryLevel<Uint8Array, Uint8Array> | string, n: number) {
  const ledger = await Ledger.create(db, {
    origin: 'test.example/tamper',
    signer: root,
    kinds: [noteKind],
    clock: stepClock(),
  });
  await ledger.registerKey(
    { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
    root,
  );
  const target = n - 2;
  let i = 0;
  while (ledger.size < target) {
    const batch = [];
    for (let j = 0; j < 500 && ledger.size + batch.length < target; j++)
      batch.push({ kind: 'test/note', body: noteBody(i++) });
    await ledger.appendBatch(batch, officer);
    if (ledger.size > target / 2 && ledger.size - batch.length <= target / 2) await ledger.checkpoint();
  }
  const note = await ledger.checkpoint();
  await ledger.append({ kind: 'test/note', body: noteBody(i++) }, officer);
  return { ledger, note };
}

describe('tamper campaign: every stored key of a 200-entry ledger', () => {
  let pairs: KV[] = [];
  let size = 0;
  beforeAll(async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>(BIN);
    const { ledger } = await buildLedger(db, 200);
    size = ledger.size;
    expect((await ledger.verify()).problems).toEqual([]);
    pairs = (await db.iterator(BIN).all()) as KV[];
  });

  async function verifyMutated(mutate: (pairs: KV[]) => KV[]) {
    const db = await memoryStoreOf(mutate(pairs));
    return Ledger.verify(db, { kinds: [noteKind], workers: 0 });
  }

  it('holds entries, tree nodes and index rows (what the campaign covers)', () => {
    const prefixes = new Set(pairs.map(([k]) => k[0]));
    expect([...prefixes].sort()).toEqual([P_ENTRY, P_NODE, P_INDEX].sort());
    expect(size).toBeGreaterThanOrEqual(200);
  });

  it('flipping one random byte of any value is reported at the first affected seq', async () => {
    const rand = rng(1);
    const misses: string[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const [key, value] = pairs[i]!;
      const report = await verifyMutated((ps) =>
        ps.map(([k, v], j): KV => {
          if (j !== i) return [k, v];
          if (value.length === 0) return [k, Uint8Array.of(1)];
          const copy = Uint8Array.from(v); // not v.slice(): on a Buffer that is a view
          const at = Math.floor(rand() * copy.length);
          copy[at]! ^= 1 << Math.floor(rand() * 8);
          return [k, copy];
        }),
      );
      const want = affectedSeq(key, size, false);
      if (report.ok || report.problems[0]!.seq !== want)
        misses.push(
          `key ${Buffer.from(key).toString('hex')}: want seq ${want}, got ${JSON.stringify(report.problems.slice(0, 2))}`,
        );
    }
    expect(misses).toEqual([]);
  });

  it('deleting any key is reported at the first affected seq', async () => {
    const misses: string[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const [key] = pairs[i]!;
      const report = await verifyMutated((ps) => ps.filter((_, j) => j !== i));
      const want = affectedSeq(key, size, true);
      if (report.ok || report.problems[0]!.seq !== want)
        misses.push(
          `key ${Buffer.from(key).toString('hex')}: want seq ${want}, got ${JSON.stringify(report.problems.slice(0, 2))}`,
        );
    }
    expect(misses).toEqual([]);
  });
});

describe('tamper campaign: 5,000 entries in a LevelDB folder', () => {
  const { dir, cleanup } = tempDir('el-tamper-');
  /** The pristine ledger; each tampering is done to a fresh copy of its folder. */
  const path = `${dir}/ledger`;
  const work = `${dir}/tampered`;
  let outside = '';
  let size = 0;
  let snapshot: KV[] = [];

  beforeAll(async () => {
    const { ledger, note } = await buildLedger(path, 5000);
    outside = note;
    size = ledger.size;
    await ledger.close();
    const db = new ClassicLevel<Uint8Array, Uint8Array>(path, BIN);
    snapshot = (await db.iterator(BIN).all()) as KV[];
    await db.close();
  });
  afterAll(cleanup);

  /**
   * Applies `mutate` through LevelDB directly to a copy of the pristine folder and verifies it against the checkpoint
   * held outside; with `inside`, also without it (what the ledger alone shows).
   */
  async function tampered(
    mutate: (db: ClassicLevel<Uint8Array, Uint8Array>) => Promise<void>,
    opts: { inside?: boolean } = {},
  ) {
    await rm(work, { recursive: true, force: true });
    await cp(path, work, { recursive: true });
    const db = new ClassicLevel<Uint8Array, Uint8Array>(work, BIN);
    await mutate(db);
    await db.close();
    const report = await Ledger.verify(work, { kinds: [noteKind], checkpoints: [outside] });
    const inside = opts.inside ? await Ledger.verify(work, { kinds: [noteKind] }) : undefined;
    return { report, inside };
  }

  it('starts clean, with the outside checkpoint', async () => {
    const report = await Ledger.verify(path, {
      kinds: [noteKind],
      checkpoints: [outside],
      trustedRootKeys: [root.publicKey],
    });
    expect(report.problems).toEqual([]);
    expect(report.size).toBe(size);
  });

  it('(a, b) random byte flips and deletions are located', async () => {
    const rand = rng(2);
    for (let t = 0; t < 12; t++) {
      const [key, value] = snapshot[Math.floor(rand() * snapshot.length)]!;
      const del = t % 2 === 1;
      const { report } = await tampered(async (db) => {
        if (del) await db.del(key);
        else {
          const v = value.length ? Uint8Array.from(value) : Uint8Array.of(0);
          v[Math.floor(rand() * v.length)]! ^= 0x10;
          await db.put(key, v);
        }
      });
      expect(report.ok).toBe(false);
      expect(report.problems[0]!.seq).toBe(affectedSeq(key, size, del));
    }
  });

  it('(a2) bad signatures found by the worker pool are reported at their own seqs (leaves rewritten to match)', async () => {
    // The stored leaf is rewritten to the damaged entry's hash, so the entry reaches the pooled signature check
    // (batches of 256 by the one officer key) instead of the damaged-leaf path: a verdict mapped to the wrong seq of
    // its batch, or lost, fails here.
    const rand = rng(7);
    const seqs = new Set<number>();
    while (seqs.size < 5) seqs.add(300 + Math.floor(rand() * (size - 400)));
    const { report } = await tampered(async (db) => {
      for (const seq of seqs) {
        const v = Uint8Array.from((await db.get(entryKey(seq)))!);
        v[v.length - 1 - Math.floor(rand() * 64)]! ^= 1 << Math.floor(rand() * 8);
        await db.put(entryKey(seq), v);
        await db.put(nodeKey(0, seq), hashLeaf(nodeSuite.hash, v));
      }
    });
    const bad = report.problems.filter((p) => p.code === 'BAD_SIGNATURE').map((p) => p.seq);
    expect(bad.sort((x, y) => x - y)).toEqual([...seqs].sort((x, y) => x - y));
    expect(report.checks.find((c) => c.name === 'signatures')?.status).toBe('failed');
  });

  it('(c) swapping two entries is located at the first', async () => {
    const { report } = await tampered(async (db) => {
      const a = (await db.get(entryKey(1200)))!;
      const b = (await db.get(entryKey(3400)))!;
      await db.batch([
        { type: 'put', key: entryKey(1200), value: b },
        { type: 'put', key: entryKey(3400), value: a },
      ]);
    });
    expect(report.problems[0]).toMatchObject({ seq: 1200 });
    expect(report.problems.map((p) => p.code)).toContain('SEQ_MISMATCH');
  });

  it('(d) inserting an entry (signed with a real officer key) is located', async () => {
    const { report } = await tampered(async (db) => {
      const at = 2500;
      const ops = [];
      for (let s = size - 1; s >= at; s--)
        ops.push({ type: 'put' as const, key: entryKey(s + 1), value: (await db.get(entryKey(s)))! });
      const prev = decodeSignedEntry((await db.get(entryKey(at)))!).entry;
      const forged = { ...prev, body: { topic: 'forged', text: 'inserted later', n: -1 } };
      const bytes = encodeEntry(forged);
      ops.push({
        type: 'put' as const,
        key: entryKey(at),
        value: encodeSignedEntry(bytes, await officer.sign(signingMessage(bytes))),
      });
      await db.batch(ops);
    });
    expect(report.problems[0]!.seq).toBe(2500);
  });

  it('(e) cutting the tail is detected against the checkpoint held outside', async () => {
    const cut = 4000;
    const { report, inside } = await tampered(
      async (db) => {
        // A careful attacker removes the entries and every node and index row that mentions them.
        await db.clear({ gte: entryKey(cut), lt: Uint8Array.of(P_ENTRY + 1) });
        for (const key of (await db
          .keys({ gte: Uint8Array.of(P_NODE), lt: Uint8Array.of(P_NODE + 1) })
          .all()) as Uint8Array[])
          if ((readU64(key, 2) + 1) * 2 ** key[1]! > cut) await db.del(key);
        for (const key of (await db
          .keys({ gte: Uint8Array.of(P_INDEX), lt: Uint8Array.of(P_INDEX + 1) })
          .all()) as Uint8Array[])
          if (parseIndexKey(key)!.seq >= cut) await db.del(key);
      },
      { inside: true },
    );
    // What remains is a shorter, internally consistent log: only the checkpoint held outside shows the cut.
    expect(report.problems).toEqual([expect.objectContaining({ seq: cut, code: 'TRUNCATED' })]);
    expect(inside!.problems).toEqual([]);
  });

  it('(f) an entry re-signed by an unregistered key is located', async () => {
    const { report } = await tampered(async (db) => {
      const d = decodeSignedEntry((await db.get(entryKey(777)))!);
      const bytes = encodeEntry({ ...d.entry, signer: attacker.keyId });
      await db.put(entryKey(777), encodeSignedEntry(bytes, await attacker.sign(signingMessage(bytes))));
    });
    expect(report.problems[0]).toMatchObject({ seq: 777 });
    expect(report.problems.map((p) => p.code)).toContain('SIGNER_UNKNOWN');
  });

  it('(g) the whole log rebuilt under another root key is detected by the pinned key and the outside checkpoint', async () => {
    const { dir: d2, cleanup: c2 } = tempDir('el-rebuilt-');
    try {
      const fake = await Ledger.create(`${d2}/l`, {
        origin: 'test.example/tamper',
        signer: attacker,
        kinds: [noteKind],
        clock: stepClock(),
      });
      await fake.registerKey(
        { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
        attacker,
      );
      const real = await Ledger.open(path, { kinds: [noteKind] });
      const copied = [];
      for await (const e of real.entries({ from: 3, to: 50 }))
        if (e.kind === 'test/note') copied.push({ kind: e.kind, body: e.body });
      await real.close();
      await fake.appendBatch(copied, officer);
      await fake.close();
      const pinned = await Ledger.verify(`${d2}/l`, { kinds: [noteKind], trustedRootKeys: [root.publicKey] });
      expect(pinned.problems[0]).toMatchObject({ seq: 0, code: 'ROOT_KEY_MISMATCH' });
      const byCheckpoint = await Ledger.verify(`${d2}/l`, { kinds: [noteKind], checkpoints: [outside] });
      expect(byCheckpoint.ok).toBe(false);
      expect(byCheckpoint.problems.map((p) => p.code)).toContain('TRUSTED_CHECKPOINT_INVALID');
    } finally {
      c2();
    }
  });
});
