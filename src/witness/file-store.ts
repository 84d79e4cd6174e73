/**
 * The witness's own state (last cosigned size, root and note per log origin) in one JSON file, replaced atomically:
 * write a temporary file, fsync it, rename it over the old one, fsync the directory. A crash leaves the old state or
 * the new one, never a mix. One process owns the file (WitnessStore contract); writes within it are serialised.
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fromBase64, toBase64 } from '../bytes';
import type { WitnessState, WitnessStore } from '../checkpoint/witness';
import { StorageError } from '../errors';

export const WITNESS_STATE_FORMAT = 'enforcement-ledger/witness-state@1';

interface StateFile {
  format: typeof WITNESS_STATE_FORMAT;
  logs: Record<string, { size: number; rootHash: string; note?: string }>;
}

function corrupt(path: string, why: string, cause?: unknown): StorageError {
  return new StorageError(
    'STORAGE_CORRUPT',
    `witness state ${path}: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

function parseState(path: string, text: string): Map<string, WitnessState> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw corrupt(path, 'not JSON', err);
  }
  const f = raw as StateFile;
  if (
    !f ||
    typeof f !== 'object' ||
    f.format !== WITNESS_STATE_FORMAT ||
    !f.logs ||
    typeof f.logs !== 'object'
  )
    throw corrupt(path, `not a ${WITNESS_STATE_FORMAT} file`);
  const out = new Map<string, WitnessState>();
  for (const [origin, s] of Object.entries(f.logs)) {
    if (!s || !Number.isSafeInteger(s.size) || s.size < 0 || typeof s.rootHash !== 'string')
      throw corrupt(path, `bad state for ${origin}`);
    let rootHash: Uint8Array;
    try {
      rootHash = fromBase64(s.rootHash);
    } catch (err) {
      throw corrupt(path, `bad root hash for ${origin}`, err);
    }
    if (rootHash.length !== 32) throw corrupt(path, `bad root hash for ${origin}`);
    out.set(
      origin,
      typeof s.note === 'string' ? { size: s.size, rootHash, note: s.note } : { size: s.size, rootHash },
    );
  }
  return out;
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

export class FileWitnessStore implements WitnessStore {
  readonly path: string;
  #state: Map<string, WitnessState> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #n = 0;

  constructor(path: string) {
    if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a file path');
    this.path = path;
  }

  async #load(): Promise<Map<string, WitnessState>> {
    if (this.#state) return this.#state;
    let text: string | undefined;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new StorageError('STORAGE_IO', `cannot read witness state ${this.path}`, { cause: err });
    }
    this.#state ??= text === undefined ? new Map() : parseState(this.path, text);
    return this.#state;
  }

  async get(origin: string): Promise<WitnessState | undefined> {
    return (await this.#load()).get(origin);
  }

  /** Resolves once the new state is durable on disk. Calls are applied in order, each on top of the last. */
  async set(origin: string, state: WitnessState): Promise<void> {
    const run = this.#writing.then(async () => {
      const next = new Map(await this.#load());
      next.set(origin, state);
      await this.#write(next);
      this.#state = next;
    });
    this.#writing = run.catch(() => {});
    await run;
  }

  /** Every origin's state (for audit and tests). */
  async all(): Promise<ReadonlyMap<string, WitnessState>> {
    return new Map(await this.#load());
  }

  async #write(states: Map<string, WitnessState>): Promise<void> {
    const file: StateFile = { format: WITNESS_STATE_FORMAT, logs: {} };
    for (const [origin, s] of [...states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      file.logs[origin] = {
        size: s.size,
        rootHash: toBase64(s.rootHash),
        ...(s.note !== undefined ? { note: s.note } : {}),
      };
    const dir = dirname(this.path);
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.${++this.#n}.tmp`);
    try {
      const h = await open(tmp, 'wx');
      try {
        await h.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
        await h.sync();
      } finally {
        await h.close();
      }
      await rename(tmp, this.path);
      await syncDir(dir);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      throw new StorageError('STORAGE_IO', `cannot write witness state ${this.path}`, { cause: err });
    }
  }
}
