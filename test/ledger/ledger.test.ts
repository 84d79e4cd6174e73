import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLevel } from 'memory-level';
import { nodeSuite } from '../../src/crypto/node';
import { PolicyError, StorageError, ValidationError } from '../../src/errors';
import { Ledger, decodeSignedEntry } from '../../src/ledger';
import { hashLeaf, rootFromLeafHashes } from '../../src/merkle/hash';
import { verifyConsistency, verifyInclusion } from '../../src/merkle';
import { noteBody, noteKind, stepClock, tempDir, testSigner, noteLedger } from './helpers';

const root = testSigner(0);
const officer = testSigner(1);
const other = testSigner(2);

async function newLedger(db = new MemoryLevel<Uint8Array, Uint8Array>()) {
  return noteLedger(db, 'test.example/ledger', root, officer);
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('Ledger', () => {
  it('appends, reads back byte-exact, and its root is the RFC 9162 root of the leaves', async () => {
    const ledger = await newLedger();
    const results = [];
    for (let i = 0; i < 20; i++)
      results.push(await ledger.append({ kind: 'test/note', body: noteBody(i) }, officer));
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    const leaves: Uint8Array[] = [];
    for await (const e of ledger.entries()) {
      expect(hashLeaf(nodeSuite.hash, e.bytes)).toEqual(e.leafHash);
      leaves.push(e.leafHash);
    }
    expect(leaves).toHaveLength(ledger.size);
    expect(await ledger.root()).toEqual(rootFromLeafHashes(nodeSuite.hash, leaves));
    const e5 = await ledger.get(5);
    expect(e5.body).toEqual(noteBody(2));
    expect(e5.signer).toBe(officer.keyId);
    const e4 = await ledger.get(4);
    expect(e5.prev).toEqual(nodeSuite.hash(decodeSignedEntry(e4.bytes).entryBytes));
    expect((await ledger.verify()).problems).toEqual([]);
  });

  it('proves inclusion and consistency at every size', async () => {
    const ledger = await newLedger();
    for (let i = 0; i < 37; i++) await ledger.append({ kind: 'test/note', body: noteBody(i) }, officer);
    const n = ledger.size;
    const leaves: Uint8Array[] = [];
    for await (const e of ledger.entries()) leaves.push(e.leafHash);
    for (let size = 1; size <= n; size++) {
      const r = await ledger.root(size);
      expect(r).toEqual(rootFromLeafHashes(nodeSuite.hash, leaves.slice(0, size)));
      for (const i of [0, size - 1, Math.floor(size / 2)]) {
        const proof = await ledger.inclusionProof(i, size);
        expect(verifyInclusion(nodeSuite.hash, i, size, leaves[i]!, proof, r)).toBe(true);
      }
      const cproof = await ledger.consistencyProof(size, n);
      expect(verifyConsistency(nodeSuite.hash, size, n, cproof, r, await ledger.root())).toBe(true);
    }
  });

  it('refuses unregistered, revoked and role-less signers, writing nothing', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    await expect(ledger.append({ kind: 'test/note', body: noteBody(1) }, other)).rejects.toMatchObject({
      code: 'SIGNER_UNKNOWN',
    });
    await ledger.registerKey(
      { publicKey: other.publicKey, principal: 'archivist-1', roles: ['archivist'] },
      root,
    );
    await expect(ledger.append({ kind: 'test/note', body: noteBody(1) }, other)).rejects.toBeInstanceOf(
      PolicyError,
    );
    await expect(ledger.append({ kind: 'test/note', body: noteBody(1) }, other)).rejects.toMatchObject({
      code: 'ROLE_MISSING',
    });
    await ledger.revokeKey(officer.keyId, 'left the agency', root);
    await expect(ledger.append({ kind: 'test/note', body: noteBody(1) }, officer)).rejects.toMatchObject({
      code: 'SIGNER_REVOKED',
    });
    await expect(
      ledger.registerKey({ publicKey: testSigner(9).publicKey, principal: 'x', roles: ['admin'] }, officer),
    ).rejects.toMatchObject({ code: 'SIGNER_REVOKED' });
    expect(ledger.size).toBe(size + 2); // the registration and the revocation only
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('check() throws what append would throw and writes nothing; a passing check is followed by an append', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    const root0 = await ledger.root();
    const cases: Array<[Parameters<Ledger['check']>[0], typeof officer, string]> = [
      [[{ kind: 'test/unknown', body: {} }], officer, 'KIND_UNDECLARED'],
      [[{ kind: 'test/note', body: noteBody(1) }], other, 'SIGNER_UNKNOWN'],
      [
        [
          { kind: 'test/note', body: noteBody(1) },
          { kind: 'test/note', body: { text: 3 } },
        ],
        officer,
        'VALIDATION_FAILED',
      ],
    ];
    for (const [inputs, signer, code] of cases) {
      const viaCheck = await ledger.check(inputs, signer).catch((e) => e);
      const viaAppend = await ledger.appendBatch(inputs, signer).catch((e) => e);
      expect(viaCheck.code).toBe(code);
      expect(viaAppend.code).toBe(code);
      if (viaCheck instanceof ValidationError)
        expect(viaCheck.issues).toEqual((viaAppend as ValidationError).issues);
    }
    await ledger.check([{ kind: 'test/note', body: noteBody(2) }], officer);
    expect(ledger.size).toBe(size);
    expect(await ledger.root()).toEqual(root0);
    await ledger.append({ kind: 'test/note', body: noteBody(2) }, officer);
    expect(ledger.size).toBe(size + 1);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('refuses an undeclared kind and a bad body with every issue and its path', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    await expect(ledger.append({ kind: 'test/unknown', body: {} }, officer)).rejects.toMatchObject({
      code: 'KIND_UNDECLARED',
    });
    const err = await ledger.append({ kind: 'test/note', body: { text: 3 } }, officer).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['body.topic', 'required'],
      ['body.text', 'invalid_type'],
    ]);
    const err2 = await ledger
      .append({ kind: 'test/note', body: { topic: 'a', text: 'b', f: 1.5 } }, officer)
      .catch((e) => e);
    expect(err2).toBeInstanceOf(ValidationError);
    expect((err2 as ValidationError).issues[0]!.path).toEqual(['body']);
    expect(ledger.size).toBe(size);
  });

  it('appendBatch is all or nothing, with the failing input index in the path', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    const err = await ledger
      .appendBatch(
        [
          { kind: 'test/note', body: noteBody(1) },
          { kind: 'test/note', body: { topic: '', text: 'x' } },
        ],
        officer,
      )
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues[0]!.path).toEqual([1, 'body', 'topic']);
    expect(ledger.size).toBe(size);
    const ok = await ledger.appendBatch(
      [
        { kind: 'test/note', body: noteBody(1) },
        { kind: 'test/note', body: noteBody(2) },
      ],
      officer,
    );
    expect(ok.map((r) => r.seq)).toEqual([size, size + 1]);
  });

  it('groups concurrent appends and keeps them all, in one order', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    const rs = await Promise.all(
      Array.from({ length: 200 }, (_, i) => ledger.append({ kind: 'test/note', body: noteBody(i) }, officer)),
    );
    expect(new Set(rs.map((r) => r.seq)).size).toBe(200);
    expect(ledger.size).toBe(size + 200);
    const report = await ledger.verify();
    expect(report.problems).toEqual([]);
  });

  it('a failed item in a group does not disturb the others', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    const settled = await Promise.allSettled([
      ledger.append({ kind: 'test/note', body: noteBody(1) }, officer),
      ledger.append({ kind: 'test/note', body: { topic: 5 } }, officer),
      ledger.append({ kind: 'test/note', body: noteBody(3) }, other),
      ledger.append({ kind: 'test/note', body: noteBody(4) }, officer),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(ledger.size).toBe(size + 2);
    expect((await ledger.verify()).ok).toBe(true);
  });

  it('looks entries up through index rows, including within one batch', async () => {
    const ledger = await newLedger();
    await Promise.all(
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
        ledger.append({ kind: 'test/note', body: noteBody(i, i % 2 ? 'odd' : 'even') }, officer),
      ),
    );
    const odd = await ledger.lookup('test/topic', 'odd');
    expect(odd).toHaveLength(4);
    for (const s of odd) expect(((await ledger.get(s)).body as { topic: string }).topic).toBe('odd');
    const rows = await ledger.lookupRange('test/topic', { gte: 'e', lt: 'f' });
    expect(rows.map((r) => r.key)).toEqual(['even', 'even', 'even', 'even']);
  });

  it('signs checkpoints that verify, records them in the log, and checks them on verify', async () => {
    const ledger = await newLedger();
    for (let i = 0; i < 10; i++) await ledger.append({ kind: 'test/note', body: noteBody(i) }, officer);
    const size = ledger.size;
    const note = await ledger.checkpoint();
    expect(note.split('\n').slice(0, 2)).toEqual(['test.example/ledger', String(size)]);
    const cp = ledger.verifyOwnCheckpoint(note);
    expect(cp.size).toBe(size);
    expect(cp.rootHash).toEqual(await ledger.root(size));
    expect(ledger.size).toBe(size + 1);
    expect(await ledger.checkpoints()).toEqual([note]);
    const report = await ledger.verify({ checkpoints: [note] });
    expect(report.problems).toEqual([]);
  });

  it('concurrent checkpoints and appends all land, each checkpoint consistent with the log', async () => {
    const ledger = await newLedger();
    const jobs: Array<Promise<unknown>> = [];
    for (let i = 0; i < 30; i++) {
      jobs.push(ledger.append({ kind: 'test/note', body: noteBody(i) }, officer));
      if (i % 10 === 9) jobs.push(ledger.checkpoint());
    }
    const notes = (await Promise.all(jobs)).filter((x): x is string => typeof x === 'string');
    expect(notes).toHaveLength(3);
    for (const n of notes) {
      const cp = ledger.verifyOwnCheckpoint(n);
      expect(cp.rootHash).toEqual(await ledger.root(cp.size));
    }
    expect((await ledger.verify({ checkpoints: notes })).problems).toEqual([]);
    await ledger.checkpoint();
    expect(await ledger.checkpoints()).toHaveLength(4);
  });

  it('reopens from disk without scanning and continues the same log', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const a = await Ledger.create(dir, {
      origin: 'test.example/disk',
      signer: root,
      kinds: [noteKind],
      clock: stepClock(),
    });
    await a.registerKey({ publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] }, root);
    for (let i = 0; i < 50; i++) await a.append({ kind: 'test/note', body: noteBody(i) }, officer);
    const rootA = await a.root();
    const sizeA = a.size;
    await a.close();
    const b = await Ledger.open(dir, { kinds: [noteKind], clock: stepClock(Date.UTC(2026, 5, 1)) });
    expect(b.size).toBe(sizeA);
    expect(await b.root()).toEqual(rootA);
    await b.append({ kind: 'test/note', body: noteBody(99) }, officer);
    expect((await b.verify()).problems).toEqual([]);
    await b.close();
    await expect(Ledger.create(dir, { origin: 'x', signer: root })).rejects.toMatchObject({
      code: 'STORAGE_EXISTS',
    });
  });

  it('opening a missing folder is a STORAGE_NOT_FOUND, a locked one STORAGE_LOCKED at once', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    await expect(Ledger.open(`${dir}/nope`)).rejects.toMatchObject({ code: 'STORAGE_NOT_FOUND' });
    const a = await Ledger.create(`${dir}/l`, { origin: 'test.example/lock', signer: root });
    const err = await Ledger.open(`${dir}/l`).catch((e) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err.code).toBe('STORAGE_LOCKED');
    await a.close();
  });

  it('a signer that fails rejects its own append only; the others land, re-queued behind it', async () => {
    const ledger = await newLedger();
    const size = ledger.size;
    let calls = 0;
    const flaky = {
      ...officer,
      sign: async (m: Uint8Array) => {
        calls++;
        if (calls === 2) throw new Error('token removed');
        return officer.sign(m);
      },
    };
    const settled = await Promise.allSettled(
      [0, 1, 2, 3].map((i) => ledger.append({ kind: 'test/note', body: noteBody(i) }, flaky)),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'CRYPTO_SIGNER_FAILED' });
    expect(ledger.size).toBe(size + 3);
    const report = await ledger.verify();
    expect(report.problems).toEqual([]);
    const bodies = [];
    for await (const e of ledger.entries({ from: size })) bodies.push((e.body as { n: number }).n);
    expect(bodies).toEqual([0, 2, 3]);
  });

  it('incremental verify from a trusted checkpoint reads only what follows it, and catches rewrites', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>();
    const ledger = await newLedger(db);
    for (let i = 0; i < 100; i += 20)
      await ledger.appendBatch(
        Array.from({ length: 20 }, (_, j) => ({ kind: 'test/note', body: noteBody(i + j) })),
        officer,
      );
    const since = await ledger.checkpoint();
    const cpSize = ledger.verifyOwnCheckpoint(since).size;
    for (let i = 0; i < 30; i++) await ledger.append({ kind: 'test/note', body: noteBody(200 + i) }, officer);
    const inc = await ledger.verify({ since });
    expect(inc.problems).toEqual([]);
    expect(inc.stats.entries).toBe(ledger.size - cpSize);
    expect(inc.root).toEqual(await ledger.root());
    const full = await ledger.verify();
    expect(full.stats.entries).toBe(ledger.size);

    // A change after the checkpoint is found by the incremental run.
    const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;
    const { entryKey, nodeKey } = await import('../../src/ledger/keyspace');
    const after = (await db.get(entryKey(cpSize + 5), BIN)) as Uint8Array;
    const bad = Uint8Array.from(after);
    bad[bad.length - 3]! ^= 1;
    await db.put(entryKey(cpSize + 5), bad, BIN);
    const broken = await ledger.verify({ since });
    expect(broken.problems[0], JSON.stringify(broken.problems)).toMatchObject({ seq: cpSize + 5 });
    await db.put(entryKey(cpSize + 5), after, BIN);

    // History rewritten before the checkpoint (tree nodes recomputed by the forger) no longer has the trusted root.
    const leaf = (await db.get(nodeKey(0, 3), BIN)) as Uint8Array;
    const forged = Uint8Array.from(leaf);
    forged[0]! ^= 1;
    await db.put(nodeKey(0, 3), forged, BIN);
    const { CompactRange } = await import('../../src/merkle');
    const range = new CompactRange(nodeSuite.hash);
    for (let s = 0; s < cpSize; s++) {
      for (const n of range.append(s === 3 ? forged : ((await db.get(nodeKey(0, s), BIN)) as Uint8Array)))
        await db.put(nodeKey(n.level, n.index), n.hash, BIN);
    }
    const rewritten = await ledger.verify({ since });
    expect(rewritten.problems.map((p) => p.code)).toContain('SINCE_MISMATCH');
  });

  it('is deterministic: same inputs, same bytes', async () => {
    const a = await newLedger();
    const b = await newLedger();
    for (let i = 0; i < 5; i++) {
      await a.append({ kind: 'test/note', body: noteBody(i) }, officer);
      await b.append({ kind: 'test/note', body: noteBody(i) }, officer);
    }
    expect(await a.root()).toEqual(await b.root());
  });
});
