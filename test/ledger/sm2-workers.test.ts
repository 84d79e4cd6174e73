/**
 * Issue 15.6: SM2 signature checks on the worker pool. The worker evaluates sm-crypto-v2's own UMD text
 * (src/crypto/sm2-library.ts) and must give the calling thread's verdicts (the suite's `verify`) for good
 * signatures, flipped bytes, wrong keys, keys off the curve and out-of-range scalars; without the library's text the
 * pool checks on the calling thread and says so. A bad signature in a worker batch is located at its seq by verify.
 * Worker messages are counted, so a silent fallback cannot pass for a worker that ran.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { MemoryLevel } from 'memory-level';
import { afterAll, describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../src/bytes';
import { suiteById } from '../../src/crypto/node-registry';
import { sm2LibraryText } from '../../src/crypto/sm2-library';
import { Ledger } from '../../src/ledger';
import { decodeSignedEntry, encodeSignedEntry, signingMessage } from '../../src/ledger/format';
import { entryKey } from '../../src/ledger/keyspace';
import { BIN } from '../../src/ledger/level-store';
import { SignaturePool, type SigItem } from '../../src/ledger/sig-pool';
import { pinnedSm2LibraryText } from '../../scripts/inline-sm2-library';
import { noteBody, noteKind, noteLedger } from './helpers';

const suite = suiteById('sm2-sm3');

let workerMessages = 0;
const onWorker = (w: Worker) => w.on('message', () => workerMessages++);
process.on('worker', onWorker);
afterAll(() => {
  process.off('worker', onWorker);
});

/** n, the order of the SM2 base point (GB/T 32918.5), as 32 big-endian bytes: out of range for r and s. */
const N = Buffer.from('fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123', 'hex');

describe('SM2 checks on workers', () => {
  it('the library text is the one the lock file pins, and the built package inlines the same', () => {
    const text = sm2LibraryText();
    expect(text).toBeDefined();
    expect(text).toBe(pinnedSm2LibraryText());
    // Its only dependency outside the file is the hkdf the worker never calls.
    expect([...text!.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['@noble/hashes/hkdf']);
  });

  it('the build refuses to inline a library that is not the version the lock file pins', () => {
    const root = mkdtempSync(join(tmpdir(), 'el-sm2-lib-'));
    try {
      const pkg = join(root, 'node_modules', 'sm-crypto-v2');
      mkdirSync(join(pkg, 'dist'), { recursive: true });
      writeFileSync(join(root, 'package.json'), '{"name":"x"}');
      writeFileSync(join(pkg, 'package.json'), '{"name":"sm-crypto-v2","version":"1.15.1"}');
      writeFileSync(join(pkg, 'dist', 'index.umd.js'), '/* library */');
      const lock = (version: string) =>
        writeFileSync(
          join(root, 'package-lock.json'),
          JSON.stringify({ packages: { 'node_modules/sm-crypto-v2': { version } } }),
        );
      lock('1.15.1');
      expect(pinnedSm2LibraryText(root)).toBe('/* library */');
      lock('1.14.0');
      expect(() => pinnedSm2LibraryText(root)).toThrow(
        /1\.15\.1 is installed but package-lock\.json pins 1\.14\.0/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('gives the calling thread’s verdicts: good, flipped byte, wrong key, off-curve key, r or s out of range', async () => {
    const context = utf8('ctx');
    const signer = suite.createSigner(suite.generatePrivateKey());
    const other = suite.publicKeyFromPrivateKey(suite.generatePrivateKey());
    const items: SigItem[] = [];
    for (let i = 0; i < 24; i++) {
      const entryBytes = utf8(`message ${i}`);
      items.push({
        publicKey: signer.publicKey,
        entryBytes,
        signature: await signer.sign(concatBytes(context, entryBytes)),
      });
    }
    const bad = (i: number, f: (it: SigItem) => Partial<SigItem>) => {
      items[i] = { ...items[i]!, ...f(items[i]!) };
    };
    const flip = (b: Uint8Array, at: number) => {
      const c = b.slice();
      c[at]! ^= 0x01;
      return c;
    };
    bad(2, (it) => ({ signature: flip(it.signature, 5) })); // r
    bad(7, (it) => ({ signature: flip(it.signature, 40) })); // s
    bad(9, (it) => ({ entryBytes: flip(it.entryBytes, 0) })); // the message
    bad(11, () => ({ publicKey: other })); // another key
    bad(13, (it) => ({ publicKey: flip(it.publicKey, 64) })); // not a point of the curve
    bad(15, (it) => ({ signature: concatBytes(N, it.signature.subarray(32)) })); // r = n
    bad(17, (it) => ({ signature: concatBytes(it.signature.subarray(0, 32), new Uint8Array(32)) })); // s = 0
    const want = items.map((it) =>
      suite.verify(it.publicKey, concatBytes(context, it.entryBytes), it.signature),
    );
    expect(want.filter((ok) => !ok)).toHaveLength(7);

    const before = workerMessages;
    const pool = new SignaturePool(context, 2, 'sm2');
    try {
      // Two batches, so both workers load the library and prepare the key.
      const got = (await Promise.all([pool.check(items.slice(0, 12)), pool.check(items.slice(12))])).flat();
      expect(got).toEqual(want);
      expect(pool.usesWorkers).toBe(true);
      expect(workerMessages - before).toBeGreaterThanOrEqual(4); // two ready messages, two answers
    } finally {
      await pool.close();
    }

    // Without the library's text: the same verdicts, on this thread, and the pool says so.
    const here = new SignaturePool(context, 2, 'sm2', null);
    const quiet = workerMessages;
    expect(await here.check(items)).toEqual(want);
    expect(here.usesWorkers).toBe(false);
    expect(workerMessages).toBe(quiet);
    await here.close();
  });
});

describe('verify of an sm2-sm3 ledger on workers', () => {
  it('locates a bad signature in a worker batch at its seq', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>(BIN);
    const root = suite.createSigner(suite.generatePrivateKey());
    const officer = suite.createSigner(suite.generatePrivateKey());
    const foreign = suite.createSigner(suite.generatePrivateKey());
    const ledger = await noteLedger(db, 'test.example/sm2-workers', root, officer);
    await ledger.appendBatch(
      Array.from({ length: 30 }, (_, i) => ({ kind: 'test/note', body: noteBody(i) })),
      officer,
    );
    const size = ledger.size;
    const clean = workerMessages;
    expect((await ledger.verify({ workers: 2 })).problems).toEqual([]);
    expect(workerMessages - clean).toBeGreaterThanOrEqual(2);
    await ledger.close();

    // Two officer entries well after the first (which is checked on this thread): one with a flipped signature
    // byte, one signed by a key that is not the one it names.
    const flipped = size - 9;
    const forged = size - 3;
    for (const seq of [flipped, forged]) {
      const d = decodeSignedEntry((await db.get(entryKey(seq)))!);
      const signature =
        seq === flipped
          ? Uint8Array.from(d.signature, (b, i) => (i === 20 ? b ^ 0x80 : b))
          : await foreign.sign(signingMessage(d.entryBytes));
      await db.put(entryKey(seq), encodeSignedEntry(d.entryBytes, signature));
    }
    const before = workerMessages;
    const report = await Ledger.verify(db, { kinds: [noteKind], workers: 2 });
    expect(workerMessages - before).toBeGreaterThanOrEqual(2);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.code, p.seq])).toEqual([
      ['BAD_SIGNATURE', flipped],
      ['BAD_SIGNATURE', forged],
    ]);
    // The same verdicts with every check on this thread.
    const inline = await Ledger.verify(db, { kinds: [noteKind], workers: 0 });
    expect(inline.problems.map((p) => [p.code, p.seq])).toEqual([
      ['BAD_SIGNATURE', flipped],
      ['BAD_SIGNATURE', forged],
    ]);
  });
});
