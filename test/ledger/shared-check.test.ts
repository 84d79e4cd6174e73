/**
 * SharedCheck (src/ledger/sig-pool.ts): a chunk of signatures checked by worker threads and the calling thread
 * together, each signature claimed once by whoever is free. Whoever checks it, the verdicts are the suite's; a
 * worker that dies leaves what it held to the calling thread.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../src/bytes';
import { nodeSuite } from '../../src/crypto/node';
import { createSigner } from '../../src/crypto/signer';
import { MemoryLevel } from 'memory-level';
import { Ledger } from '../../src/ledger';
import { checkPlacement, coreFree, placementCounts } from '../../src/ledger/check-placement';
import { noteBody, noteKind, stepClock, testSigner } from './helpers';
import { type SigItem, SignaturePool } from '../../src/ledger/sig-pool';

const context = utf8('shared-check test\u0000');
const seed = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const alice = createSigner(seed('alice'));
const bob = createSigner(seed('bob'));

/** 120 items by two keys; 6 of them wrong in different ways. */
async function items(): Promise<{ items: SigItem[]; want: boolean[] }> {
  const out: SigItem[] = [];
  for (let i = 0; i < 120; i++) {
    const signer = i % 3 ? alice : bob;
    const entryBytes = utf8(`entry ${i} ${'x'.repeat(i % 40)}`);
    out.push({
      publicKey: signer.publicKey,
      entryBytes,
      signature: await signer.sign(concatBytes(context, entryBytes)),
    });
  }
  const flip = (b: Uint8Array, at: number) => {
    const c = b.slice();
    c[at]! ^= 1;
    return c;
  };
  out[3] = { ...out[3]!, signature: flip(out[3]!.signature, 5) };
  out[17] = { ...out[17]!, signature: flip(out[17]!.signature, 40) };
  out[40] = { ...out[40]!, entryBytes: flip(out[40]!.entryBytes, 0) };
  out[64] = {
    ...out[64]!,
    publicKey: out[64]!.publicKey === alice.publicKey ? bob.publicKey : alice.publicKey,
  };
  out[99] = { ...out[99]!, signature: new Uint8Array(64) };
  out[119] = { ...out[119]!, signature: out[118]!.signature };
  const want = out.map((it) =>
    nodeSuite.verify(it.publicKey, concatBytes(context, it.entryBytes), it.signature),
  );
  expect(want.filter((ok) => !ok)).toHaveLength(6);
  return { items: out, want };
}

/** `here` for SharedCheck: the suite's verify, counting the calls. */
function counted(list: readonly SigItem[]) {
  const calls: number[] = [];
  return {
    calls,
    here: (i: number) => {
      calls.push(i);
      const it = list[i]!;
      return nodeSuite.verify(it.publicKey, concatBytes(context, it.entryBytes), it.signature);
    },
  };
}

describe('SharedCheck', () => {
  it('workers and the calling thread together give the suite verdicts, each signature checked once here at most', async () => {
    const { items: list, want } = await items();
    const pool = new SignaturePool(context, 2, 'ed25519');
    try {
      // Warm the workers up, so that they claim part of the next chunk while this thread helps.
      expect(await pool.check(list.slice(0, 4))).toEqual(want.slice(0, 4));
      const { calls, here } = counted(list);
      const check = pool.share(list, here);
      check.help();
      expect(await check.result).toEqual(want);
      expect(new Set(calls).size).toBe(calls.length);
      expect(calls.length).toBeLessThanOrEqual(list.length);
    } finally {
      await pool.close();
    }
  });

  it('without help, the workers check everything and the calling thread checks nothing', async () => {
    const { items: list, want } = await items();
    const pool = new SignaturePool(context, 2, 'ed25519');
    try {
      const { calls, here } = counted(list);
      const check = pool.share(list, here);
      expect(await check.result).toEqual(want);
      expect(pool.usesWorkers).toBe(true);
      expect(calls).toEqual([]);
      // Helping once all is checked claims nothing.
      check.help();
      expect(calls).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('with no worker verifier, the calling thread checks everything, with or without help', async () => {
    const { items: list, want } = await items();
    const pool = new SignaturePool(context, 2, 'ed25519', null);
    try {
      const a = counted(list);
      expect(await pool.share(list, a.here).result).toEqual(want);
      expect([...a.calls].sort((x, y) => x - y)).toEqual(list.map((_, i) => i));
      const b = counted(list);
      const check = pool.share(list, b.here);
      check.help();
      expect(await check.result).toEqual(want);
      expect(b.calls).toEqual(list.map((_, i) => i));
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies holding a signature leaves it, and the rest, to the calling thread', async () => {
    const { items: list, want } = await items();
    // A worker verifier that kills its thread on the first signature it is given.
    const dying = `{ key: (raw) => raw, verify: () => { process.exit(3); } }`;
    const pool = new SignaturePool(context, 1, 'ed25519', dying);
    try {
      const { calls, here } = counted(list);
      const check = pool.share(list, here);
      expect(await check.result).toEqual(want);
      // The worker claimed one signature at least before it died: this thread checked it, and everything else.
      expect(calls.length).toBe(list.length);
    } finally {
      await pool.close();
    }
  });
});

describe('check placement (auto)', () => {
  const at = (wall: number, busy: number, ours: number, cores = 2) => ({ cores, wall, busy, ours });
  it('uses the workers while other processes leave a core and a half free, our own threads not counted', () => {
    // 1 s of wall time on 2 cores: others busy 0.2 cores (ours 1.5 cores, not counted) → free.
    expect(coreFree(at(0, 0, 0), at(1000, 1700, 1500))).toBe(true);
    // Others busy 0.5 cores: exactly the limit → free; 0.6 → not.
    expect(coreFree(at(0, 0, 0), at(1000, 500, 0))).toBe(true);
    expect(coreFree(at(0, 0, 0), at(1000, 600, 0))).toBe(false);
    // A saturated machine (others 1.8 cores) → the calling thread checks.
    expect(coreFree(at(0, 0, 0), at(1000, 1900, 100))).toBe(false);
    // 8 cores, others 6 busy → 2 free → workers.
    expect(coreFree(at(0, 0, 0, 8), at(1000, 6000, 0, 8))).toBe(true);
    // No wall time between the samples: nothing known, keep the workers.
    expect(coreFree(at(5, 0, 0), at(5, 9000, 0))).toBe(true);
  });
});

describe('the signatureChecks option', () => {
  it("places a group commit's checks where it says, overriding the process-wide placement, and refuses other values", async () => {
    const was = checkPlacement.mode;
    try {
      for (const [global, option] of [
        ['here', 'workers'],
        ['workers', 'here'],
      ] as const) {
        checkPlacement.mode = global;
        const ledger = await Ledger.create(new MemoryLevel<Uint8Array, Uint8Array>(), {
          origin: 'test.example/placement',
          signer: testSigner(0),
          kinds: [noteKind],
          clock: stepClock(),
          signatureChecks: option,
        });
        await ledger.registerKey(
          { publicKey: testSigner(1).publicKey, principal: 'officer-1', roles: ['officer'] },
          testSigner(0),
        );
        const before = { ...placementCounts };
        await ledger.appendBatch(
          Array.from({ length: 40 }, (_, i) => ({ kind: 'test/note', body: noteBody(i) })),
          testSigner(1),
        );
        expect(placementCounts[option] - before[option]).toBe(1);
        expect(placementCounts[global] - before[global]).toBe(0);
        expect((await ledger.verify()).problems).toEqual([]);
        await ledger.close();
      }
    } finally {
      checkPlacement.mode = was;
    }
    const db = new MemoryLevel<Uint8Array, Uint8Array>();
    await expect(
      Ledger.create(db, {
        origin: 'test.example/placement',
        signer: testSigner(0),
        signatureChecks: 'gpu' as 'auto',
      }),
    ).rejects.toThrow(/signatureChecks must be/);
    expect(await db.keys().all()).toHaveLength(0);
  });
});
