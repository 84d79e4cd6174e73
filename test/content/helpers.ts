/** Test helpers for the content store. The Merkle fold here is written from RFC 9162 §2.1.1, not src/merkle. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleChild } from '../setup/bundle-child';

export const MiB = 1_048_576;

export function tempDir(prefix = 'el-content-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic pseudo-random bytes (xorshift32), fast enough for tens of MiB. */
export function pseudoRandomBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  const words = new Uint32Array(out.buffer, 0, size >>> 2);
  let x = seed >>> 0 || 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function writeRandomFile(path: string, size: number, seed: number): Uint8Array {
  const bytes = pseudoRandomBytes(size, seed);
  writeFileSync(path, bytes);
  return bytes;
}

/** OpenSSL's name of a hash: `sha256` (ed25519-sha256 ledgers) or `sm3` (sm2-sm3 ledgers). */
export type HashName = 'sha256' | 'sm3';

function digestOf(alg: HashName, parts: readonly Uint8Array[]): Uint8Array {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export function sha256(...parts: Uint8Array[]): Uint8Array {
  return digestOf('sha256', parts);
}

export function sm3(...parts: Uint8Array[]): Uint8Array {
  return digestOf('sm3', parts);
}

/** SHA-256 of a file as printed by `openssl dgst -sha256 -r` (an independent implementation, spawned). */
export function opensslSha256(path: string, alg: HashName = 'sha256'): string {
  const out = execFileSync('openssl', ['dgst', `-${alg}`, '-r', path], { encoding: 'utf8' });
  return out.split(' ')[0]!.trim();
}

/** RFC 9162 §2.1.1 MTH, recursive definition, over the file's 1 MiB chunks with leaf = H(0x00 ‖ chunk). */
export function independentChunkRoot(bytes: Uint8Array, chunk = MiB, alg: HashName = 'sha256'): Uint8Array {
  const h = (...parts: Uint8Array[]) => digestOf(alg, parts);
  const mth = (d: Uint8Array[]): Uint8Array => {
    if (d.length === 0) return h(new Uint8Array(0));
    if (d.length === 1) return d[0]!;
    let k = 1;
    while (k << 1 < d.length) k <<= 1;
    return h(Uint8Array.of(1), mth(d.slice(0, k)), mth(d.slice(k)));
  };
  return mth(independentLeaves(bytes, chunk, alg));
}

export function independentLeaves(bytes: Uint8Array, chunk = MiB, alg: HashName = 'sha256'): Uint8Array[] {
  const leaves: Uint8Array[] = [];
  for (let off = 0; off < bytes.length; off += chunk) {
    leaves.push(digestOf(alg, [Uint8Array.of(0), bytes.subarray(off, off + chunk)]));
  }
  return leaves;
}

/** Every regular file under `dir`, relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out.push(`${rel}${name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Yields `bytes` in pieces of pseudo-random sizes (1 byte to 300 KiB), to exercise chunk assembly. */
export async function* pieces(bytes: Uint8Array, seed: number): AsyncGenerator<Uint8Array> {
  let x = seed >>> 0 || 1;
  for (let off = 0; off < bytes.length; ) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const n = 1 + ((x >>> 0) % (300 * 1024));
    yield bytes.slice(off, off + n);
    off += n;
  }
}

/** The stream test/content/child.ts ingests: `mib` MiB in 256 KiB blocks, optionally slowed by `delayMs` per block. */
export async function* generatedStream(mib: number, delayMs = 0): AsyncGenerator<Uint8Array> {
  const block = pseudoRandomBytes(256 * 1024, 7);
  for (let i = 0; i < mib * 4; i++) {
    block[0] = i & 0xff;
    yield block.slice();
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  }
}

export interface Child {
  readonly proc: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (already printed or to come) matching `re`. */
  waitFor(re: RegExp): Promise<string>;
  readonly exited: Promise<number | null>;
  stderr(): string;
}

/** child.ts bundled once per test file (test/setup/bundle-child.ts): node starts it without tsx. */
let childScript: Promise<string> | undefined;

export async function startChild(args: string[]): Promise<Child> {
  childScript ??= bundleChild(fileURLToPath(new URL('./child.ts', import.meta.url)));
  const proc = spawn(process.execPath, [await childScript, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  let buf = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.re.test(line)) waiters.splice(i, 1)[0]!.resolve(line);
      }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    waitFor(re) {
      const seen = lines.find((l) => re.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        void exited.then(() => reject(new Error(`child exited before printing ${re}; stderr: ${err}`)));
      });
    },
  };
}
