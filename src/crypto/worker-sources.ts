/**
 * Sources of worker tasks that hash or verify (src/workers/pool.ts runs them): strings evaluated in a worker that can
 * load only Node builtins, so they name node:crypto directly. They live here so that every hashing call stays in
 * src/crypto/ (test/architecture-suites.test.ts); the algorithm comes with each job (`opensslHashName`).
 */

/**
 * `job = { alg, sab, offset, length }` → node:crypto `alg` digest of those bytes of the SharedArrayBuffer, read in
 * place (no copy); the result buffer is transferred back.
 */
export const REGION_HASH_SOURCE = `(m) => (job) => {
    const d = m.crypto.createHash(job.alg).update(new Uint8Array(job.sab, job.offset, job.length)).digest();
    const out = new Uint8Array(d);
    return { result: out, transfer: [out.buffer] };
  }`;
