/**
 * Signature checks spread over worker threads (Node only). A pool checks one algorithm (`alg`, named by each job
 * too); its workers hold that algorithm's verifier (src/crypto/worker-verifiers.ts: Ed25519 through node:crypto's
 * verify, the same primitive as nodeSuite; SM2 through sm-crypto-v2's text inlined in the worker source, as
 * nodeSm2Suite). Cheap strict pre-checks that the suite applies before the curve check (lengths, S < L, key
 * acceptance) stay on the main thread: verify.ts vets each key once through `suite.verify` before sending its
 * signatures here.
 *
 * How workers start and fail: src/workers/pool.ts. When no worker can start, or the worker cannot have the
 * algorithm's verifier (SM2 without the library's text), the checks run on the calling thread (the suite's
 * `verify`) and `usesWorkers` says so; a worker that dies holding a batch rejects that batch with WorkerError
 * `WORKER_FAILED`.
 */
import { availableParallelism } from 'node:os';
import { concatBytes } from '../bytes';
import {
  DEFAULT_WORKER_ALGORITHM,
  MAIN_VERIFIERS,
  type WorkerAlgorithm,
  workerVerifierSource,
} from '../crypto/worker-verifiers';
import { WorkerPool } from '../workers/pool';

export type { WorkerAlgorithm } from '../crypto/worker-verifiers';

export interface SigItem {
  readonly publicKey: Uint8Array;
  /** Entry bytes; the worker prepends the context. */
  readonly entryBytes: Uint8Array;
  readonly signature: Uint8Array;
}

/** One batch: every signature in it uses `alg`. Offsets index `data` and `sigs` (n + 1 of each). */
interface SigJob {
  readonly alg: WorkerAlgorithm;
  readonly context: Uint8Array;
  readonly keys: Uint8Array[];
  readonly keyIdx: Uint32Array;
  readonly data: Uint8Array;
  readonly offsets: Uint32Array;
  readonly sigs: Uint8Array;
  readonly sigOffsets: Uint32Array;
  readonly count: number;
}

/** The task of a pool for one algorithm, whose worker verifier is `verifier` (worker-verifiers.ts). */
const sigTask = (alg: WorkerAlgorithm, verifier: string) => ({
  name: 'signature check',
  builtins: ['worker_threads', 'crypto'],
  source: `(m) => {
    const c = m.crypto;
    const verifiers = { ${JSON.stringify(alg)}: ${verifier} };
    return (job) => {
      const v = Object.prototype.hasOwnProperty.call(verifiers, job.alg) ? verifiers[job.alg] : undefined;
      if (v === undefined) throw new Error('unknown signature algorithm ' + job.alg);
      const keys = job.keys.map((k) => { try { return v.key(k); } catch { return undefined; } });
      const ctx = Buffer.from(job.context);
      const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
      const sigs = Buffer.from(job.sigs.buffer, job.sigs.byteOffset, job.sigs.byteLength);
      const out = new Uint8Array(job.count);
      // One message buffer for the batch: the context once, each entry's bytes copied after it (no allocation each).
      let longest = 0;
      for (let i = 0; i < job.count; i++) longest = Math.max(longest, job.offsets[i + 1] - job.offsets[i]);
      const msgBuf = Buffer.allocUnsafe(ctx.length + longest);
      ctx.copy(msgBuf, 0);
      for (let i = 0; i < job.count; i++) {
        const key = keys[job.keyIdx[i]];
        const len = data.copy(msgBuf, ctx.length, job.offsets[i], job.offsets[i + 1]);
        const msg = msgBuf.subarray(0, ctx.length + len);
        const sig = sigs.subarray(job.sigOffsets[i], job.sigOffsets[i + 1]);
        try { out[i] = key !== undefined && v.verify(key, msg, sig) ? 1 : 0; } catch { out[i] = 0; }
      }
      return { result: out, transfer: [out.buffer] };
    };
  }`,
  fallback: checkHere,
});

/** A batch on the calling thread: the suite's own `verify`, one signature after the other. */
function checkHere(job: SigJob): Uint8Array {
  const verify = MAIN_VERIFIERS[job.alg];
  const out = new Uint8Array(job.count);
  for (let i = 0; i < job.count; i++) {
    const message = concatBytes(job.context, job.data.subarray(job.offsets[i], job.offsets[i + 1]));
    const sig = job.sigs.subarray(job.sigOffsets[i], job.sigOffsets[i + 1]);
    try {
      out[i] = verify(job.keys[job.keyIdx[i]!]!, message, sig) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  return out;
}

export class SignaturePool {
  /** Undefined when the workers cannot have this algorithm's verifier: every batch is checked here. */
  private readonly pool: WorkerPool<SigJob, Uint8Array> | undefined;
  private readonly threads: number;

  /**
   * `verifier`: the worker's verifier source; by default the algorithm's own (worker-verifiers.ts), null for none
   * (the calling thread checks; tests use it for the case of SM2 without the library's text).
   */
  constructor(
    private readonly context: Uint8Array,
    size = Math.max(1, availableParallelism()),
    readonly alg: WorkerAlgorithm = DEFAULT_WORKER_ALGORITHM,
    verifier: string | null = workerVerifierSource(alg) ?? null,
  ) {
    if (!Object.hasOwn(MAIN_VERIFIERS, alg)) throw new RangeError(`unknown signature algorithm ${alg}`);
    this.threads = size;
    this.pool = verifier === null ? undefined : new WorkerPool(sigTask(alg, verifier), { size });
  }

  get size(): number {
    return this.threads;
  }

  /** False when batches are checked on the calling thread: no verifier for the workers, or no worker could start. */
  get usesWorkers(): boolean {
    return this.pool?.usesWorkers ?? false;
  }

  /**
   * Checks a batch; resolves to one boolean per item. Rejects with WorkerError `WORKER_FAILED` when the worker
   * holding it dies.
   */
  async check(items: readonly SigItem[]): Promise<boolean[]> {
    const batch = new SigBatch();
    for (const it of items) batch.add(it.publicKey, it.entryBytes, it.signature);
    return Array.from(await this.checkBatch(batch), (b) => b === 1);
  }

  /**
   * Checks a filled batch; resolves to one byte per signature, 1 when it verifies. The batch's buffers go to the
   * worker: it cannot be added to or sent again.
   */
  checkBatch(batch: SigBatch): Promise<Uint8Array> {
    const job = batch.job(this.alg, this.context);
    return this.pool === undefined
      ? new Promise<Uint8Array>((resolve) => resolve(checkHere(job)))
      : this.pool.run(job, [
          job.data.buffer,
          job.sigs.buffer,
          job.offsets.buffer,
          job.sigOffsets.buffer,
          job.keyIdx.buffer,
        ] as ArrayBuffer[]);
  }

  /** Waits for the batches in flight, then stops the workers. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/**
 * A batch of signatures being filled: each entry's bytes and signature are written straight into the buffers that are
 * transferred to the worker (no per-item objects, no second copy). Keys are listed once each: callers pass the same
 * key object for every signature by one signer, so a key is found by identity first, by value after.
 */
export class SigBatch {
  count = 0;
  private data: Uint8Array;
  private used = 0;
  private offsets = new Uint32Array(257);
  private sigs = new Uint8Array(256 * 64);
  private sigUsed = 0;
  private sigOffsets = new Uint32Array(257);
  private keyIdx = new Uint32Array(256);
  private readonly keys: Uint8Array[] = [];
  private readonly byObject = new Map<Uint8Array, number>();
  private readonly byValue = new Map<string, number>();
  private sent = false;

  /** `bytes`: room for this many entry bytes at first (it grows as needed). */
  constructor(bytes = 64 * 1024) {
    this.data = new Uint8Array(bytes);
  }

  add(publicKey: Uint8Array, entryBytes: Uint8Array, signature: Uint8Array): void {
    if (this.sent) throw new Error('SigBatch: already sent');
    const i = this.count;
    if (i + 1 >= this.offsets.length) {
      this.offsets = grown(this.offsets, 2 * this.offsets.length);
      this.sigOffsets = grown(this.sigOffsets, 2 * this.sigOffsets.length);
      this.keyIdx = grown(this.keyIdx, 2 * this.keyIdx.length);
    }
    if (this.used + entryBytes.length > this.data.length)
      this.data = grown(this.data, Math.max(2 * this.data.length, this.used + entryBytes.length));
    if (this.sigUsed + signature.length > this.sigs.length)
      this.sigs = grown(this.sigs, Math.max(2 * this.sigs.length, this.sigUsed + signature.length));
    this.keyIdx[i] = this.keyIndex(publicKey);
    this.offsets[i] = this.used;
    this.data.set(entryBytes, this.used);
    this.used += entryBytes.length;
    this.sigOffsets[i] = this.sigUsed;
    this.sigs.set(signature, this.sigUsed);
    this.sigUsed += signature.length;
    this.count = i + 1;
  }

  private keyIndex(publicKey: Uint8Array): number {
    let k = this.byObject.get(publicKey);
    if (k !== undefined) return k;
    let s = '';
    for (let j = 0; j < publicKey.length; j++) s += String.fromCharCode(publicKey[j]!);
    k = this.byValue.get(s);
    if (k === undefined) {
      k = this.keys.length;
      this.keys.push(publicKey);
      this.byValue.set(s, k);
    }
    this.byObject.set(publicKey, k);
    return k;
  }

  /** Entry bytes written so far. */
  get bytes(): number {
    return this.used;
  }

  /** The job for the worker (its buffers are then transferred: the batch is done). */
  job(alg: WorkerAlgorithm, context: Uint8Array): SigJob {
    if (this.sent) throw new Error('SigBatch: already sent');
    this.sent = true;
    this.offsets[this.count] = this.used;
    this.sigOffsets[this.count] = this.sigUsed;
    return {
      alg,
      context,
      keys: this.keys,
      keyIdx: this.keyIdx,
      data: this.data,
      offsets: this.offsets,
      sigs: this.sigs,
      sigOffsets: this.sigOffsets,
      count: this.count,
    };
  }
}

function grown<T extends Uint8Array | Uint32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a);
  return b;
}
