/**
 * Content store on a local file system. Layout under `dir`:
 *   objects/<hex[0..2]>/<hex>          the bytes, named by the lowercase hex digest (the suite's hash), read-only (0444)
 *   objects/<hex[0..2]>/<hex>.chunks   chunk leaf hashes (see chunks.ts), read-only
 *   objects/<hex[0..2]>/<hex>.purged   tombstone left by removeForPurge: {"purgeSeq":N}
 *   tmp/<pid>-<random>.data|.chunks    ingests in progress
 * Ingest writes to tmp/, fsyncs, renames the sidecar then the object into place and fsyncs the directory, so a
 * visible object always has its sidecar and a crash leaves nothing partial in objects/.
 *
 * With `index` (a ledger store: `ledger.store`), the per-object metadata — size, chunk leaf hashes, purge marker — is
 * kept in the store's state rows instead of the .chunks and .purged files (StoreContentIndex), and only the bytes stay
 * in objects/. Several servers sharing the folder (network storage) and one PostgreSQL then agree on what is stored
 * and what was purged. Order: a put installs the bytes, then writes the row; a purge removes the bytes, then writes
 * the row; an object is stored when its row says so and its file is there.
 */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { StorageError } from '../errors';
import type { ContentRef } from '../ledger/types';
import { CHUNK_SIZE } from './chunks';
import { runPass, Sink } from './pass';
import { suiteById } from '../crypto/node-registry';
import type { SuiteId } from '../crypto/types';
import { SUITE_ID } from '../ledger/registry';
import type { LedgerStore } from '../ledger/store';
import { fromHex } from '../bytes';
import type { ByteRange, ContentSource, ContentStore, DigestLike, PassOptions } from './store';
import { digestHex } from './store';
import { StoreContentIndex } from './store-index';

const TEMP_NAME = /^(\d+)-[0-9a-f]+\.(data|chunks)$/;

function errCode(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}

function io(err: unknown, what: string): StorageError {
  return new StorageError('STORAGE_IO', `${what}: ${String(errCode(err) ?? err)}`, { cause: err });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errCode(err) === 'ENOENT') return false;
    throw io(err, `cannot stat ${path}`);
  }
}

async function fsyncDir(path: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes `bytes` to a new file and fsyncs it. */
async function writeDurable(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'wx', 0o444);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errCode(err) === 'EPERM';
  }
}

export interface FsContentStoreOptions {
  /**
   * Write ingests with O_DIRECT, bypassing the page cache, where the platform and file system allow it (default
   * true; silently buffered elsewhere). Direct writes cost a fraction of the CPU of buffered ones and leave the page
   * cache to the readers; set false to force buffered writes.
   */
  readonly directIO?: boolean;
  /**
   * The crypto suite whose hash addresses the objects: the suite of the ledger whose entries reference them (default
   * `ed25519-sha256`). Every put, verification and excerpt of this store uses it.
   */
  readonly suite?: SuiteId;
  /**
   * Keep the content index (sizes, chunk hashes, purge markers) in this ledger store's state rows rather than in
   * files beside the objects: `ledger.store` of the ledger whose entries reference the content (a PostgreSQL store
   * shared by several servers, or the LevelDB folder's own database). The store stays open as long as this one is
   * used; closing it is the caller's.
   */
  readonly index?: LedgerStore;
}

export class FsContentStore implements ContentStore {
  readonly dir: string;
  readonly suite: SuiteId;
  private readonly objects: string;
  private readonly tmp: string;
  /** The index in a ledger store's state rows, when the store was opened with one. */
  private readonly index: StoreContentIndex | undefined;

  private constructor(
    dir: string,
    private readonly directWrites: boolean,
    suite: SuiteId,
    index: LedgerStore | undefined,
  ) {
    this.index = index === undefined ? undefined : new StoreContentIndex(index);
    this.dir = dir;
    this.suite = suite;
    this.objects = join(dir, 'objects');
    this.tmp = join(dir, 'tmp');
  }

  /**
   * Opens (creating if needed) a store in `dir`, and deletes temporary files left by ingests whose process is gone
   * (a temp file is named after its process id; files of live processes, this one included, are kept).
   */
  static async open(dir: string, opts: FsContentStoreOptions = {}): Promise<FsContentStore> {
    if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a non-empty path');
    if (opts.directIO !== undefined && typeof opts.directIO !== 'boolean')
      throw new TypeError('opts.directIO must be a boolean');
    const suite = suiteById(opts.suite ?? SUITE_ID).id;
    const store = new FsContentStore(dir, opts.directIO !== false, suite, opts.index);
    try {
      await mkdir(store.objects, { recursive: true });
      await mkdir(store.tmp, { recursive: true });
      for (const name of await readdir(store.tmp)) {
        const m = TEMP_NAME.exec(name);
        const pid = m === null ? undefined : Number(m[1]);
        if (pid === process.pid || (pid !== undefined && processAlive(pid))) continue;
        await rm(join(store.tmp, name), { force: true });
      }
    } catch (err) {
      throw io(err, `cannot open content store ${dir}`);
    }
    return store;
  }

  path(digest: DigestLike): string {
    const hex = digestHex(digest);
    return join(this.objects, hex.slice(0, 2), hex);
  }

  async put(source: ContentSource, opts?: PassOptions): Promise<ContentRef> {
    const base = join(this.tmp, `${process.pid}-${randomBytes(8).toString('hex')}`);
    const tmpData = `${base}.data`;
    const tmpChunks = `${base}.chunks`;
    let sink: Sink | undefined;
    try {
      try {
        sink = await Sink.create(tmpData, 0o444, { direct: this.directWrites });
      } catch (err) {
        throw io(err, 'cannot create temporary file');
      }
      const r = await runPass(source, { ...opts, suite: this.suite, sink });
      await sink.finish(r.size);
      await sink.close();
      sink = undefined;
      const ref: ContentRef = { digest: r.digest, size: r.size, chunkRoot: r.chunkRoot! };
      if (this.index === undefined) await this.install(digestHex(r.digest), tmpData, tmpChunks, r.leafHashes);
      else await this.installIndexed(r.digest, r.size, tmpData, r.leafHashes);
      return ref;
    } finally {
      if (sink !== undefined) await sink.close().catch(() => {});
      await rm(tmpData, { force: true }).catch(() => {});
      await rm(tmpChunks, { force: true }).catch(() => {});
    }
  }

  /** Moves a complete, fsynced temp object into place (or drops it when the object exists). */
  private async install(
    hex: string,
    tmpData: string,
    tmpChunks: string,
    leafHashes: Uint8Array,
  ): Promise<void> {
    const shard = join(this.objects, hex.slice(0, 2));
    const object = join(shard, hex);
    const sidecar = `${object}.chunks`;
    try {
      const created = await mkdir(shard, { recursive: true });
      if (created !== undefined) await fsyncDir(this.objects);
      const haveObject = await exists(object);
      if (haveObject && (await exists(sidecar))) return;
      // Sidecar first: once the object is visible, its sidecar is too.
      await writeDurable(tmpChunks, leafHashes);
      await rename(tmpChunks, sidecar);
      if (!haveObject) await rename(tmpData, object);
      await rm(`${object}.purged`, { force: true });
      await fsyncDir(shard);
    } catch (err) {
      throw io(err, `cannot store object ${hex}`);
    }
  }

  /** `install` with the index in the ledger store: the bytes into place (fsynced), then the row. */
  private async installIndexed(
    digest: Uint8Array,
    size: number,
    tmpData: string,
    chunkHashes: Uint8Array,
  ): Promise<void> {
    const hex = digestHex(digest);
    const shard = join(this.objects, hex.slice(0, 2));
    const object = join(shard, hex);
    try {
      const created = await mkdir(shard, { recursive: true });
      if (created !== undefined) await fsyncDir(this.objects);
      if (!(await exists(object))) {
        await rename(tmpData, object);
        await fsyncDir(shard);
      }
    } catch (err) {
      throw io(err, `cannot store object ${hex}`);
    }
    await this.index!.update(
      digest,
      hex,
      { state: 'stored', size, chunkHashes },
      (row) => row?.state === 'stored',
    );
  }

  get(digest: DigestLike, range: ByteRange = {}): Readable {
    const path = this.path(digest);
    const start = range.start ?? 0;
    const end = range.end ?? Number.POSITIVE_INFINITY;
    if (!Number.isSafeInteger(start) || start < 0)
      throw new RangeError('range.start must be a non-negative integer');
    if (end !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(end) || end < start)) {
      throw new RangeError('range.end must be an integer ≥ range.start');
    }
    async function* read(): AsyncGenerator<Buffer> {
      let fh: FileHandle;
      try {
        fh = await open(path, 'r');
      } catch (err) {
        if (errCode(err) === 'ENOENT') {
          throw new StorageError(
            'STORAGE_CONTENT_MISSING',
            `content ${digestHex(digest)} is not in the store`,
          );
        }
        throw io(err, `cannot open ${path}`);
      }
      try {
        for (let pos = start; pos < end; ) {
          const buf = Buffer.allocUnsafe(Math.min(CHUNK_SIZE, end - pos));
          const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    }
    return Readable.from(read(), { objectMode: false, highWaterMark: CHUNK_SIZE });
  }

  /** The index row of a stored object whose file is there (index in a ledger store only). */
  private async indexed(digest: DigestLike) {
    const hex = digestHex(digest);
    const row = await this.index!.get(fromHex(hex), hex);
    return row?.state === 'stored' && (await exists(this.path(hex))) ? row : undefined;
  }

  async has(digest: DigestLike): Promise<boolean> {
    if (this.index !== undefined) return (await this.indexed(digest)) !== undefined;
    return exists(this.path(digest));
  }

  async stat(digest: DigestLike): Promise<{ readonly size: number } | undefined> {
    if (this.index !== undefined) {
      const row = await this.indexed(digest);
      return row === undefined ? undefined : { size: row.size };
    }
    const path = this.path(digest);
    try {
      return { size: (await stat(path)).size };
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined;
      throw io(err, `cannot stat ${path}`);
    }
  }

  async chunkHashes(digest: DigestLike): Promise<Uint8Array | undefined> {
    if (this.index !== undefined) return (await this.indexed(digest))?.chunkHashes;
    const path = `${this.path(digest)}.chunks`;
    try {
      return new Uint8Array(await readFile(path));
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined;
      throw io(err, `cannot read ${path}`);
    }
  }

  /**
   * Called ONLY by the retention purge path, after the purge entry `purgeSeq` is durable in the ledger: deletes the
   * object and its sidecar and leaves a tombstone naming `purgeSeq`. Resolves true when an object was removed.
   */
  async removeForPurge(digest: DigestLike, purgeSeq: number): Promise<boolean> {
    if (!Number.isSafeInteger(purgeSeq) || purgeSeq < 0)
      throw new RangeError('purgeSeq must be a non-negative integer');
    const object = this.path(digest);
    const shard = join(this.objects, digestHex(digest).slice(0, 2));
    if (this.index !== undefined) {
      // The bytes first, then the row: an interrupted purge leaves no bytes, and no marker until it is run again.
      const hex = digestHex(digest);
      let had: boolean;
      try {
        had = await exists(object);
        await rm(object, { force: true });
        if (had) await fsyncDir(shard);
      } catch (err) {
        throw io(err, `cannot purge ${hex}`);
      }
      await this.index.update(
        fromHex(hex),
        hex,
        { state: 'purged', purgeSeq },
        (row) => row?.state === 'purged' && row.purgeSeq === purgeSeq,
      );
      return had;
    }
    try {
      const had = await exists(object);
      await mkdir(shard, { recursive: true });
      const tomb = `${object}.purged`;
      await rm(`${tomb}.tmp`, { force: true });
      await writeDurable(`${tomb}.tmp`, new TextEncoder().encode(JSON.stringify({ purgeSeq })));
      await rename(`${tomb}.tmp`, tomb);
      await rm(object, { force: true });
      await rm(`${object}.chunks`, { force: true });
      await fsyncDir(shard);
      return had;
    } catch (err) {
      throw io(err, `cannot purge ${digestHex(digest)}`);
    }
  }

  async purgedBy(digest: DigestLike): Promise<number | undefined> {
    if (this.index !== undefined) {
      const hex = digestHex(digest);
      const row = await this.index.get(fromHex(hex), hex);
      return row?.state === 'purged' ? row.purgeSeq : undefined;
    }
    const tomb = `${this.path(digest)}.purged`;
    let text: string;
    try {
      text = await readFile(tomb, 'utf8');
    } catch (err) {
      if (errCode(err) === 'ENOENT') return undefined;
      throw io(err, `cannot read ${tomb}`);
    }
    let seq: unknown;
    try {
      seq = (JSON.parse(text) as { purgeSeq?: unknown }).purgeSeq;
    } catch {}
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
      throw new StorageError('STORAGE_CORRUPT', `tombstone ${tomb} is malformed`);
    }
    return seq;
  }
}
