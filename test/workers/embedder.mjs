// What an embedder does with the three worker-backed features, run inside each kind of host (hosts.test.ts).
// Plain JavaScript, no dependency but the package modules it is given (the main entry `el`, the crypto entry `cr`):
// ingest a 3 MiB file (leaf-hash worker), append 4,200 entries signed by a pooled signer (signing workers), verify
// them (signature-check workers, above the 4,096-entry threshold). Then the same for SM2 (sm2-sm3), whose workers
// carry the SM2 library as text: a pooled SM2 signer, an append's signature check of a 40-entry group (good
// signatures, a flipped byte, another key's signatures: the verdicts beside the calling thread's), a verify on
// workers. Prints one JSON line; the test compares it with independent computations.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function embedder(el, cr) {
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
    out.sm2 = await sm2Part(el, cr, dir, kind, since);
    out.workersStarted = started;
    console.log(JSON.stringify(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SM2 on workers: pooled signing, an append's check of a group's signatures, a verify. */
async function sm2Part(el, cr, dir, kind, since) {
  const suite = cr.suiteById('sm2-sm3');
  const d = suite.generatePrivateKey();
  const enc = (t) => new TextEncoder().encode(t);
  // Pooled signing: every signature verifies on this thread.
  const pooled = el.createPooledSigner(d, { threads: 2, suite: 'sm2-sm3' });
  let m = since();
  const msgs = Array.from({ length: 16 }, (_, i) => enc(`sm2 message ${i}`));
  const sigs = await Promise.all(msgs.map((x) => pooled.sign(x)));
  const signing = {
    allVerify: sigs.every((s, i) => suite.verify(pooled.publicKey, msgs[i], s)),
    usesWorkers: pooled.usesWorkers,
    workerMessages: m(),
  };
  await pooled.close();
  // A group of 40 entries: the append shares its signature checks with the pool (32 and more; `signatureChecks:
  // 'workers'`). Signed on this thread, so the worker messages counted are the checks'.
  const signer = suite.createSigner(d);
  const other = suite.createSigner(suite.generatePrivateKey());
  const ledger = await el.Ledger.create(join(dir, 'sm2-ledger'), {
    origin: 'hosts.test/sm2',
    signer,
    kinds: [kind],
    sync: false,
    // On the workers whatever the machine's load (by default a loaded machine checks on the calling thread).
    signatureChecks: 'workers',
  });
  const variants = {
    good: (x) => signer.sign(x),
    flippedByte: async (x) => {
      const s = Uint8Array.from(await signer.sign(x));
      s[20] ^= 0x80;
      return s;
    },
    wrongKey: (x) => other.sign(x),
  };
  const checks = {};
  let n = 0;
  for (const [name, sign] of Object.entries(variants)) {
    const seen = [];
    const variant = {
      suite: signer.suite,
      keyId: signer.keyId,
      publicKey: signer.publicKey,
      sign: async (x) => {
        const s = await sign(x);
        seen.push([x, s]);
        return s;
      },
    };
    m = since();
    let pool;
    try {
      await ledger.appendBatch(
        Array.from({ length: 40 }, () => ({ kind: 'test/note', body: { n: n++ } })),
        variant,
      );
      pool = 'accepted';
    } catch (err) {
      pool = err?.code ?? String(err);
    }
    const workerMessages = m();
    const here = seen.map(([x, s]) => suite.verify(signer.publicKey, x, s));
    checks[name] = {
      pool,
      here: here.every(Boolean) ? 'all verify' : here.some(Boolean) ? 'some verify' : 'none verify',
      signatures: seen.length,
      workerMessages,
    };
  }
  m = since();
  const report = await ledger.verify({ workers: 2 });
  const verify = {
    ok: report.ok,
    problems: report.problems.length,
    signatures: report.stats.signatures,
    size: ledger.size,
    workerMessages: m(),
  };
  await ledger.close();
  return { signing, checks, verify };
}
