/**
 * A small pool of worker threads that run one task, started so that they work in any Node host and can never take
 * the host down (docs/design/workers.md).
 *
 * Start: the task is self-contained JavaScript evaluated in the worker (`eval: true`), with `execArgv: []` and an
 * empty `env`, so the worker is a bare Node: no `--input-type`, `--import`, `--loader` or `--require` of the host
 * (from its command line or NODE_OPTIONS) reaches it, and no file has to be found next to a bundle. The source loads
 * builtins with `import()` only, which works whether Node reads it as CommonJS or as a module.
 *
 * Failure: a worker that cannot start (the constructor throws, or it errors or exits before saying it is ready) makes
 * the pool fall back to the task's main-thread implementation for every job, now and later. Jobs wait in this
 * thread until their worker is ready, so none is lost to a worker that never started. A worker that throws on a job,
 * or exits, errors or is terminated while holding jobs, rejects exactly those jobs with WorkerError
 * `WORKER_FAILED`; its slot starts a fresh worker for the next job. Every worker event has a listener, so nothing
 * reaches the host as an uncaught exception.
 */
import { type Transferable, Worker } from 'node:worker_threads';
import { WorkerError } from '../errors';

/** What a worker runs. */
export interface WorkerTask<J, R> {
  /** Names the pool in error messages, e.g. `signature check`. */
  readonly name: string;
  /**
   * JavaScript text of an expression evaluating to `(modules, workerData) => handler`, where `modules` holds the
   * builtins named in `builtins` (by name, without `node:`) and `handler(job)` returns `{ result, transfer? }` or
   * throws. It runs in a bare worker: only builtins, no packages, no `require`.
   */
  readonly source: string;
  readonly builtins: readonly string[];
  /** The same job on the calling thread: used when no worker can start. */
  readonly fallback: (job: J) => R | Promise<R>;
}

export interface WorkerPoolOptions {
  readonly size: number;
  /** Passed to every worker (structured-cloned). */
  readonly workerData?: unknown;
}

interface Pending<R> {
  readonly job: unknown;
  readonly transfer: readonly Transferable[];
  readonly resolve: (r: R) => void;
  readonly reject: (err: unknown) => void;
}

interface Slot<R> {
  worker: Worker;
  ready: boolean;
  /** Jobs waiting for the worker to become ready (posted when it does). */
  queued: Array<Pending<R>>;
  /** Jobs posted to the worker, by id. */
  posted: Map<number, Pending<R>>;
}

/** The worker's whole program: load builtins, build the handler, answer jobs, say ready. */
function program(task: WorkerTask<unknown, unknown>): string {
  const names = JSON.stringify(task.builtins);
  return `'use strict';
Promise.all(${names}.map((n) => import('node:' + n))).then((loaded) => {
  const { parentPort, workerData } = loaded[${task.builtins.indexOf('worker_threads')}];
  const modules = {};
  ${names}.forEach((n, i) => { modules[n] = loaded[i]; });
  const handler = (${task.source})(modules, workerData);
  parentPort.on('message', (m) => {
    let out;
    try {
      out = handler(m.job);
    } catch (err) {
      parentPort.postMessage({ id: m.id, error: String((err && err.message) || err) });
      return;
    }
    parentPort.postMessage({ id: m.id, result: out.result }, out.transfer || []);
  });
  parentPort.postMessage({ ready: true });
});
`;
}

export class WorkerPool<J, R> {
  private readonly slots: Array<Slot<R> | undefined>;
  private readonly code: string;
  private nextId = 0;
  private unavailable = false;
  private closed = false;
  /** Jobs handed to workers and not yet settled, and who waits for them to be none. */
  private inFlight = 0;
  private idle: Array<() => void> = [];

  constructor(
    private readonly task: WorkerTask<J, R>,
    private readonly options: WorkerPoolOptions,
  ) {
    if (!task.builtins.includes('worker_threads'))
      throw new TypeError('task.builtins must name worker_threads');
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('options.size must be ≥ 1');
    this.slots = new Array(options.size).fill(undefined);
    this.code = program(task as WorkerTask<unknown, unknown>);
  }

  get size(): number {
    return this.slots.length;
  }

  /** False once a worker failed to start: every job then runs on the calling thread. */
  get usesWorkers(): boolean {
    return !this.unavailable;
  }

  /**
   * Runs `job` on a worker (the least busy one). `transfer` lists buffers of the job to move rather than copy; they
   * are moved only once the worker is ready, so the fallback can still read them.
   */
  run(job: J, transfer: readonly Transferable[] = []): Promise<R> {
    if (this.closed)
      return Promise.reject(new WorkerError('WORKER_FAILED', `${this.task.name} pool is closed`));
    if (this.unavailable) return this.fallback(job);
    const slot = this.pick();
    if (slot === undefined) return this.fallback(job);
    this.inFlight++;
    return new Promise<R>((resolve, reject) => {
      const done = () => {
        if (--this.inFlight === 0) for (const wake of this.idle.splice(0)) wake();
      };
      const p: Pending<R> = {
        job,
        transfer,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      if (slot.ready) this.post(slot, p);
      else slot.queued.push(p);
      slot.worker.ref();
    });
  }

  /** Waits for the jobs in flight, then stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.inFlight > 0) await new Promise<void>((wake) => this.idle.push(wake));
    const live = this.slots.filter((s): s is Slot<R> => s !== undefined);
    this.slots.fill(undefined);
    await Promise.all(live.map((s) => s.worker.terminate().catch(() => {})));
  }

  private fallback(job: J): Promise<R> {
    return new Promise<R>((resolve) => resolve(this.task.fallback(job)));
  }

  private pick(): Slot<R> | undefined {
    let best: Slot<R> | undefined;
    for (let i = 0; i < this.slots.length; i++) {
      let s = this.slots[i];
      if (s === undefined) {
        s = this.start(i);
        if (s === undefined) return undefined;
      }
      if (best === undefined || load(s) < load(best)) best = s;
      if (load(s) === 0) break;
    }
    return best;
  }

  private start(i: number): Slot<R> | undefined {
    let worker: Worker;
    try {
      worker = new Worker(this.code, {
        eval: true,
        execArgv: [],
        env: {},
        workerData: this.options.workerData,
      });
    } catch {
      // Worker threads refused (e.g. the permission model without --allow-worker): this thread does the work.
      this.unavailable = true;
      return undefined;
    }
    worker.unref();
    const slot: Slot<R> = { worker, ready: false, queued: [], posted: new Map() };
    this.slots[i] = slot;
    const gone = (why: string, cause?: unknown) => {
      if (this.slots[i] === slot) this.slots[i] = undefined;
      if (!slot.ready) {
        this.unavailable = true;
        for (const p of slot.queued.splice(0)) this.fallback(p.job as J).then(p.resolve, p.reject);
      }
      const err = new WorkerError('WORKER_FAILED', `${this.task.name} worker ${why}`, { cause });
      for (const p of slot.posted.values()) p.reject(err);
      slot.posted.clear();
    };
    worker.on('message', (m: { ready?: true; id?: number; result?: R; error?: string }) => {
      if (m.ready) {
        slot.ready = true;
        for (const p of slot.queued.splice(0)) this.post(slot, p);
        return;
      }
      const p = slot.posted.get(m.id!);
      if (p === undefined) return;
      slot.posted.delete(m.id!);
      if (load(slot) === 0) worker.unref();
      if (m.error !== undefined)
        p.reject(new WorkerError('WORKER_FAILED', `${this.task.name} worker failed: ${m.error}`));
      else p.resolve(m.result as R);
    });
    worker.on('messageerror', (err) => gone('received a message it could not read', err));
    worker.on('error', (err) => gone(`failed: ${err?.message ?? err}`, err));
    worker.on('exit', (code) => gone(`exited (code ${code})`));
    return slot;
  }

  private post(slot: Slot<R>, p: Pending<R>): void {
    const id = this.nextId++;
    slot.posted.set(id, p);
    try {
      slot.worker.postMessage({ id, job: p.job }, p.transfer);
    } catch (err) {
      slot.posted.delete(id);
      p.reject(new WorkerError('WORKER_FAILED', `${this.task.name} job could not be posted`, { cause: err }));
    }
  }
}

function load<R>(s: Slot<R>): number {
  return s.queued.length + s.posted.size;
}
