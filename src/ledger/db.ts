/** The one thin storage module: opening LevelDB folders and mapping Level errors to StorageError codes. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { StorageError } from '../errors';

// biome-ignore lint/suspicious/noExplicitAny: abstract-level's generics are invariant; we pass per-call encodings.
export type AnyLevel = AbstractLevel<any, any, any>;

/** Per-call encodings: keys and values are bytes, whatever the database's defaults. */
export const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;

export function isLevel(x: unknown): x is AnyLevel {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as AnyLevel).batch === 'function' &&
    'supports' in (x as object)
  );
}

export async function openLocation(
  location: string | AnyLevel,
  opts: { createIfMissing: boolean },
): Promise<AnyLevel> {
  if (typeof location !== 'string' && !isLevel(location))
    throw new TypeError('location must be a folder path or an abstract-level database');
  const db: AnyLevel =
    typeof location === 'string'
      ? new ClassicLevel<Uint8Array, Uint8Array>(location, {
          keyEncoding: 'view',
          valueEncoding: 'view',
          createIfMissing: opts.createIfMissing,
          errorIfExists: false,
        })
      : location;
  try {
    if (db.status !== 'open') await db.open();
  } catch (err) {
    throw mapLevelError(err, typeof location === 'string' ? location : 'database');
  }
  return db;
}

/**
 * Opens a store only to read it (verification). LevelDB has no read-only mode: opening takes the folder's write lock
 * and may write. So a store that is write-protected (read-only media, no write permission) or held by a writer is
 * read through a private copy in the temporary directory; the original is only read, never locked or written.
 * `close` closes the database and removes any copy.
 */
export async function openForReading(
  location: string | AnyLevel,
): Promise<{ readonly db: AnyLevel; readonly copied: boolean; close(): Promise<void> }> {
  if (typeof location !== 'string') {
    const db = await openLocation(location, { createIfMissing: false });
    return { db, copied: false, close: async () => {} };
  }
  try {
    const db = await openLocation(location, { createIfMissing: false });
    return { db, copied: false, close: () => db.close() };
  } catch (err) {
    if (!(err instanceof StorageError) || !cannotLock(err)) throw err;
  }
  const dir = await mkdtemp(join(tmpdir(), 'el-verify-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(location, dir, { recursive: true, filter: (src) => basename(src) !== 'LOCK' });
    const db = await openLocation(dir, { createIfMissing: false });
    return {
      db,
      copied: true,
      close: async () => {
        await db.close().catch(() => {});
        await remove();
      },
    };
  } catch (err) {
    await remove();
    throw err instanceof StorageError ? err : mapLevelError(err, location);
  }
}

/** The store exists but cannot be opened for writing: locked by a writer, or write-protected. */
function cannotLock(err: StorageError): boolean {
  if (err.code === 'STORAGE_LOCKED') return true;
  const cause = err.cause as { message?: string; cause?: { message?: string } } | undefined;
  const text = `${err.message} ${cause?.message ?? ''} ${cause?.cause?.message ?? ''}`;
  return (
    err.code === 'STORAGE_IO' && /read-only file system|permission denied|EROFS|EACCES|EPERM/i.test(text)
  );
}

export function mapLevelError(err: unknown, where: string): StorageError {
  if (err instanceof StorageError) return err;
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const codes = [e?.code, e?.cause?.code];
  if (codes.includes('LEVEL_LOCKED'))
    return new StorageError(
      'STORAGE_LOCKED',
      `${where} is locked by another process (one writer per ledger)`,
      {
        cause: err,
      },
    );
  const msg = `${e?.message ?? ''} ${e?.cause?.message ?? ''}`;
  if (/does not exist|No such file|not found/i.test(msg))
    return new StorageError('STORAGE_NOT_FOUND', `${where}: no ledger here`, { cause: err });
  if (codes.includes('LEVEL_CORRUPTION') || /corrupt/i.test(msg))
    return new StorageError('STORAGE_CORRUPT', `${where}: database corrupt: ${msg.trim()}`, { cause: err });
  if (codes.includes('LEVEL_DATABASE_NOT_OPEN') && /closed/i.test(msg))
    return new StorageError('STORAGE_CLOSED', `${where} is closed`, { cause: err });
  return new StorageError('STORAGE_IO', `${where}: ${msg.trim() || 'I/O error'}`, { cause: err });
}

/** Level backends may hand back Buffers; the API returns plain Uint8Arrays (a view, no copy). */
export function plain(v: Uint8Array): Uint8Array {
  return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}
