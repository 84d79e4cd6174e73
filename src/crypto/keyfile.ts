/**
 * Private key files on disk (Node only): the PKCS#8 PEM of a suite's private key (an Ed25519 seed by default, or an
 * SM2 scalar), mode 0600, written durably.
 */

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CryptoError, StorageError } from '../errors';
import { portableSuite } from './portable';
import { portableSuiteById, privateKeyFromAnyPem } from './registry';
import type { CryptoSuite, SuiteId } from './types';

const KEY_FILE_MODE = 0o600;
/** A key PEM is 119 (Ed25519) or 241 (SM2) bytes; anything much larger is not a key file. */
const MAX_KEY_FILE_SIZE = 16 * 1024;

export interface WritePrivateKeyFileOptions {
  /** Replace an existing file (atomically, by rename). Default false: fail with STORAGE_EXISTS. */
  readonly overwrite?: boolean;
  /** The suite whose key this is; default `ed25519-sha256` (the key is a 32-byte seed). */
  readonly suite?: SuiteId;
}

function ioError(err: unknown, path: string, action: string): StorageError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT')
    return new StorageError('STORAGE_NOT_FOUND', `${action} ${path}: no such file`, { cause: err });
  if (code === 'EEXIST')
    return new StorageError('STORAGE_EXISTS', `${action} ${path}: file exists`, { cause: err });
  return new StorageError('STORAGE_IO', `${action} ${path}: ${code ?? 'I/O error'}`, { cause: err });
}

/** fsync the directory so that a new or renamed entry survives a crash (best effort where unsupported). */
async function syncDir(dir: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(dir, constants.O_RDONLY);
    await fh.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory.
  } finally {
    await fh?.close();
  }
}

async function writeNew(path: string, data: string): Promise<void> {
  const fh = await open(path, 'wx', KEY_FILE_MODE);
  try {
    await fh.chmod(KEY_FILE_MODE); // the umask may have narrowed it; never widened
    await fh.writeFile(data, 'utf8');
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(path).catch(() => {});
    throw err;
  }
  await fh.close();
}

/**
 * Writes `privateKey` (of `options.suite`) as a PKCS#8 PEM with mode 0600 and fsyncs it and its directory. Without `overwrite` the file is
 * created exclusively (StorageError STORAGE_EXISTS if present); with it, a temporary file is renamed over the old
 * one so that a crash leaves either the old key or the new one, never a torn file.
 */
export async function writePrivateKeyFile(
  path: string,
  privateKey: Uint8Array,
  options: WritePrivateKeyFileOptions = {},
): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  const suite = options.suite === undefined ? portableSuite : portableSuiteById(options.suite);
  const pem = suite.privateKeyToPem(privateKey);
  const dir = dirname(path);
  try {
    if (options.overwrite === true) {
      const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
      await writeNew(tmp, pem);
      try {
        await rename(tmp, path);
      } catch (err) {
        await unlink(tmp).catch(() => {});
        throw err;
      }
    } else {
      await writeNew(path, pem);
    }
  } catch (err) {
    throw ioError(err, path, 'cannot write private key file');
  }
  await syncDir(dir);
}

/**
 * Reads a key file written by `writePrivateKeyFile` (or by `openssl genpkey`) and returns the private key of
 * `suite` (default `ed25519-sha256`: the seed); CryptoError CRYPTO_BAD_PEM if the file holds another kind of key.
 */
export async function readPrivateKeyFile(
  path: string,
  suite: CryptoSuite = portableSuite,
): Promise<Uint8Array> {
  return readKeyText(path, (text) => suite.privateKeyFromPem(text));
}

/** Reads a private key file of any known suite and says which suite it belongs to (by its algorithm OID). */
export async function readAnyPrivateKeyFile(
  path: string,
): Promise<{ readonly suite: SuiteId; readonly privateKey: Uint8Array }> {
  return readKeyText(path, privateKeyFromAnyPem);
}

async function readKeyText<T>(path: string, parse: (text: string) => T): Promise<T> {
  if (typeof path !== 'string' || path === '') throw new TypeError('path must be a non-empty string');
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw ioError(err, path, 'cannot read private key file');
  }
  try {
    if (bytes.length > MAX_KEY_FILE_SIZE)
      throw new CryptoError('CRYPTO_BAD_PEM', `${path} is too large for a key file`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new CryptoError('CRYPTO_BAD_PEM', `${path} is not text`, { cause });
    }
    return parse(text);
  } finally {
    bytes.fill(0);
  }
}
