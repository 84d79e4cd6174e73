// An embedding process whose worker threads are terminated while they hold jobs (failure.test.ts). It installs no
// uncaughtException or unhandledRejection handler: if a dead worker escaped as either, Node would end this process
// with a non-zero code. Prints one JSON line.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const el = await import(process.argv[2]);

// How an embedder (or the OS, or a bug) might kill a worker: here through process.on('worker'). When armed, the
// next worker handed a job is terminated at that moment, so the job is certainly in its hands when it dies.
let armed = false;
let kills = 0;
process.on('worker', (w) => {
  const post = w.postMessage.bind(w);
  w.postMessage = (message, transfer) => {
    if (armed && message && message.job !== undefined) {
      armed = false;
      kills++;
      w.terminate();
    }
    return post(message, transfer);
  };
});
const settle = (p) =>
  p.then(
    (value) => ({ ok: true, value }),
    (err) => ({
      ok: false,
      code: err?.code,
      name: err?.name,
      cause: err?.cause?.code,
      message: String(err?.message),
    }),
  );

const dir = mkdtempSync(join(tmpdir(), 'el-kill-'));
const out = {};
try {
  // Ingest: the leaf-hash worker dies holding a chunk.
  const file = join(dir, 'video.bin');
  const bytes = randomBytes(4 * 1024 * 1024 + 1);
  writeFileSync(file, bytes);
  const store = await el.FsContentStore.open(join(dir, 'content'));
  armed = true;
  const failed = await settle(store.put(file));
  const objectsAfterFailure = readdirSync(join(dir, 'content', 'objects')).length;
  const tmpAfterFailure = readdirSync(join(dir, 'content', 'tmp')).length;
  const again = await store.put(file);
  out.ingest = {
    failed,
    objectsAfterFailure,
    tmpAfterFailure,
    retryDigestOk: Buffer.from(again.digest).equals(createHash('sha256').update(bytes).digest()),
    retryCheck: (await el.verifyContent(store, again)).code,
  };

  // Signing: a pooled signer's worker dies holding a batch of an appendBatch.
  const seed = new Uint8Array(createHash('sha256').update('kill test key').digest());
  const pooled = el.createPooledSigner(seed, { threads: 2 });
  const kind = { kind: 'test/note', roles: ['admin'], validate: () => [] };
  const ledger = await el.Ledger.create(join(dir, 'ledger'), {
    origin: 'kill.test/ledger',
    signer: pooled,
    kinds: [kind],
    sync: false,
  });
  const batch = (n, from) =>
    Array.from({ length: n }, (_, i) => ({ kind: 'test/note', body: { n: from + i } }));
  await ledger.appendBatch(batch(300, 0), pooled);
  const sizeBefore = ledger.size;
  armed = true;
  const signFailed = await settle(ledger.appendBatch(batch(300, 300), pooled));
  const sizeAfterFailure = ledger.size;
  await ledger.appendBatch(batch(300, 300), pooled);
  out.signing = { failed: signFailed, sizeBefore, sizeAfterFailure, sizeAfterRetry: ledger.size };
  await pooled.close();

  // Verify: a signature-check worker dies holding a batch.
  armed = true;
  const verifyFailed = await settle(ledger.verify({ workers: 2 }));
  const report = await ledger.verify({ workers: 2 });
  await ledger.close();
  const reopened = await el.Ledger.verify(join(dir, 'ledger'), { kinds: [kind] });
  out.verify = {
    failed: verifyFailed,
    retry: { ok: report.ok, problems: report.problems.length, signatures: report.stats.signatures },
    atRest: { ok: reopened.ok, size: reopened.size },
  };
  out.kills = kills;
  console.log(JSON.stringify(out));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
