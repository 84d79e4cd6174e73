/**
 * Ed25519 signature checks spread over worker threads (Node only). The worker is plain JavaScript evaluated from a
 * string, so it needs no build step and no loader; it calls node:crypto's verify, the same primitive as nodeSuite.
 * Cheap strict-RFC 8032 pre-checks that nodeSuite applies before OpenSSL (lengths, S < L, key acceptance) run on
 * the main thread through `suite.verify` semantics: keys are vetted once by `acceptKey`, signatures by `sValid`.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
parentPort.on('message', (job) => {
  const keys = job.keys.map((k) => crypto.createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(k)]), format: 'der', type: 'spki' }));
  const ctx = Buffer.from(job.context);
  const out = new Uint8Array(job.count);
  const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
  for (let i = 0; i < job.count; i++) {
    const off = job.offsets[i], end = job.offsets[i + 1];
    const msg = Buffer.concat([ctx, data.subarray(off, end)]);
    const sig = Buffer.from(job.sigs.buffer, job.sigs.byteOffset + i * 64, 64);
    try { out[i] = crypto.verify(null, msg, keys[job.keyIdx[i]], sig) ? 1 : 0; } catch { out[i] = 0; }
  }
  parentPort.postMessage({ id: job.id, out }, [out.buffer]);
});
`;

export interface SigItem {
  readonly publicKey: Uint8Array;
  /** Entry bytes; the worker prepends the context. */
  readonly entryBytes: Uint8Array;
  readonly signature: Uint8Array;
}

export class SignaturePool {
  private readonly workers: Worker[] = [];
  private next = 0;
  private jobId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (r: Uint8Array) => void; reject: (e: unknown) => void }
  >();

  constructor(
    private readonly context: Uint8Array,
    size = Math.max(1, availableParallelism()),
  ) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number; out: Uint8Array }) => {
        const p = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        p?.resolve(m.out);
      });
      w.on('error', (err) => {
        for (const p of this.waiting.values()) p.reject(err);
        this.waiting.clear();
      });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Checks a batch; resolves to one boolean per item. */
  check(items: readonly SigItem[]): Promise<boolean[]> {
    const keyIndex = new Map<string, number>();
    const keys: Uint8Array[] = [];
    const keyIdx = new Uint32Array(items.length);
    let total = 0;
    for (const it of items) total += it.entryBytes.length;
    const data = new Uint8Array(total);
    const offsets = new Uint32Array(items.length + 1);
    const sigs = new Uint8Array(items.length * 64);
    let off = 0;
    items.forEach((it, i) => {
      let s = '';
      for (let j = 0; j < it.publicKey.length; j++) s += String.fromCharCode(it.publicKey[j]!);
      let k = keyIndex.get(s);
      if (k === undefined) {
        k = keys.length;
        keys.push(it.publicKey);
        keyIndex.set(s, k);
      }
      keyIdx[i] = k;
      data.set(it.entryBytes, off);
      offsets[i] = off;
      off += it.entryBytes.length;
      sigs.set(it.signature, i * 64);
    });
    offsets[items.length] = off;
    const id = ++this.jobId;
    const worker = this.workers[this.next++ % this.workers.length]!;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage(
        { id, keys, keyIdx, data, offsets, sigs, count: items.length, context: this.context },
        [data.buffer, sigs.buffer, offsets.buffer, keyIdx.buffer],
      );
    }).then((out) => Array.from(out, (b) => b === 1));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
