/**
 * A c2sp.org/tlog-witness witness: cosigns a checkpoint only after checking the log's signature and its consistency
 * with the last checkpoint it cosigned for that origin. Refusals are coded, carry the tlog-witness HTTP status in
 * `details.status` (and `details.previous` / `details.submitted`, the two signed checkpoints, as evidence when the
 * log forked, truncated, or sent a proof that does not verify).
 */
import { bytesEqual, fromBase64, toBase64 } from '../bytes';
import type { CryptoSuite, Signer } from '../crypto/types';
import { CryptoError, PolicyError } from '../errors';
import { verifyConsistency } from '../merkle/verify';
import { verifyCheckpoint } from './checkpoint';
import { cosign } from './cosignature';
import type { NoteKeyInput } from './note-key';

export interface WitnessState {
  readonly size: number;
  readonly rootHash: Uint8Array;
  /** The signed checkpoint note that set this state (kept as evidence). */
  readonly note?: string;
}

/**
 * Per-origin state. The witness serialises its own calls per origin. A store without `compareAndSet` MUST NOT be
 * shared between writers (`FileWitnessStore`: one process owns the file); one with it may be (`StoreWitnessStore`:
 * several witness processes on one PostgreSQL), since the witness then stores its new state only over the state
 * its checks were made against.
 */
export interface WitnessStore {
  get(origin: string): Promise<WitnessState | undefined>;
  set(origin: string, state: WitnessState): Promise<void>;
  /**
   * Stores `next` only if the origin's state is still `expected` (the object `get` returned, or `undefined` for none),
   * atomically and durably; resolves `false`, writing nothing, when another writer changed it first.
   */
  compareAndSet?(origin: string, expected: WitnessState | undefined, next: WitnessState): Promise<boolean>;
}

/** The state changed under a compare-and-set: the request is checked again against the new state. */
const RACED = Symbol('raced');
const MAX_RACES = 8;

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly consistencyProof: readonly Uint8Array[];
  readonly checkpointNote: string;
}

/** tlog-witness: at most 63 consistency proof lines. */
export const MAX_PROOF_LINES = 63;
const SIZE = /^(0|[1-9][0-9]*)$/;

function refuse(
  code: string,
  status: number,
  message: string,
  details: Record<string, unknown> = {},
): PolicyError {
  return new PolicyError(code, message, { status, ...details });
}

/** Parses an add-checkpoint request body strictly. Throws PolicyError WITNESS_BAD_REQUEST (status 400). */
export function parseAddCheckpointRequest(body: string): AddCheckpointRequest {
  if (typeof body !== 'string') throw new TypeError('body must be a string');
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw refuse('WITNESS_BAD_REQUEST', 400, 'request has no empty line before the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const old = head[0]!;
  if (!old.startsWith('old ') || !SIZE.test(old.slice(4)) || !Number.isSafeInteger(Number(old.slice(4))))
    throw refuse('WITNESS_BAD_REQUEST', 400, 'first line must be "old <size>"');
  if (head.length - 1 > MAX_PROOF_LINES) throw refuse('WITNESS_BAD_REQUEST', 400, 'too many proof lines');
  const consistencyProof = head.slice(1).map((line) => {
    let h: Uint8Array;
    try {
      h = fromBase64(line);
    } catch {
      throw refuse('WITNESS_BAD_REQUEST', 400, 'proof line is not canonical base64');
    }
    if (h.length !== 32) throw refuse('WITNESS_BAD_REQUEST', 400, 'proof line is not a 32-byte hash');
    return h;
  });
  return { oldSize: Number(old.slice(4)), consistencyProof, checkpointNote: body.slice(blank + 2) };
}

export function formatAddCheckpointRequest(req: AddCheckpointRequest): string {
  if (!Number.isSafeInteger(req.oldSize) || req.oldSize < 0)
    throw new RangeError('oldSize must be a safe integer ≥ 0');
  if (req.consistencyProof.length > MAX_PROOF_LINES) throw new RangeError('at most 63 proof hashes');
  const proof = req.consistencyProof.map((h) => `${toBase64(h)}\n`).join('');
  return `old ${req.oldSize}\n${proof}\n${req.checkpointNote}`;
}

/** Body of a 409 response (Content-Type text/x.tlog.size). */
export function formatSizeResponse(size: number): string {
  return `${size}\n`;
}

export class Witness {
  readonly #name: string;
  readonly #signer: Signer;
  readonly #suite: CryptoSuite;
  readonly #store: WitnessStore;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: { name: string; signer: Signer; suite: CryptoSuite; store: WitnessStore }) {
    this.#name = options.name;
    this.#signer = options.signer;
    this.#suite = options.suite;
    this.#store = options.store;
  }

  /**
   * Handles add-checkpoint for a log whose trusted keys are `logKeys` at time `nowSeconds`. Resolves to the
   * cosignature line (the 200 response body) only after the new state is stored. Check and store are atomic per
   * origin within this instance (tlog-witness: the old-size check and the update MUST NOT interleave).
   */
  async addCheckpoint(
    req: AddCheckpointRequest,
    logKeys: readonly NoteKeyInput[],
    nowSeconds: number,
  ): Promise<string> {
    let verified: ReturnType<typeof verifyCheckpoint>;
    try {
      verified = verifyCheckpoint(req.checkpointNote, logKeys, this.#suite);
    } catch (err) {
      if (err instanceof CryptoError) throw refuse('WITNESS_UNVERIFIED', 403, err.message);
      throw err;
    }
    const origin = verified.checkpoint.origin;
    const prev = this.#queues.get(origin) ?? Promise.resolve();
    const run = prev.then(
      () => this.#addChecked(req, verified, nowSeconds),
      () => this.#addChecked(req, verified, nowSeconds),
    );
    this.#queues.set(origin, run);
    try {
      return await run;
    } finally {
      if (this.#queues.get(origin) === run) this.#queues.delete(origin);
    }
  }

  /**
   * Checks and stores; when the store can compare-and-set and another writer (another witness process on the same
   * state) changed the origin's state between the check and the store, checks again against the new state — which
   * then usually answers 409 with the size the other writer stored. The state never goes backwards.
   */
  async #addChecked(
    req: AddCheckpointRequest,
    v: ReturnType<typeof verifyCheckpoint>,
    now: number,
  ): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const out = await this.#add(req, v, now);
      if (out !== RACED) return out;
      if (attempt >= MAX_RACES) {
        const known = (await this.#store.get(v.checkpoint.origin))?.size ?? 0;
        throw refuse('WITNESS_OLD_SIZE_MISMATCH', 409, `latest cosigned size is ${known}`, {
          size: known,
          body: formatSizeResponse(known),
        });
      }
    }
  }

  async #add(
    req: AddCheckpointRequest,
    v: ReturnType<typeof verifyCheckpoint>,
    now: number,
  ): Promise<string | typeof RACED> {
    const { origin, size, rootHash } = v.checkpoint;
    const { oldSize, consistencyProof: proof } = req;
    const state = await this.#store.get(origin);
    const known = state?.size ?? 0;
    const evidence = { origin, previous: state?.note, submitted: req.checkpointNote };
    if (!Number.isSafeInteger(oldSize) || oldSize < 0)
      throw refuse('WITNESS_BAD_REQUEST', 400, 'bad old size');
    if (oldSize > size) {
      // A signed checkpoint smaller than one this witness cosigned is a truncation by the log.
      if (state && oldSize === known)
        throw refuse(
          'WITNESS_TRUNCATION',
          400,
          `checkpoint size ${size} is below the cosigned ${known}`,
          evidence,
        );
      throw refuse('WITNESS_BAD_REQUEST', 400, 'old size is greater than the checkpoint size');
    }
    if (oldSize !== known)
      throw refuse('WITNESS_OLD_SIZE_MISMATCH', 409, `latest cosigned size is ${known}`, {
        size: known,
        body: formatSizeResponse(known),
      });
    if (oldSize === 0) {
      if (proof.length !== 0)
        throw refuse('WITNESS_BAD_REQUEST', 400, 'proof must be empty when old size is 0');
    } else if (oldSize === size) {
      if (proof.length !== 0) throw refuse('WITNESS_BAD_REQUEST', 400, 'proof must be empty for equal sizes');
      if (!bytesEqual(state!.rootHash, rootHash))
        throw refuse('WITNESS_FORK', 409, `two roots signed for size ${size}`, evidence);
    } else {
      let ok: boolean;
      try {
        ok = verifyConsistency(this.#suite.hash, oldSize, size, proof, state!.rootHash, rootHash);
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        ok = false;
      }
      if (!ok) throw refuse('WITNESS_BAD_PROOF', 422, 'consistency proof does not verify', evidence);
    }
    const line = await cosign(v.body, this.#name, this.#signer, now);
    const next: WitnessState = { size, rootHash, note: req.checkpointNote };
    if (this.#store.compareAndSet) {
      if (!(await this.#store.compareAndSet(origin, state, next))) return RACED;
    } else await this.#store.set(origin, next);
    return line;
  }
}
