/**
 * The one streaming pass behind ingest, hashing and verification: each 1 MiB chunk is read once into a slot of a
 * small shared buffer, then (1) fed to the whole-file hash (the suite's: SHA-256 or SM3) on this thread, (2) leaf-hashed in place on the leaf
 * worker, (3) optionally written to a sink file. The next chunk is read while the current one is hashed. Memory is
 * SLOTS × 1 MiB plus 32 bytes per chunk of leaf hashes; the source is pulled only when a slot is free (backpressure).
 *
 * The sink (ingest's temporary file) is written with O_DIRECT where the platform and file system allow it: the
 * chunk goes from the slot to the device without a copy into the page cache. Buffered writes of a new 1 GiB file
 * cost 1.5–2 CPU s here (page allocation and copy, then writeback), more than the two hashes together; direct
 * writes cost about 0.2 s (bench/RESULTS.md). O_DIRECT needs the buffer address, file offset and length aligned to
 * the device's block size: slots are placed at an offset found by probing (see `Sink`), the last chunk is written
 * rounded up and the file truncated to its size at the end. Where O_DIRECT is refused, the sink is buffered.
 */
import { constants as fsConstants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type StreamingHash, createStreamingHash, suiteById } from '../crypto/node-registry';
import type { CryptoSuite, HashFn, SuiteId } from '../crypto/types';
import { StorageError } from '../errors';
import { SUITE_ID } from '../ledger/registry';
import { CHUNK_SIZE, LEAF_HASH_LENGTH, chunkCount, chunkRootOf } from './chunks';
import { hashRegion } from './leaf-worker';
import type { ContentSource, PassOptions } from './store';

/**
 * Slots in flight: one being read, one being hashed, the rest awaiting their leaf hash or write. Eight (8 MiB) let
 * this thread run further ahead of the leaf worker and the I/O threads when the OS schedules them unevenly: in A/B
 * runs against four, put was ≈ 3 % faster (median of 12 interleaved rounds, 1 GiB); more did not help.
 */
const SLOTS = 8;
/** Largest buffer alignment O_DIRECT may need (a page); slot data starts are multiples of it apart. */
const DIRECT_ALIGN = 4096;
/** Slot k's data starts at base + k·SLOT_STRIDE; the byte before it holds the 0x00 leaf prefix. */
const SLOT_STRIDE = CHUNK_SIZE + DIRECT_ALIGN;
/** Room for the base: up to DIRECT_ALIGN + 8 bytes in (it is ≥ 1 so the prefix byte fits in front). */
const SAB_BYTES = DIRECT_ALIGN + 8 + SLOTS * SLOT_STRIDE;
/** Base used when no direct sink needs alignment. */
const DEFAULT_BASE = 8;

export interface EngineOptions extends PassOptions {
  /** Compute chunk leaf hashes and chunkRoot (default true). */
  readonly leaves?: boolean;
  /** Also return the hash of the first `prefixAt` bytes when the content reaches that length. */
  readonly prefixAt?: number;
  /** Write every byte to this file, at the same offsets. */
  readonly sink?: Sink;
}

export interface PassResult {
  readonly digest: Uint8Array;
  readonly size: number;
  /** Concatenated chunk leaf hashes (empty when `leaves` is false). */
  readonly leafHashes: Uint8Array;
  /** Present when `leaves` is not false. */
  readonly chunkRoot?: Uint8Array;
  readonly prefixDigest?: Uint8Array;
}

const noop = (): void => {};

/**
 * Slot buffers are reused across passes: the leaf worker keeps a reference to every SharedArrayBuffer it was sent
 * until its own (rare, it allocates little) garbage collection, so a fresh buffer per pass grew RSS by 4 MiB per
 * pass here; reusing them keeps it flat.
 */
const idleBuffers: SharedArrayBuffer[] = [];
const MAX_IDLE_BUFFERS = 4;
/** Per buffer, the base offset found to give O_DIRECT-aligned slots. */
const directBase = new WeakMap<SharedArrayBuffer, number>();

const O_DIRECT: number | undefined = (fsConstants as { O_DIRECT?: number }).O_DIRECT;

/**
 * A new file that a pass writes every byte into, at the same offsets: opened with O_DIRECT when the platform has it
 * and the file system accepts it, else buffered. `finish` sets the exact size and fsyncs.
 */
export class Sink {
  private constructor(
    readonly path: string,
    private readonly mode: number,
    private handle: FileHandle,
    private isDirect: boolean,
  ) {}

  /** Creates `path` (it must not exist) with `mode`; `direct: false` forces buffered writes. */
  static async create(path: string, mode: number, opts: { direct?: boolean } = {}): Promise<Sink> {
    const flags = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL;
    if (O_DIRECT !== undefined && opts.direct !== false) {
      try {
        return new Sink(path, mode, await open(path, flags | O_DIRECT, mode), true);
      } catch (err) {
        // EINVAL: the file system has no O_DIRECT. The failed open may still have created the file.
        if ((err as { code?: unknown }).code !== 'EINVAL') throw err;
        await rmQuiet(path);
      }
    }
    return new Sink(path, mode, await open(path, flags, mode), false);
  }

  get fh(): FileHandle {
    return this.handle;
  }

  get direct(): boolean {
    return this.isDirect;
  }

  /**
   * Finds the offset in `sab` from which slot data is aligned for this file's O_DIRECT writes, by writing one
   * page at file offset 0 from candidate offsets (overwritten or truncated away later). When none works, reopens
   * the file buffered. Returns the base offset to use.
   */
  async align(sab: SharedArrayBuffer): Promise<number> {
    if (!this.isDirect) return DEFAULT_BASE;
    const known = directBase.get(sab);
    if (known !== undefined && (await this.tryWrite(sab, known))) return known;
    // V8 backing stores are at least 8-byte aligned; a page holds every residue a device can ask for.
    for (let base = 8; base <= DIRECT_ALIGN + 8; base += 8) {
      if (await this.tryWrite(sab, base)) {
        directBase.set(sab, base);
        return base;
      }
    }
    // No aligned offset accepted (an unusual device): fall back to buffered writes. The file is created anew rather
    // than reopened: its mode may be read-only (0444), which only the creating open may write through.
    await this.handle.close();
    await rm(this.path, { force: true });
    this.handle = await open(
      this.path,
      fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL,
      this.mode,
    );
    this.isDirect = false;
    return DEFAULT_BASE;
  }

  private async tryWrite(sab: SharedArrayBuffer, base: number): Promise<boolean> {
    try {
      await this.handle.write(new Uint8Array(sab, base, DIRECT_ALIGN), 0, DIRECT_ALIGN, 0);
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code === 'EINVAL') return false;
      throw ioError(err, 'cannot write temporary file');
    }
  }

  /** Writes `n` bytes of `view` (a slot) at `position`; a direct sink writes whole blocks (the tail is cut later). */
  async write(view: Uint8Array, n: number, position: number): Promise<void> {
    const len = this.isDirect ? Math.ceil(n / DIRECT_ALIGN) * DIRECT_ALIGN : n;
    let bytesWritten: number;
    try {
      ({ bytesWritten } = await this.handle.write(view, 0, len, position));
    } catch (err) {
      throw ioError(err, 'cannot write temporary file');
    }
    if (bytesWritten !== len) throw new StorageError('STORAGE_IO', 'short write to temporary file');
  }

  /** Sets the file's length to `size` (cutting a direct sink's padding and any probe block) and fsyncs it. */
  async finish(size: number): Promise<void> {
    try {
      await this.handle.truncate(size);
      await this.handle.sync();
    } catch (err) {
      throw ioError(err, 'cannot fsync temporary file');
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

async function rmQuiet(path: string): Promise<void> {
  await rm(path, { force: true }).catch(noop);
}

function ioError(err: unknown, what: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT')
    return new StorageError('STORAGE_NOT_FOUND', `${what}: no such file`, { cause: err });
  if (typeof code === 'string') return new StorageError('STORAGE_IO', `${what}: ${code}`, { cause: err });
  return err;
}

/** Opens a path source for reading; StorageError STORAGE_NOT_FOUND / STORAGE_IO on failure. */
export async function openSource(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (err) {
    throw ioError(err, `cannot open ${path}`);
  }
}

export async function runPass(source: ContentSource, opts: EngineOptions = {}): Promise<PassResult> {
  if (typeof source === 'string') {
    if (source === '') throw new TypeError('source must be a non-empty path or a stream');
    const fh = await openSource(source);
    try {
      return await runFilePass(fh, source, opts);
    } finally {
      await fh.close();
    }
  }
  if (source === null || typeof source !== 'object') throw new TypeError('source must be a path or a stream');
  const iterable: AsyncIterable<unknown> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<unknown>)
      : new Readable().wrap(source as NodeJS.ReadableStream);
  return runStreamPass(opts.signal === undefined ? iterable : abortable(iterable, opts.signal), opts);
}

/** Ends the iteration as soon as `signal` aborts, even while the source is stalled (and tells the source to stop). */
async function* abortable<T>(iterable: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const it = iterable[Symbol.asyncIterator]();
  let onAbort = noop;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(noop);
  try {
    for (;;) {
      signal.throwIfAborted();
      const r = await Promise.race([it.next(), aborted]);
      if (r.done === true) return;
      yield r.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: a stalled source may never settle its pending next().
    it.return?.()?.catch(noop);
  }
}

/** Runs a pass over an open file from its current position (reads into the slots directly, no copy). */
export async function runFilePass(fh: FileHandle, name: string, opts: EngineOptions): Promise<PassResult> {
  let totalBytes: number;
  try {
    totalBytes = (await fh.stat()).size;
  } catch (err) {
    throw ioError(err, `cannot stat ${name}`);
  }
  const pass = await Pass.start(opts, totalBytes);
  const fill = async (slot: number): Promise<number> => {
    const view = pass.slotView(slot);
    let got = 0;
    while (got < CHUNK_SIZE) {
      let n: number;
      try {
        n = (await fh.read(view, got, CHUNK_SIZE - got, null)).bytesRead;
      } catch (err) {
        throw ioError(err, `cannot read ${name}`);
      }
      if (n === 0) break;
      got += n;
    }
    return got;
  };
  let reading: Promise<number> = Promise.resolve(0);
  try {
    let slot = 0;
    reading = fill(0);
    reading.catch(noop);
    for (;;) {
      const n = await reading;
      if (n === 0) break;
      const next = (slot + 1) % SLOTS;
      await pass.free(next);
      // A short fill means end of file was reached.
      reading = n === CHUNK_SIZE ? fill(next) : Promise.resolve(0);
      reading.catch(noop);
      pass.chunk(slot, n);
      slot = next;
    }
    return await pass.finish();
  } finally {
    // A read still in flight writes into a slot: wait for it before the buffer is reused or the file closed.
    await reading.catch(noop);
    await pass.settle();
  }
}

async function runStreamPass(iterable: AsyncIterable<unknown>, opts: EngineOptions): Promise<PassResult> {
  const pass = await Pass.start(opts, undefined);
  try {
    let slot = 0;
    let filled = 0;
    let view = pass.slotView(0);
    for await (const piece of iterable) {
      if (!(piece instanceof Uint8Array)) throw new TypeError('source must yield Uint8Array chunks');
      let off = 0;
      while (off < piece.length) {
        const take = Math.min(CHUNK_SIZE - filled, piece.length - off);
        view.set(piece.subarray(off, off + take), filled);
        filled += take;
        off += take;
        if (filled === CHUNK_SIZE) {
          pass.chunk(slot, filled);
          slot = (slot + 1) % SLOTS;
          await pass.free(slot);
          view = pass.slotView(slot);
          filled = 0;
        }
      }
    }
    if (filled > 0) pass.chunk(slot, filled);
    return await pass.finish();
  } finally {
    await pass.settle();
  }
}

class Pass {
  private released = false;
  private readonly views: Buffer[] = [];
  private readonly busy: Array<Promise<unknown>> = new Array(SLOTS).fill(Promise.resolve());
  private readonly suite: SuiteId;
  private readonly hash: HashFn;
  private readonly whole: StreamingHash;
  private readonly wantLeaves: boolean;
  private leaves: Uint8Array;
  private prefixDigest: Uint8Array | undefined;
  private size = 0;
  private index = 0;

  /** Takes a slot buffer, aligns the slots for the sink when it writes directly. */
  static async start(opts: EngineOptions, totalBytes: number | undefined): Promise<Pass> {
    opts.signal?.throwIfAborted();
    const suite = suiteById(opts.suite ?? SUITE_ID);
    const sab = idleBuffers.pop() ?? new SharedArrayBuffer(SAB_BYTES);
    let base: number;
    try {
      base = opts.sink === undefined ? DEFAULT_BASE : await opts.sink.align(sab);
    } catch (err) {
      if (idleBuffers.length < MAX_IDLE_BUFFERS) idleBuffers.push(sab);
      throw err;
    }
    return new Pass(opts, suite, totalBytes, sab, base);
  }

  private constructor(
    private readonly opts: EngineOptions,
    suite: CryptoSuite,
    private readonly totalBytes: number | undefined,
    private readonly sab: SharedArrayBuffer,
    private readonly base: number,
  ) {
    this.suite = suite.id;
    this.hash = suite.hash;
    this.whole = createStreamingHash(suite);
    const bytes = new Uint8Array(sab);
    for (let s = 0; s < SLOTS; s++) {
      const start = base + s * SLOT_STRIDE;
      bytes[start - 1] = 0x00; // RFC 9162 leaf prefix, kept in front of each chunk.
      this.views.push(Buffer.from(sab, start, CHUNK_SIZE));
    }
    this.wantLeaves = opts.leaves !== false;
    const expected = this.wantLeaves ? chunkCount(totalBytes ?? 0) : 0;
    this.leaves = new Uint8Array(Math.max(expected, 16) * LEAF_HASH_LENGTH);
  }

  slotView(slot: number): Buffer {
    return this.views[slot]!;
  }

  /** Waits until `slot` may be overwritten; rethrows a failed leaf hash or write. */
  async free(slot: number): Promise<void> {
    await this.busy[slot];
  }

  /** Hands over the first `n` bytes of `slot` as the next chunk. */
  chunk(slot: number, n: number): void {
    const view = this.views[slot]!;
    const data = view.subarray(0, n);
    const index = this.index++;
    const work: Array<Promise<unknown>> = [];
    if (this.wantLeaves) {
      const at = this.base + slot * SLOT_STRIDE - 1;
      work.push(hashRegion(this.suite, this.sab, at, n + 1).then((h) => this.storeLeaf(index, h)));
    }
    const { sink } = this.opts;
    if (sink !== undefined) work.push(sink.write(view, n, index * CHUNK_SIZE));
    // The leaf hash and the write start first, so they run while this thread hashes the same bytes.
    const { prefixAt } = this.opts;
    if (prefixAt !== undefined && this.prefixDigest === undefined && prefixAt <= this.size + n) {
      const k = prefixAt - this.size;
      this.whole.update(data.subarray(0, k));
      this.prefixDigest = this.whole.copy().digest();
      this.whole.update(data.subarray(k));
    } else {
      this.whole.update(data);
    }
    const p = Promise.all(work);
    p.catch(noop);
    this.busy[slot] = p;
    this.size += n;
    this.opts.onProgress?.(
      this.totalBytes === undefined
        ? { bytesDone: this.size }
        : { bytesDone: this.size, totalBytes: Math.max(this.totalBytes, this.size) },
    );
    this.opts.signal?.throwIfAborted();
  }

  private storeLeaf(index: number, hash: Uint8Array): void {
    const at = index * LEAF_HASH_LENGTH;
    if (at + LEAF_HASH_LENGTH > this.leaves.length) {
      const grown = new Uint8Array(Math.max(this.leaves.length * 2, at + LEAF_HASH_LENGTH));
      grown.set(this.leaves);
      this.leaves = grown;
    }
    this.leaves.set(hash, at);
  }

  async finish(): Promise<PassResult> {
    await Promise.all(this.busy);
    const digest = this.whole.digest();
    const base = { digest, size: this.size };
    const prefix = this.prefixDigest === undefined ? {} : { prefixDigest: this.prefixDigest };
    if (!this.wantLeaves) return { ...base, leafHashes: new Uint8Array(0), ...prefix };
    const leafHashes = this.leaves.slice(0, this.index * LEAF_HASH_LENGTH);
    return { ...base, leafHashes, chunkRoot: chunkRootOf(this.hash, leafHashes), ...prefix };
  }

  /** Waits for every leaf hash and write in flight (so a sink may be closed), ignoring their failures. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.busy);
    if (!this.released && idleBuffers.length < MAX_IDLE_BUFFERS) idleBuffers.push(this.sab);
    this.released = true;
  }
}
