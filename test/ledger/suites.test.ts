/**
 * The ledger on both crypto suites: the manifest fixes the suite; entry hashes, leaves, tree nodes, key ids and
 * signatures go through it; open and verify take it from the manifest; another suite's keys are refused.
 */
import { MemoryLevel } from 'memory-level';
import { sm3 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { suiteById } from '../../src/crypto/node-registry';
import type { SuiteId } from '../../src/crypto/types';
import { Ledger, decodeSignedEntry } from '../../src/ledger';
import { BIN } from '../../src/ledger/level-store';
import { entryKey } from '../../src/ledger/keyspace';
import { hashLeaf, rootFromLeafHashes } from '../../src/merkle/hash';
import { noteBody, noteKind, stepClock } from './helpers';

type Db = MemoryLevel<Uint8Array, Uint8Array>;

async function newLedger(id: SuiteId, db: Db = new MemoryLevel<Uint8Array, Uint8Array>()) {
  const suite = suiteById(id);
  const root = suite.createSigner(suite.generatePrivateKey());
  const officer = suite.createSigner(suite.generatePrivateKey());
  const ledger = await Ledger.create(db, {
    origin: `test.example/${id}`,
    signer: root,
    kinds: [noteKind],
    clock: stepClock(),
  });
  await ledger.registerKey(
    { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
    root,
  );
  return { ledger, db, root, officer, suite };
}

describe.each(['ed25519-sha256', 'sm2-sm3'] as const)('a %s ledger', (id) => {
  it('names its suite in the manifest and hashes, links and signs through it', async () => {
    const { ledger, officer, suite } = await newLedger(id);
    for (let i = 0; i < 10; i++) await ledger.append({ kind: 'test/note', body: noteBody(i) }, officer);
    expect(ledger.manifest.suite).toBe(id);
    expect(ledger.suite.id).toBe(id);
    const leaves: Uint8Array[] = [];
    let prev: Uint8Array | undefined;
    for await (const e of ledger.entries()) {
      const d = decodeSignedEntry(e.bytes);
      expect(e.leafHash).toEqual(hashLeaf(suite.hash, e.bytes));
      if (prev) expect(e.prev).toEqual(prev);
      prev = suite.hash(d.entryBytes);
      expect(d.signature.length).toBe(suite.signatureLength);
      leaves.push(e.leafHash);
    }
    expect(await ledger.root()).toEqual(rootFromLeafHashes(suite.hash, leaves));
    const note = await ledger.checkpoint();
    expect(ledger.verifyOwnCheckpoint(note).size).toBe(leaves.length);
    await ledger.append({ kind: 'test/note', body: noteBody(10) }, officer);
    expect((await ledger.verify()).problems).toEqual([]);
    if (id === 'sm2-sm3') {
      // An independent SM3 (sm-crypto-v2's, not OpenSSL's) gives the same key id and entry link.
      expect(officer.keyId).toBe(sm3(officer.publicKey));
      const e4 = await ledger.get(4);
      expect(toHex((await ledger.get(5)).prev)).toBe(sm3(decodeSignedEntry(e4.bytes).entryBytes));
    }
  });

  it('reopens with the suite from its manifest, keeps appending, and verifies at rest; damage is located', async () => {
    const { ledger, db, officer } = await newLedger(id);
    for (let i = 0; i < 6; i++) await ledger.append({ kind: 'test/note', body: noteBody(i) }, officer);
    await ledger.close();
    const again = await Ledger.open(db, { kinds: [noteKind] });
    expect(again.suite.id).toBe(id);
    await again.append({ kind: 'test/note', body: noteBody(99) }, officer);
    expect((await again.verify()).problems).toEqual([]);
    await again.close();
    expect((await Ledger.verify(db, { kinds: [noteKind] })).problems).toEqual([]);
    // Flip one signature bit of entry 5.
    const bytes = (await db.get(entryKey(5), BIN)) as Uint8Array;
    const bad = Uint8Array.from(bytes);
    bad[bad.length - 3]! ^= 0x01;
    await db.put(entryKey(5), bad, BIN);
    const report = await Ledger.verify(db, { kinds: [noteKind] });
    expect(report.problems.map((p) => [p.code, p.seq])).toContainEqual(['BAD_SIGNATURE', 5]);
  });
});

describe('suite mismatches', () => {
  it('refuses to open or verify a ledger with another suite’s implementation', async () => {
    const { ledger, db } = await newLedger('sm2-sm3');
    await ledger.close();
    const code = expect.objectContaining({ code: 'CRYPTO_UNKNOWN_SUITE' });
    await expect(Ledger.open(db, { suite: suiteById('ed25519-sha256') })).rejects.toThrow(code);
    await expect(Ledger.verify(db, { suite: suiteById('ed25519-sha256') })).rejects.toThrow(code);
  });

  it('refuses a signer of one suite with a suite option of another', async () => {
    const sm2 = suiteById('sm2-sm3');
    await expect(
      Ledger.create(new MemoryLevel<Uint8Array, Uint8Array>(), {
        origin: 'x.example/l',
        signer: sm2.createSigner(sm2.generatePrivateKey()),
        suite: suiteById('ed25519-sha256'),
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'CRYPTO_UNKNOWN_SUITE' }));
  });

  it('refuses to register an Ed25519 key in an sm2-sm3 ledger', async () => {
    const { ledger, root } = await newLedger('sm2-sm3');
    const ed = suiteById('ed25519-sha256');
    const edKey = ed.publicKeyFromPrivateKey(ed.generatePrivateKey());
    await expect(
      ledger.registerKey({ publicKey: edKey, principal: 'x', roles: ['officer'] }, root),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    expect((await ledger.verify()).problems).toEqual([]);
  });
});
