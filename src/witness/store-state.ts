/**
 * The witness's state (last cosigned size, root and note per log origin) as state rows of a ledger store
 * (`LedgerStore.state`: a PostgreSQL table, or a LevelDB folder's state namespace), beside — never in — the log.
 * Several witness processes may share it: every write is a compare-and-set, so the witness stores a new state only
 * over the one its checks were made against, and the state never goes backwards (docs/FORMAT.md §State rows).
 *
 *   key    'w' ‖ utf8(witness name) ‖ 0x00 ‖ utf8(origin)
 *   value  utf8(JSON {"size":N,"rootHash":"<base64>","note":"<signed checkpoint>"}), as one log of the state file
 */
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from '../bytes';
import type { WitnessState, WitnessStore } from '../checkpoint/witness';
import { PolicyError, StorageError } from '../errors';
import type { LedgerStore } from '../ledger/store';

/** The first byte of every witness state key (the content index uses others). */
export const WITNESS_STATE_KEY = 0x77; // 'w'

/** A state row that does not decode: `origin`'s row, and why (the messages of the state file's, as the CLI shows them). */
function corrupt(origin: string, why: string, cause?: unknown): StorageError {
  return new StorageError(
    'STORAGE_CORRUPT',
    `witness state ${origin}: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

export function encodeWitnessState(s: WitnessState): Uint8Array {
  return utf8(
    JSON.stringify({
      size: s.size,
      rootHash: toBase64(s.rootHash),
      ...(s.note !== undefined ? { note: s.note } : {}),
    }),
  );
}

export function decodeWitnessState(bytes: Uint8Array, origin: string): WitnessState {
  let raw: { size?: unknown; rootHash?: unknown; note?: unknown };
  try {
    raw = JSON.parse(fromUtf8(bytes));
  } catch (err) {
    throw corrupt(origin, 'not JSON', err);
  }
  if (!raw || typeof raw !== 'object' || !Number.isSafeInteger(raw.size) || (raw.size as number) < 0)
    throw corrupt(origin, `bad state for ${origin}`);
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(String(raw.rootHash));
  } catch (err) {
    throw corrupt(origin, `bad root hash for ${origin}`, err);
  }
  if (rootHash.length !== 32) throw corrupt(origin, `bad root hash for ${origin}`);
  const size = raw.size as number;
  return typeof raw.note === 'string' ? { size, rootHash, note: raw.note } : { size, rootHash };
}

/**
 * A `WitnessStore` in a ledger store's state rows, for witness `name` (one store may hold several witnesses' states).
 * The ledger store stays open and owned by the caller.
 */
export class StoreWitnessStore implements WitnessStore {
  readonly #store: LedgerStore;
  readonly #prefix: Uint8Array;
  /** The bytes each state object `get` returned was read from: a compare-and-set expects exactly those. */
  readonly #read = new WeakMap<WitnessState, Uint8Array>();

  constructor(store: LedgerStore, name: string) {
    if (typeof store !== 'object' || store === null || typeof store.state?.compareAndSet !== 'function')
      throw new TypeError('store must be a LedgerStore');
    if (typeof name !== 'string' || name === '' || name.includes('\0'))
      throw new TypeError('name must be a non-empty string without NUL');
    this.#store = store;
    this.#prefix = concatBytes(Uint8Array.of(WITNESS_STATE_KEY), utf8(name), Uint8Array.of(0));
  }

  #key(origin: string): Uint8Array {
    if (typeof origin !== 'string' || origin === '') throw new TypeError('origin must be a non-empty string');
    return concatBytes(this.#prefix, utf8(origin));
  }

  async get(origin: string): Promise<WitnessState | undefined> {
    const bytes = await this.#store.state.get(this.#key(origin));
    if (bytes === undefined) return undefined;
    const state = decodeWitnessState(bytes, origin);
    this.#read.set(state, bytes);
    return state;
  }

  async compareAndSet(
    origin: string,
    expected: WitnessState | undefined,
    next: WitnessState,
  ): Promise<boolean> {
    const want =
      expected === undefined ? undefined : (this.#read.get(expected) ?? encodeWitnessState(expected));
    return this.#store.state.compareAndSet(this.#key(origin), want, encodeWitnessState(next));
  }

  /**
   * Stores `state` over whatever is stored, but never backwards: a stored size larger than `state.size` is refused
   * (`WITNESS_OLD_SIZE_MISMATCH`, status 409, with the stored size), nothing written.
   */
  async set(origin: string, state: WitnessState): Promise<void> {
    for (;;) {
      const have = await this.get(origin);
      if (have !== undefined && have.size > state.size)
        throw new PolicyError('WITNESS_OLD_SIZE_MISMATCH', `latest cosigned size is ${have.size}`, {
          status: 409,
          size: have.size,
        });
      if (await this.compareAndSet(origin, have, state)) return;
    }
  }

  /** Every origin's state for this witness (for audit and tests). */
  async all(): Promise<ReadonlyMap<string, WitnessState>> {
    const out = new Map<string, WitnessState>();
    for (const [k, v] of await this.#store.state.list(this.#prefix)) {
      const origin = fromUtf8(k.subarray(this.#prefix.length));
      out.set(origin, decodeWitnessState(v, origin));
    }
    return out;
  }
}
