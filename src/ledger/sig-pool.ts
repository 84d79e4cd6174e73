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
  /**
   * A shared batch (`SharedCheck`): its buffers are in shared memory, `ctrl[0]` is the next unclaimed index, and each
   * worker it is posted to claims signatures one at a time (Atomics.add on `ctrl[0]`), writing 1 (valid) or 2
   * (invalid) into `marks`, until none is left; the calling thread claims from the same counter.
   */
  readonly ctrl?: Int32Array;
  readonly marks?: Uint8Array;
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
      if (job.ctrl !== undefined) {
        // A shared batch: claim signatures until none is left (the calling thread claims from the same counter).
        let msgBuf = Buffer.alloc(0);
        for (;;) {
          const i = Atomics.add(job.ctrl, 0, 1);
          if (i >= job.count) break;
          const len = ctx.length + job.offsets[i + 1] - job.offsets[i];
          if (msgBuf.length < len) { msgBuf = Buffer.allocUnsafe(2 * len); ctx.copy(msgBuf, 0); }
          data.copy(msgBuf, ctx.length, job.offsets[i], job.offsets[i + 1]);
          const key = keys[job.keyIdx[i]];
          let ok = false;
          try { ok = key !== undefined && v.verify(key, msgBuf.subarray(0, len), sigs.subarray(job.sigOffsets[i], job.sigOffsets[i + 1])); } catch {}
          job.marks[i] = ok ? 1 : 2;
        }
        return { result: new Uint8Array(0) };
      }
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

/**
 * A batch on the calling thread: the suite's own `verify`, one signature after the other. A shared batch is left to
 * its `SharedCheck`, which checks here what no worker claimed.
 */
function checkHere(job: SigJob): Uint8Array {
  if (job.ctrl !== undefined) return new Uint8Array(0);
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

  /**
   * Checks `items` on the workers and the calling thread together (see SharedCheck): the job is posted to up to
   * `size` workers at once, and `here(i)` checks item i on the calling thread when `SharedCheck.help` claims it (or
   * when no worker could take it).
   */
  share(items: readonly SigItem[], here: (i: number) => boolean): SharedCheck {
    const check = new SharedCheck(items, here);
    const job = check.job(this.alg, this.context);
    const runs: Array<Promise<unknown>> = [];
    if (this.pool !== undefined) {
      // A worker for every 16 signatures at most: a message and a wake-up cost more than a few checks.
      const workers = Math.min(this.threads, Math.ceil(items.length / 16));
      for (let w = 0; w < workers; w++) runs.push(this.pool.run(job));
    }
    check.watch(runs);
    return check;
  }

  /** Waits for the batches in flight, then stops the workers. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/**
 * Signatures checked by worker threads and the calling thread together. The entries, signatures and keys are copied
 * once into shared memory; every signature is claimed by whoever is free first (an atomic counter), so a
 * signature is checked exactly once, and the answer does not depend on who checked it (the workers run the same
 * OpenSSL call as the suite). The calling thread claims what is left when it calls `help` — when it would otherwise
 * wait — so the workers check in parallel while it has other work, and it checks the rest itself alongside them
 * instead of waiting for them to get through it. `result` resolves once every worker has answered and every signature
 * is checked; a worker that fails is no reason to refuse good signatures: what it held is checked here.
 */
export class SharedCheck {
  readonly count: number;
  private readonly ctrl: Int32Array;
  /** Per signature: 0 not checked yet, 1 valid, 2 invalid. */
  private readonly marks: Uint8Array;
  /** The entries, signatures and keys, written once into shared memory (sized exactly: it never grows). */
  private readonly batch: SigBatch;
  private resolve!: (ok: boolean[]) => void;
  /** One boolean per item, once every item is checked. */
  readonly result: Promise<boolean[]>;

  constructor(
    items: readonly SigItem[],
    private readonly here: (i: number) => boolean,
  ) {
    const n = items.length;
    this.count = n;
    let bytes = 0;
    let sigBytes = 0;
    for (const it of items) {
      bytes += it.entryBytes.length;
      sigBytes += it.signature.length;
    }
    this.ctrl = new Int32Array(new SharedArrayBuffer(4));
    this.marks = new Uint8Array(new SharedArrayBuffer(n));
    this.batch = new SigBatch(bytes, { count: n, sigBytes, shared: true });
    for (const it of items) this.batch.add(it.publicKey, it.entryBytes, it.signature);
    this.result = new Promise((r) => {
      this.resolve = r;
    });
  }

  /** The job posted to each worker: the same shared buffers for all. */
  job(alg: WorkerAlgorithm, context: Uint8Array): SigJob {
    return { ...this.batch.job(alg, context), ctrl: this.ctrl, marks: this.marks };
  }

  /** Checks, on the calling thread, every signature no one has claimed yet. */
  help(): void {
    for (;;) {
      const i = Atomics.add(this.ctrl, 0, 1);
      if (i >= this.count) break;
      this.marks[i] = this.here(i) ? 1 : 2;
    }
  }

  /**
   * Settles `result` once every worker the job was posted to has answered (each answers when no signature is left to
   * claim, so at most one check after the last is claimed): what is still unchecked then — claimed by a worker that
   * failed, or by no one — is checked here.
   */
  watch(runs: ReadonlyArray<Promise<unknown>>): void {
    Promise.allSettled(runs).then(() => {
      for (let i = 0; i < this.count; i++) if (this.marks[i] === 0) this.marks[i] = this.here(i) ? 1 : 2;
      this.resolve(Array.from(this.marks, (m) => m === 1));
    });
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
  private offsets: Uint32Array;
  private sigs: Uint8Array;
  private sigUsed = 0;
  private sigOffsets: Uint32Array;
  private keyIdx: Uint32Array;
  private readonly keys: Uint8Array[] = [];
  private readonly byObject = new Map<Uint8Array, number>();
  private readonly byValue = new Map<string, number>();
  private readonly shared: boolean;
  private sent = false;

  /**
   * `bytes`: room for this many entry bytes at first; `count` signatures of `sigBytes` bytes in all (256 of 64 bytes
   * by default); the buffers grow as needed. `shared`: the buffers are in shared memory (SharedCheck), not transferred.
   */
  constructor(bytes = 64 * 1024, opts: { count?: number; sigBytes?: number; shared?: boolean } = {}) {
    const count = opts.count ?? 256;
    this.shared = opts.shared ?? false;
    this.data = this.alloc(Uint8Array, bytes);
    this.offsets = this.alloc(Uint32Array, count + 1);
    this.sigs = this.alloc(Uint8Array, opts.sigBytes ?? count * 64);
    this.sigOffsets = this.alloc(Uint32Array, count + 1);
    this.keyIdx = this.alloc(Uint32Array, count);
  }

  private alloc<T extends Uint8Array | Uint32Array>(
    Ctor: { new (n: number): T; new (b: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number },
    length: number,
  ): T {
    return this.shared ? new Ctor(new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT)) : new Ctor(length);
  }

  private grown<T extends Uint8Array | Uint32Array>(a: T, length: number): T {
    const b = this.alloc(a.constructor as typeof Uint8Array, length) as T;
    b.set(a);
    return b;
  }

  add(publicKey: Uint8Array, entryBytes: Uint8Array, signature: Uint8Array): void {
    if (this.sent) throw new Error('SigBatch: already sent');
    const i = this.count;
    if (i + 1 >= this.offsets.length) {
      this.offsets = this.grown(this.offsets, 2 * this.offsets.length);
      this.sigOffsets = this.grown(this.sigOffsets, 2 * this.sigOffsets.length);
      this.keyIdx = this.grown(this.keyIdx, 2 * this.keyIdx.length);
    }
    if (this.used + entryBytes.length > this.data.length)
      this.data = this.grown(this.data, Math.max(2 * this.data.length, this.used + entryBytes.length));
    if (this.sigUsed + signature.length > this.sigs.length)
      this.sigs = this.grown(this.sigs, Math.max(2 * this.sigs.length, this.sigUsed + signature.length));
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
