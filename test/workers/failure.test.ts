/**
 * Issue 20: a worker that cannot start, throws, exits or is killed mid-job becomes a coded error on the operation
 * that used it (or the stated fallback to the calling thread, docs/design/workers.md), with nothing written half-way,
 * and never an uncaught exception or unhandled rejection in the host.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { WorkerError } from '../../src/errors';
import { WorkerPool, type WorkerTask } from '../../src/workers/pool';

const ROOT = inject('packageRoot');

/** A task that squares numbers, and fails on demand: throws on -1, exits the thread on -2. */
function squares(source?: string): WorkerTask<number, number> & { fallbackCalls: number[] } {
  const fallbackCalls: number[] = [];
  return {
    name: 'square',
    builtins: ['worker_threads'],
    source:
      source ??
      `() => (n) => {
        if (n === -1) throw new Error('minus one');
        if (n === -2) process.exit(3);
        return { result: n * n };
      }`,
    fallback: (n) => {
      fallbackCalls.push(n);
      return n * n;
    },
    fallbackCalls,
  };
}

async function rejection(p: Promise<unknown>): Promise<WorkerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkerError);
  return err as WorkerError;
}

describe('WorkerPool: how a worker fails', () => {
  it('answers jobs on workers (no fallback when workers start)', async () => {
    const task = squares();
    const pool = new WorkerPool(task, { size: 2 });
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(n)))).toEqual([1, 4, 9, 16, 25]);
    expect(task.fallbackCalls).toEqual([]);
    expect(pool.usesWorkers).toBe(true);
    await pool.close();
  });

  it('a job that throws rejects with WORKER_FAILED; the worker and the other jobs live on', async () => {
    const task = squares();
    const pool = new WorkerPool(task, { size: 1 });
    const [a, b, c] = [pool.run(3), pool.run(-1), pool.run(4)];
    const err = await rejection(b);
    expect(err.code).toBe('WORKER_FAILED');
    expect(err.message).toMatch(/minus one/);
    expect([await a, await c]).toEqual([9, 16]);
    expect(await pool.run(6)).toBe(36);
    expect(task.fallbackCalls).toEqual([]);
    await pool.close();
  });

  it('a worker that exits holding jobs rejects those jobs with WORKER_FAILED; the next job gets a fresh worker', async () => {
    const task = squares();
    const pool = new WorkerPool(task, { size: 1 });
    expect(await pool.run(2)).toBe(4); // started and ready
    const held = [pool.run(-2), pool.run(5)];
    for (const p of held) expect((await rejection(p)).message).toMatch(/exited \(code 3\)/);
    expect(await pool.run(7)).toBe(49);
    expect(task.fallbackCalls).toEqual([]);
    await pool.close();
  });

  it('a worker that cannot start hands its queued jobs, and every later one, to the calling thread', async () => {
    const task = squares(`() => { throw new Error('no such runtime'); }`);
    const pool = new WorkerPool(task, { size: 2 });
    expect(await Promise.all([pool.run(2), pool.run(3)])).toEqual([4, 9]);
    expect(pool.usesWorkers).toBe(false);
    expect(await pool.run(4)).toBe(16);
    expect(task.fallbackCalls.sort()).toEqual([2, 3, 4]);
    await pool.close();
  });

  it('close() lets jobs in flight finish, then refuses new ones with WORKER_FAILED', async () => {
    const pool = new WorkerPool(squares(), { size: 1 });
    const inFlight = pool.run(9);
    await pool.close();
    expect(await inFlight).toBe(81);
    expect((await rejection(pool.run(1))).code).toBe('WORKER_FAILED');
  });
});

describe('an embedding host whose workers are terminated mid-job (built package)', () => {
  it('lives on: ingest, pooled signing and verify fail with coded errors, write nothing, and work on retry', async () => {
    const script = fileURLToPath(new URL('./kill-host.mjs', import.meta.url));
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn(process.execPath, [script, join(ROOT, 'dist', 'index.js')], { cwd: ROOT });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    // Exit 0: no uncaught exception, no unhandled rejection (the script installs no handler for either).
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!);
    expect(r.kills).toBe(3);
    // Ingest: coded error, nothing in objects/ and no temp file left; a retry stores the right bytes.
    expect(r.ingest.failed).toMatchObject({ ok: false, code: 'WORKER_FAILED', name: 'WorkerError' });
    expect(r.ingest).toMatchObject({
      objectsAfterFailure: 0,
      tmpAfterFailure: 0,
      retryDigestOk: true,
      retryCheck: 'CONTENT_OK',
    });
    // Signing: the append fails as a signer failure caused by the dead worker; the ledger did not grow.
    expect(r.signing.failed).toMatchObject({
      ok: false,
      code: 'CRYPTO_SIGNER_FAILED',
      cause: 'WORKER_FAILED',
    });
    expect(r.signing.sizeAfterFailure).toBe(r.signing.sizeBefore);
    expect(r.signing.sizeAfterRetry).toBe(r.signing.sizeBefore + 300);
    // Verify: a coded error (not damage reported against the log); the log verifies clean, also at rest.
    expect(r.verify.failed).toMatchObject({ ok: false, code: 'WORKER_FAILED' });
    expect(r.verify.retry).toEqual({ ok: true, problems: 0, signatures: r.signing.sizeAfterRetry });
    expect(r.verify.atRest).toEqual({ ok: true, size: r.signing.sizeAfterRetry });
  });
});
