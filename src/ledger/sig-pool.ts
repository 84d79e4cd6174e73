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
  check(items: readonly SigItem[]): Promise<boolean[]> {
    const keyIndex = new Map<string, number>();
    const keys: Uint8Array[] = [];
    const keyIdx = new Uint32Array(items.length);
    let total = 0;
    let sigTotal = 0;
    for (const it of items) {
      total += it.entryBytes.length;
      sigTotal += it.signature.length;
    }
    const data = new Uint8Array(total);
    const offsets = new Uint32Array(items.length + 1);
    const sigs = new Uint8Array(sigTotal);
    const sigOffsets = new Uint32Array(items.length + 1);
    let off = 0;
    let sigOff = 0;
    // Callers pass the same key object for every signature by one signer: found by identity first, by value after.
    const byObject = new Map<Uint8Array, number>();
    items.forEach((it, i) => {
      let k = byObject.get(it.publicKey);
      if (k === undefined) {
        let s = '';
        for (let j = 0; j < it.publicKey.length; j++) s += String.fromCharCode(it.publicKey[j]!);
        k = keyIndex.get(s);
        if (k === undefined) {
          k = keys.length;
          keys.push(it.publicKey);
          keyIndex.set(s, k);
        }
        byObject.set(it.publicKey, k);
      }
      keyIdx[i] = k;
      data.set(it.entryBytes, off);
      offsets[i] = off;
      off += it.entryBytes.length;
      sigs.set(it.signature, sigOff);
      sigOffsets[i] = sigOff;
      sigOff += it.signature.length;
    });
    offsets[items.length] = off;
    sigOffsets[items.length] = sigOff;
    const job: SigJob = {
      alg: this.alg,
      context: this.context,
      keys,
      keyIdx,
      data,
      offsets,
      sigs,
      sigOffsets,
      count: items.length,
    };
    const out =
      this.pool === undefined
        ? new Promise<Uint8Array>((resolve) => resolve(checkHere(job)))
        : this.pool.run(job, [data.buffer, sigs.buffer, offsets.buffer, sigOffsets.buffer, keyIdx.buffer]);
    return out.then((res) => Array.from(res, (b) => b === 1));
  }

  /** Waits for the batches in flight, then stops the workers. */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}
