// What an embedder does with the three worker-backed features, run inside each kind of host (hosts.test.ts).
// Plain JavaScript, no dependency but the package module it is given: ingest a 3 MiB file (leaf-hash worker),
// append 4,200 entries signed by a pooled signer (signing workers), verify them (signature-check workers, above the
// 4,096-entry threshold). Prints one JSON line; the test compares it with independent computations.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function embedder(el) {
  let messages = 0;
  let started = 0;
  process.on('worker', (w) => {
    started++;
    w.on('message', () => messages++);
  });
  const since = () => {
    const m = messages;
    return () => messages - m;
  };
  const dir = mkdtempSync(join(tmpdir(), 'el-host-'));
  try {
    const out = {};
    // Ingest.
    const file = join(dir, 'video.bin');
    const bytes = randomBytes(3 * 1024 * 1024 + 12345);
    writeFileSync(file, bytes);
    const store = await el.FsContentStore.open(join(dir, 'content'));
    let m = since();
    const ref = await store.put(file);
    out.ingest = {
      digestOk: Buffer.from(ref.digest).equals(createHash('sha256').update(bytes).digest()),
      check: (await el.verifyContent(store, ref)).code,
      workerMessages: m(),
    };
    // Pooled signing: the same bytes as the node signer, and a ledger signed by the pool.
    const seed = createHash('sha256').update('hosts test key').digest();
    const pooled = el.createPooledSigner(new Uint8Array(seed), { threads: 2 });
    const plain = el.createSigner(new Uint8Array(seed), { impl: 'node' });
    m = since();
    const msgs = Array.from({ length: 64 }, (_, i) => new TextEncoder().encode(`message ${i}`));
    const sigs = await Promise.all(msgs.map((x) => pooled.sign(x)));
    const want = await Promise.all(msgs.map((x) => plain.sign(x)));
    const kind = { kind: 'test/note', roles: ['admin'], validate: () => [] };
    const ledger = await el.Ledger.create(join(dir, 'ledger'), {
      origin: 'hosts.test/ledger',
      signer: pooled,
      kinds: [kind],
      sync: false,
    });
    const N = 4200;
    for (let i = 0; i < N; i += 700)
      await ledger.appendBatch(
        Array.from({ length: 700 }, (_, j) => ({ kind: 'test/note', body: { n: i + j } })),
        pooled,
      );
    out.signing = {
      sameAsNodeSigner: sigs.every((s, i) => Buffer.from(s).equals(Buffer.from(want[i]))),
      size: ledger.size,
      workerMessages: m(),
    };
    await pooled.close();
    // Verify above the worker threshold (4,096 entries): signatures checked on the pool's workers.
    m = since();
    const report = await ledger.verify();
    out.verify = {
      ok: report.ok,
      signatures: report.stats.signatures,
      problems: report.problems.length,
      workerMessages: m(),
    };
    await ledger.close();
    out.workersStarted = started;
    console.log(JSON.stringify(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
