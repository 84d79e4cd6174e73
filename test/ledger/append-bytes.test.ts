/**
 * The append path's optimisations (signature checks of large chunks on worker threads or on this thread, group
 * commits, batch read caches) must not change a byte: the same inputs appended one at a time and in large concurrent
 * groups give the same database, key for key and byte for byte, and every entry re-encodes identically under an
 * independent canonical CBOR encoder (cborg, RFC 8949 deterministic) and verifies under an independent Ed25519
 * (@noble). The committed golden vectors (test/vectors/golden) pin the format itself.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { decode as cborgDecode, encode as cborgEncode, rfc8949EncodeOptions } from 'cborg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { ENTRY_CONTEXT, Ledger } from '../../src/ledger';
import { checkPlacement } from '../../src/ledger/check-placement';
import { noteBody, noteKind, stepClock, testSigner, noteLedger, thingKind } from './helpers';

ed.hashes.sha512 = sha512;
const root = testSigner(0);
const officer = testSigner(1);
const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;

async function newLedger(db: MemoryLevel<Uint8Array, Uint8Array>) {
  return noteLedger(db, 'test.example/append-bytes', root, officer);
}

/** A database's rows, read through abstract-level (MemoryLevel or classic-level). */
async function dump(db: {
  iterator(o: typeof BIN): AsyncIterable<[Uint8Array, Uint8Array]>;
}): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of db.iterator(BIN))
    out.push(`${Buffer.from(k).toString('hex')}=${Buffer.from(v).toString('hex')}`);
  return out;
}

const inputs = Array.from({ length: 420 }, (_, i) => ({
  kind: 'test/note',
  body: noteBody(i),
  ...(i % 5 === 0
    ? {
        content: [
          { digest: new Uint8Array(32).fill(i & 255), size: i * 1000, chunkRoot: new Uint8Array(32).fill(7) },
        ],
      }
    : {}),
}));

describe('append writes the same bytes on every path', () => {
  it('one at a time, 64 concurrent callers and a 200-entry appendBatch give the same database', async () => {
    const dbA = new MemoryLevel<Uint8Array, Uint8Array>();
    const a = await newLedger(dbA);
    for (const input of inputs) await a.append(input, officer);

    // The large groups' signature checks on the worker threads (shared with this thread), and on this thread.
    const was = checkPlacement.mode;
    for (const mode of ['workers', 'here'] as const) {
      checkPlacement.mode = mode;
      const dbB = new MemoryLevel<Uint8Array, Uint8Array>();
      const b = await newLedger(dbB);
      try {
        // 64 callers at once (group commits of up to 64 entries)…
        await Promise.all(inputs.slice(0, 150).map((input) => b.append(input, officer)));
        // …one large batch (chunks of signatures requested while later entries are built)…
        await b.appendBatch(inputs.slice(150, 350), officer);
        // …and the rest one at a time again.
        for (const input of inputs.slice(350)) await b.append(input, officer);
      } finally {
        checkPlacement.mode = was;
      }
      expect(b.size).toBe(a.size);
      expect(await b.root()).toEqual(await a.root());
      const [da, db] = [await dump(dbA), await dump(dbB)];
      expect(db.length).toBe(da.length);
      expect(db).toEqual(da);
      expect((await b.verify()).problems).toEqual([]);
      await b.close();
    }
    await a.close();
  });

  it('a ledger in a folder (classic-level batch called below abstract-level) writes what an abstract-level database gets', async () => {
    // Random groups of entries with index rows (ids that may repeat: a repeat is refused) and content rows.
    const step = fc.record({
      group: fc.boolean(),
      things: fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 6 }),
      notes: fc.array(fc.nat(400), { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const dir = mkdtempSync(join(tmpdir(), 'el-append-bytes-'));
        try {
          const mem = new MemoryLevel<Uint8Array, Uint8Array>();
          const ledgers: Ledger[] = [];
          for (const at of [join(dir, 'l'), mem]) {
            const l = await Ledger.create(at, {
              origin: 'test.example/append-bytes',
              signer: root,
              kinds: [noteKind, thingKind(true)],
              clock: stepClock(),
            });
            await l.registerKey(
              { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
              root,
            );
            ledgers.push(l);
          }
          const outcomes: unknown[][] = [[], []];
          for (const s of steps)
            for (const w of [0, 1]) {
              const l = ledgers[w]!;
              const all = [
                ...s.things.map((n) => ({ kind: 'test/thing', body: { id: `T-${n}` } })),
                ...s.notes.map((n) => inputs[n]!),
              ];
              const one = (input: (typeof all)[number]) =>
                l.append(input, officer).then(
                  (r) => r.seq,
                  (e: { code?: string }) => e.code ?? 'refused',
                );
              if (s.group) outcomes[w]!.push(await Promise.all(all.map(one)));
              else for (const input of all) outcomes[w]!.push(await one(input));
            }
          expect(outcomes[0]).toEqual(outcomes[1]);
          for (const l of ledgers) await l.close();
          const folder = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'l'), BIN);
          await folder.open();
          try {
            expect(await dump(folder)).toEqual(await dump(mem));
          } finally {
            await folder.close();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 8 },
    );
  });

  it('every stored entry is the canonical encoding (cborg) of its fields and verifies under @noble', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>();
    const ledger = await newLedger(db);
    await ledger.appendBatch(inputs.slice(0, 100), officer);
    for await (const e of ledger.entries()) {
      const [entryBytes, sig] = cborgDecode(e.bytes) as [Uint8Array, Uint8Array];
      expect(Buffer.from(cborgEncode([entryBytes, sig], rfc8949EncodeOptions))).toEqual(Buffer.from(e.bytes));
      const fields = cborgDecode(entryBytes, { useMaps: false });
      expect(Buffer.from(cborgEncode(fields, rfc8949EncodeOptions))).toEqual(Buffer.from(entryBytes));
      const pub = e.kind.startsWith('core/') ? root.publicKey : officer.publicKey;
      expect(ed.verify(sig, new Uint8Array([...ENTRY_CONTEXT, ...entryBytes]), pub)).toBe(true);
    }
    await ledger.close();
  });
});
