/**
 * The generic append-only log: signed, hash-linked entries with an RFC 9162 tree over them, kept in a LedgerStore
 * (LevelDB: one writer process; PostgreSQL: several). Appends are grouped into one atomic, durable write (group
 * commit) built against the stored head, under the store's append lock.
 */
import { field } from '../guards';
import { bytesEqual, fromHex } from '../bytes';
import { passesWorkerPrechecks, workerAlgorithmOf } from '../crypto/worker-verifiers';
import { suiteById } from '../crypto/node-registry';
import { isSuiteId } from '../crypto/registry';
import type { CryptoSuite, Signer } from '../crypto/types';
import { encodeCanonical } from '../encoding/cbor';
import {
  CryptoError,
  EncodingError,
  type Issue,
  PolicyError,
  StorageError,
  ValidationError,
} from '../errors';
import { signCheckpoint } from '../checkpoint/checkpoint';
import { checkpointVerifier } from './checkpoint-key';
import { LogState } from './log-state';
import { hashLeaf } from '../merkle/hash';
import {
  CompactRange,
  consistencyProofPlan,
  inclusionProofPlan,
  materializeAsync,
  rootPlan,
  foldNodes,
} from '../merkle';
import type { NodeId } from '../merkle';
import { mapLevelError } from './level-store';
import type { LedgerStore, StorePut, StoreReader } from './store';
import { type Location, openStore, openStoreForReading } from './stores';
import {
  ENTRY_CONTEXT,
  FORMAT_VERSION,
  MANIFEST_KIND,
  ZERO_HASH,
  decodeSignedEntry,
  encodeEntry,
  signedEntryLeaf,
  signingMessage,
} from './format';
import {
  P_ENTRY,
  entryIndexKeys,
  entryKey,
  indexPrefix,
  nodeKey,
  parseIndexKey,
  prefixEnd,
  readU64,
} from './keyspace';
import {
  ADMIN_ROLE,
  CHECKPOINT_KIND,
  KEY_REGISTER_KIND,
  KEY_REVOKE_KIND,
  KIND_DECLARE_KIND,
  KeyRegistry,
  type CoreBodies,
  type ManifestBody,
  SUITE_ID,
  isCoreKind,
  validateCoreBody,
} from './registry';
import type {
  AppendInput,
  AppendResult,
  BodyMap,
  CborValue,
  Clock,
  ContentRef,
  Entry,
  EntryOf,
  KindCheckContext,
  KindDefinition,
  KindOf,
  KindSet,
  LedgerOptionsBase,
  Narrowed,
  StoredEntry,
} from './types';
import { CORE_KIND_INDEX, MAX_INDEX_ROW_CHARS, indexRowsOf, pathOfKey } from './rows';
import { type CheckPlacement, checkPlacementOption, checkPoolSize, checksOnWorkers } from './check-placement';
import { KeyFilter } from './key-filter';
import { type SharedCheck, SignaturePool } from './sig-pool';
import { type LedgerVerifyReport, type VerifyOptions, verifyLedger } from './verify';

export const MAX_ENTRY_BYTES = 64 * 1024;
const MAX_BATCH_INPUTS = 8192;

export interface CreateOptions extends LedgerOptionsBase {
  /** Log origin: the first line of every checkpoint, e.g. `ledger.jcwjw.example/penalty`. */
  readonly origin: string;
  /** Root admin key: signs the manifest (entry 0) and, unless `checkpointSigner` is given, checkpoints. */
  readonly signer: Signer;
  /** Principal id of the root key holder. Default `root`. */
  readonly principal?: string;
  /** Extra root keys (admin role from the start). */
  readonly rootKeys?: ReadonlyArray<{ readonly publicKey: Uint8Array; readonly principal: string }>;
  /** Free-form metadata about the agency and rule set, recorded in the manifest. */
  readonly attributes?: CborValue;
}

export interface OpenOptions extends LedgerOptionsBase {}

export type { Location };

/** Builds an input at staging time, when the batch state (size, root) is known. */
type LateBuilder = (st: BatchState) => Promise<AppendInput>;

interface Pending {
  readonly inputs: readonly AppendInput[];
  readonly late?: LateBuilder;
  readonly signer: Signer;
  readonly resolve: (r: AppendResult[]) => void;
  readonly reject: (e: unknown) => void;
}

interface BatchState {
  size: number;
  /** Hash of the last entry's bytes: the next entry's `prev`. */
  lastEntryHash: Uint8Array;
  lastTime: number;
  /** The tree; unset while a batch is staged on the one in flight below it (set when that one has committed). */
  range: CompactRange | undefined;
  registry: KeyRegistry;
  ops: StorePut[];
  /** Index rows and entries of this batch, visible to `check` hooks of later entries in the batch. */
  index: RowIndex;
  entries: Map<number, StoredEntry>;
  /** Entries below this seq are read from the store; those from it on are staged (here or in `below`). */
  committed: number;
  /** The group commit in flight under this one (pipelining): its staged rows and entries, seen by check hooks. */
  below?: { readonly index: RowIndex; readonly entries: Map<number, StoredEntry> };
  /** Reads of the committed log made by check hooks (cached: see Ledger.reads). */
  reads: CommittedReads;
  /** Issues of each input's body, when the warm-up validated it already (one schema run per body). */
  validated: Map<AppendInput, Issue[]>;
  /** The reads of check hooks of entries staged here (made once per batch: see Ledger.hookReads). */
  hookReads?: HookReads;
}

/** Index rows by index name, then key: the seqs of the entries with that row, in log order. */
type RowIndex = Map<string, Map<string, number[]>>;

/**
 * Index lookups and entries of the committed log, as check hooks read them; `lookupNow` and `getNow` give what
 * `lookup` and `get` would, when it needs no read (see KindCheckContext), else undefined.
 */
interface CommittedReads {
  lookup(index: string, key: string): Promise<number[]>;
  get(seq: number): Promise<StoredEntry>;
  lookupNow(index: string, key: string): readonly number[] | undefined;
  getNow(seq: number): StoredEntry | undefined;
}

/** A fresh copy of a cached list of seqs (what `lookup` gives a check hook: its own). */
const copyRows = (rows: readonly number[]): number[] => rows.slice();

/** No rows (what `lookupNow` answers for a key a filter does not hold). */
const NO_ROWS: readonly number[] = Object.freeze([]);

/** What a check hook reads through: its context's `lookup`, `get`, `lookupNow` and `getNow`. */
type HookReads = Required<Pick<KindCheckContext, 'lookup' | 'get' | 'lookupNow' | 'getNow'>>;

/** A cached read of a check hook: its promise, and its value once it has one (what `lookupNow` / `getNow` answer). */
interface Cached<T> {
  readonly p: Promise<T>;
  v?: T;
}

/** An entry of a batch: its signature fields are empty until it is signed. */
type Staged = { -readonly [K in keyof StoredEntry]: StoredEntry[K] };

/** An entry built and checked, waiting for its signature. */
interface Prepared {
  readonly item: Pending;
  readonly entry: Staged;
  readonly entryBytes: Uint8Array;
  readonly rows: ReadonlyArray<{ index: string; key: string }>;
  /** The store keys of `rows` (views of one buffer). */
  readonly rowKeys: readonly Uint8Array[];
  /** The batch state before this entry's item: where a failed signature rolls back to. */
  readonly before: SavePoint;
  /** Once its signature is requested: the chunk it was requested in, and its place there. */
  sig?: SigChunk;
  sigAt?: number;
}

/**
 * The signatures of a chunk of entries, requested together (`signChecked`): `done` resolves (never rejects) once each
 * is back and checked, and `out` then holds, per entry, the signature or the CryptoError that refuses it.
 */
class SigChunk {
  out?: Array<Uint8Array | CryptoError>;
  readonly done: Promise<void>;
  constructor(outcomes: Promise<Array<Uint8Array | CryptoError>>) {
    this.done = outcomes.then((o) => {
      this.out = o;
    });
  }
}

/**
 * Index lookups and entries as the check hooks of entries staged on `st` see them: the log as staged so far. Methods of
 * one object per batch, not closures made per batch.
 */
class StagedReads {
  constructor(private readonly st: BatchState) {}

  lookup(index: string, k: string): Promise<number[]> {
    return this.st.reads.lookup(index, k).then((stored) => this.asStaged(index, k, stored));
  }

  get(s: number): Promise<StoredEntry> {
    const st = this.st;
    const staged = st.entries.get(s) ?? st.below?.entries.get(s);
    return staged ? Promise.resolve(staged) : st.reads.get(s);
  }

  lookupNow(index: string, k: string): readonly number[] | undefined {
    const st = this.st;
    const stored = st.reads.lookupNow(index, k);
    if (stored === undefined) return undefined;
    // Read only: the stored list itself when nothing is staged over it (the usual case).
    const fresh = !stored.length || stored[stored.length - 1]! < st.committed;
    if (fresh && !st.index.get(index)?.has(k) && !st.below?.index.get(index)?.has(k)) return stored;
    return this.asStaged(index, k, stored);
  }

  getNow(s: number): StoredEntry | undefined {
    const st = this.st;
    return st.entries.get(s) ?? st.below?.entries.get(s) ?? st.reads.getNow(s);
  }

  /**
   * Rows of the store below `committed` (a read may race the write of the batch below), then staged ones. The stored
   * rows are in log order; a fresh array either way (the hook may keep or change it).
   */
  private asStaged(index: string, k: string, stored: readonly number[]): number[] {
    const st = this.st;
    const rows =
      stored.length && stored[stored.length - 1]! >= st.committed
        ? stored.filter((s) => s < st.committed)
        : stored.slice();
    const below = st.below?.index.get(index)?.get(k);
    const staged = st.index.get(index)?.get(k);
    if (below) rows.push(...below);
    if (staged) rows.push(...staged);
    return rows;
  }
}

/**
 * Refuses an entry with its issues: ValidationError, each path prefixed with the entry's index in its batch when it is
 * one of several. (A function, not a closure made per entry.)
 */
function refuse(batchIndex: number | undefined, issues: Issue[]): never {
  throw new ValidationError(
    batchIndex === undefined ? issues : issues.map((i) => ({ ...i, path: [batchIndex, ...i.path] })),
  );
}

/** Signatures are requested in chunks of this many entries while later entries are still being built. */
const SIGN_CHUNK = 128;
/**
 * Chunks of at least this many signatures are checked on worker threads: below it, posting the job costs more than
 * the checks (one Ed25519 verification is about 120 µs here, a round trip to a worker a few tens of µs).
 */
const VERIFY_POOL_MIN = 32;
/** Bounds of the committed-read cache of check hooks (index keys, entries). */
const READ_CACHE_LOOKUPS = 20_000;
/** Keys per store read while a key filter is filled (key-filter.ts). */
const FILTER_PAGE = 4096;
const READ_CACHE_ENTRIES = 5_000;

function signerFailed(message: string, cause?: unknown): CryptoError {
  return new CryptoError('CRYPTO_SIGNER_FAILED', message, cause === undefined ? undefined : { cause });
}

function signerThrew(err: unknown): CryptoError {
  return signerFailed(`signer failed: ${(err as Error)?.message ?? String(err)}`, err);
}

/** Whether an item has a core entry (keys, roles, kinds): staging gives it its own copy of the registry. */
function hasCoreInput(inputs: readonly AppendInput[]): boolean {
  for (const i of inputs) if (i?.kind?.startsWith('core/')) return true;
  return false;
}

/**
 * How many entries' signatures a group commit of `items` requests at a time: SIGN_CHUNK, but at most half the group
 * (and no fewer than VERIFY_POOL_MIN), so that in a group of 64 awaited appends (64 callers, each answered together
 * and appending again together) the workers check the first half while this thread signs the second, instead of
 * starting only once every entry is signed.
 */
function signChunkOf(items: readonly Pending[]): number {
  let n = 0;
  for (const p of items) n += p.inputs.length;
  return Math.min(SIGN_CHUNK, Math.max(VERIFY_POOL_MIN, Math.ceil(n / 2)));
}

function signatureWrong(): CryptoError {
  return signerFailed(
    'signer returned a signature that does not verify for this entry under its public key; nothing written',
  );
}

/**
 * A group commit as built (Ledger.stageBatch), its signatures requested; `Ledger.finishBatch` checks them and prepares
 * the write. A class, not closures over the build: a group commit of one entry (an awaited append) pays for one object.
 */
class StagedBatch {
  readonly results = new Map<Pending, AppendResult[]>();
  readonly accepted: Pending[] = [];
  readonly requeue: Pending[] = [];
  /** Items refused while staging, with their errors: delivered once the batch below it is known to stand. */
  readonly refused: Array<readonly [Pending, unknown]> = [];
  /** False once a refused signature rolled entries back: a batch staged on this one no longer fits. */
  intact = true;
  /** Entries built and not yet written; the first `unsigned` of them had their signatures requested. */
  prepared: Prepared[] = [];
  unsigned = 0;
  /** Whether a chunk of this batch went to the workers (its checks are shared: see `signatures`). */
  sharing = false;
  /** Signature checks handed to the workers and not yet helped with; `sharedAdded` wakes a wait for one. */
  readonly shared: SharedCheck[] = [];
  private sharedAdded: (() => void) | undefined;
  /** The log size it was staged on. */
  readonly start: number;

  constructor(
    readonly items: readonly Pending[],
    readonly st: BatchState,
  ) {
    this.start = st.size;
  }

  savepoint(): SavePoint {
    const st = this.st;
    return {
      size: st.size,
      lastEntryHash: st.lastEntryHash,
      lastTime: st.lastTime,
      registry: st.registry,
      prepared: this.prepared.length,
    };
  }

  /** Undoes what was staged after `sp`. */
  rollback(sp: SavePoint): void {
    const st = this.st;
    for (let i = sp.prepared; i < this.prepared.length; i++) {
      const p = this.prepared[i]!;
      st.entries.delete(p.entry.seq);
      for (const r of p.rows) st.index.get(r.index)?.get(r.key)?.pop();
    }
    this.prepared.length = sp.prepared;
    this.unsigned = Math.min(this.unsigned, sp.prepared);
    st.size = sp.size;
    st.lastEntryHash = sp.lastEntryHash;
    st.lastTime = sp.lastTime;
    st.registry = sp.registry;
  }

  /** A chunk's signature check handed to the workers: helped with by `signatures` when it would otherwise wait. */
  addShared(check: SharedCheck): void {
    this.shared.push(check);
    this.sharedAdded?.();
  }

  /**
   * Waits for every requested signature and its check (undefined when all are back): checking on this thread what the
   * workers have not claimed yet: instead of waiting for them (on a loaded machine they may not be scheduled for a
   * while), this thread takes the rest, signature by signature, as they do.
   */
  signaturesBack(): Promise<unknown> | undefined {
    // The chunks, in order (each entry's chunk is the previous entry's or the next one).
    const waits: Array<Promise<void>> = [];
    let last: SigChunk | undefined;
    for (const p of this.prepared)
      if (p.sig !== last) {
        last = p.sig!;
        if (last.out === undefined) waits.push(last.done);
      }
    if (!this.sharing) {
      // Every chunk was checked on this thread: nothing to help with.
      return waits.length === 0 ? undefined : waits.length === 1 ? waits[0] : Promise.all(waits);
    }
    return this.helpUntil(Promise.all(waits));
  }

  private async helpUntil(waits: Promise<unknown>): Promise<void> {
    let done = false;
    const all = waits.finally(() => {
      done = true;
    });
    while (!done) {
      for (const check of this.shared.splice(0)) check.help();
      if (done) break;
      await Promise.race([
        all,
        new Promise<void>((r) => {
          this.sharedAdded = r;
        }),
      ]);
      this.sharedAdded = undefined;
    }
    await all;
  }

  /** Per prepared entry, once `signaturesBack` is done: its signature or the error that refuses it. */
  signatures(): Array<Uint8Array | CryptoError> {
    const prepared = this.prepared;
    const sigs = new Array<Uint8Array | CryptoError>(prepared.length);
    for (let i = 0; i < prepared.length; i++) sigs[i] = prepared[i]!.sig!.out![prepared[i]!.sigAt!]!;
    return sigs;
  }
}

/** How a group commit ended: `intact` when it wrote everything it staged; `requeued` items went back to the queue. */
interface Outcome {
  readonly intact: boolean;
  readonly requeued: number;
}

/** A group commit being written (Ledger.startBatch). */
class InFlight {
  /** The batch once built (undefined if it failed before); null while not known. */
  private built: StagedBatch | undefined | null = null;
  /** The flush loop waiting for `staged` (one at most). */
  private waiter: ((b: StagedBatch | undefined) => void) | undefined;
  done!: Promise<Outcome>;
  /** Its number of inputs. */
  readonly inputs: number;
  /**
   * Set when its write has ended, written or not, and its callers are answered (`done` follows a few turns later):
   * a caller who appends again on being answered finds nothing left to stage on.
   */
  ended = false;

  constructor(items: readonly Pending[]) {
    let n = 0;
    for (const p of items) n += p.inputs.length;
    this.inputs = n;
  }

  /** Resolves once it is built (undefined if it failed before). Made only when the loop stages on it. */
  staged(): Promise<StagedBatch | undefined> {
    if (this.built !== null) return Promise.resolve(this.built);
    return new Promise((r) => {
      this.waiter = r;
    });
  }

  /** Called once it is built, and with undefined when its write ends (no effect after the first call). */
  onStaged(b: StagedBatch | undefined): void {
    if (this.built !== null) return;
    this.built = b;
    this.waiter?.(b);
    this.waiter = undefined;
  }
}

/** A point to roll a batch back to when an item fails. */
interface SavePoint {
  readonly size: number;
  readonly lastEntryHash: Uint8Array;
  readonly lastTime: number;
  readonly registry: KeyRegistry;
  readonly prepared: number;
}

const EMPTY = new Uint8Array(0);

/**
 * The implementation for a ledger whose manifest names `suiteId`: the caller's if it is for that suite, else the Node
 * one from the registry. CryptoError CRYPTO_UNKNOWN_SUITE for an unknown id or a caller's suite of another id.
 */
function suiteFor(suiteId: unknown, given: CryptoSuite | undefined): CryptoSuite {
  const known = suiteById(suiteId);
  if (given === undefined) return known;
  if (given.id !== known.id)
    throw new CryptoError('CRYPTO_UNKNOWN_SUITE', `this ledger uses suite ${known.id}, not ${given.id}`);
  return given;
}

/**
 * The suite for verifying the store `db` at rest: the one its manifest (entry 0) names. A store whose manifest is
 * missing, unreadable or names an unknown suite gets the default, so that verify runs and reports that problem
 * (MANIFEST_MISSING / MANIFEST_INVALID / UNKNOWN_SUITE) with its location instead of throwing.
 */
async function suiteOfStore(db: StoreReader, given: CryptoSuite | undefined): Promise<CryptoSuite> {
  let named: unknown;
  try {
    const bytes = await db.get(entryKey(0));
    const body = bytes ? decodeSignedEntry(bytes).entry.body : undefined;
    named = field(body, 'suite');
  } catch {
    named = undefined;
  }
  return isSuiteId(named) ? suiteFor(named, given) : (given ?? suiteById(SUITE_ID));
}

/**
 * The log. `M` is its body map (kind name → body type, type level only): the core kinds plus those of the `kinds`
 * it was created or opened with, so `get(seq, kind)`, `entries({ kind })` and `isKind` give typed bodies.
 */
export class Ledger<M extends BodyMap = CoreBodies> {
  private _suite: CryptoSuite;
  private readonly clock: Clock;
  private readonly sync: boolean;
  private readonly kindDefs = new Map<string, KindDefinition>();
  private checkpointSigner: Signer | undefined;
  private registry: KeyRegistry;
  private range!: CompactRange;
  private _size = 0;
  private lastEntryHash: Uint8Array = ZERO_HASH;
  private lastTime = 0;
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  private _ledgerId: Uint8Array = ZERO_HASH;

  /** The suite of this ledger (fixed by its manifest). */
  get suite(): CryptoSuite {
    return this._suite;
  }

  private readonly givenSuite: CryptoSuite | undefined;
  /** The `signatureChecks` option (undefined: the process-wide default, 'auto'). */
  private readonly signatureChecks: CheckPlacement | undefined;

  private constructor(
    private readonly db: LedgerStore,
    private readonly ownsDb: boolean,
    opts: LedgerOptionsBase,
  ) {
    this.givenSuite = opts.suite;
    this._suite = opts.suite ?? suiteById(SUITE_ID);
    this.clock = opts.clock ?? Date.now;
    this.sync = opts.sync ?? true;
    this.signatureChecks = opts.signatureChecks;
    this.checkpointSigner = opts.checkpointSigner;
    for (const k of opts.kinds ?? []) this.setKindDef(k);
    this.registry = new KeyRegistry((pub) => this.suite.keyId(pub));
  }

  /** Creates a new ledger: writes the manifest (entry 0) and declares the given kinds. Fails if one exists there. */
  static async create<S extends BodyMap = Record<never, never>>(
    location: Location,
    opts: CreateOptions & { readonly kinds?: KindSet<S> },
  ): Promise<Ledger<CoreBodies & S>> {
    if (!opts || typeof opts !== 'object') throw new TypeError('options are required');
    if (typeof opts.origin !== 'string') throw new TypeError('origin must be a string');
    if (!opts.signer || typeof opts.signer.sign !== 'function')
      throw new TypeError('signer must be a Signer');
    checkPlacementOption(opts.signatureChecks);
    const suite = suiteFor(opts.signer.suite ?? SUITE_ID, opts.suite);
    const { store: db, owns } = await openStore(location, { createIfMissing: true });
    const ledger = new Ledger<CoreBodies & S>(db, owns, { ...opts, suite });
    try {
      // Checked again under the append lock (another process may be creating it at the same time).
      if ((await db.head()) > 0)
        throw new StorageError('STORAGE_EXISTS', 'a ledger already exists here; use Ledger.open');
      const checkpointSigner = opts.checkpointSigner ?? opts.signer;
      const time = ledger.clock();
      const manifest: ManifestBody = {
        v: 1,
        origin: opts.origin,
        suite: suite.id,
        created: time,
        rootKeys: [
          { publicKey: opts.signer.publicKey, principal: opts.principal ?? 'root' },
          ...(opts.rootKeys ?? []),
        ],
        checkpointKey: { name: opts.origin, publicKey: checkpointSigner.publicKey },
        ...(opts.attributes !== undefined ? { attributes: opts.attributes } : {}),
      };
      const issues = validateCoreBody(MANIFEST_KIND, manifest);
      if (issues.length)
        throw new ValidationError(issues.map((i) => ({ ...i, path: ['manifest', ...i.path] })));
      const manifestBytes = encodeCanonical(manifest);
      ledger._ledgerId = ledger.suite.hash(manifestBytes);
      ledger.checkpointSigner = checkpointSigner;
      ledger.range = new CompactRange(ledger.suite.hash);
      // The manifest and the kind declarations land in one atomic batch: a crash leaves all or nothing.
      const toDeclare = (opts.kinds ?? []).map((k) => ({
        kind: KIND_DECLARE_KIND,
        body: { kind: k.kind, roles: [...k.roles] },
      }));
      await ledger.enqueue([{ kind: MANIFEST_KIND, body: manifest }, ...toDeclare], opts.signer);
      return ledger;
    } catch (err) {
      await ledger.closeStore();
      throw err;
    }
  }

  /** Opens an existing ledger without scanning it: O(log n) reads for the tree, O(keys) for the key registry. */
  static async open<S extends BodyMap = Record<never, never>>(
    location: Location,
    opts: OpenOptions & { readonly kinds?: KindSet<S> } = {},
  ): Promise<Ledger<CoreBodies & S>> {
    checkPlacementOption(opts.signatureChecks);
    const { store: db, owns } = await openStore(location, { createIfMissing: false });
    const ledger = new Ledger<CoreBodies & S>(db, owns, opts);
    try {
      await ledger.load();
      return ledger;
    } catch (err) {
      await ledger.closeStore();
      throw err;
    }
  }

  /**
   * Verifies a ledger at rest without opening it for writing: works even when the store is too damaged for `open`
   * (a missing manifest or tree node, an unreadable block), which is exactly when an auditor needs a located report;
   * and on a write-protected or writer-held folder, through a private copy (`openForReading`). On PostgreSQL it reads
   * one REPEATABLE READ snapshot, while other processes go on appending.
   */
  static async verify(
    location: Location,
    options: VerifyOptions & {
      readonly kinds?: readonly KindDefinition[];
      readonly suite?: CryptoSuite;
    } = {},
  ): Promise<LedgerVerifyReport> {
    const { reader: db, close } = await openStoreForReading(location);
    try {
      const size = await storedSize(db);
      return await verifyLedger(
        {
          db,
          suite: await suiteOfStore(db, options.suite),
          kinds: new Map((options.kinds ?? []).map((k) => [k.kind, k])),
          size,
        },
        options,
      );
    } finally {
      await close().catch(() => {});
    }
  }

  private async load(): Promise<void> {
    // Open refuses a store it cannot read (verify locates the damage); the append path relies on the last entry.
    let size: number;
    try {
      size = await this.db.head();
    } catch (err) {
      throw mapLevelError(err, 'ledger');
    }
    if (size === 0) throw new StorageError('STORAGE_NOT_FOUND', 'no ledger here (no manifest entry)');
    // The log's own state (manifest, suite, keys, roles, kinds): the same replay verify and bundles use.
    const genesis = await this.readEntry(0);
    // The manifest fixes the suite (its hash gives the ledger id): another suite's implementation is refused.
    const named = field(genesis.body, 'suite');
    if (genesis.kind === MANIFEST_KIND && isSuiteId(named)) this._suite = suiteFor(named, this.givenSuite);
    const start = LogState.fromGenesis(genesis, this.suite);
    if (!start.ok)
      throw new StorageError(
        'STORAGE_CORRUPT',
        `${start.problem.code}: ${start.problem.message}; run verify`,
      );
    const state = start.state;
    const header = state.headerProblems(genesis, 0);
    if (header.length)
      throw new StorageError('STORAGE_CORRUPT', `${header[0]!.code}: ${header[0]!.message}; run verify`);
    this._ledgerId = state.ledgerId;
    // Keys and kinds: only the core entries, found through their index rows.
    const coreSeqs = new Set<number>();
    for (const kind of [KEY_REGISTER_KIND, KEY_REVOKE_KIND, KIND_DECLARE_KIND])
      for (const s of await this.lookup(CORE_KIND_INDEX, kind)) coreSeqs.add(s);
    for (const s of [...coreSeqs].sort((a, b) => a - b)) if (s < size) state.apply(await this.readEntry(s));
    this.registry = state.registry;
    // Tree frontier from the perfect nodes of rootPlan(size).
    const plan = rootPlan(size);
    const hashes = await this.getNodes(plan);
    this.range = CompactRange.fromFrontier(this.suite.hash, size, hashes);
    const lastEntry = await this.get(size - 1);
    this._size = size;
    this.lastEntryHash = this.suite.hash(decodeSignedEntry(lastEntry.bytes).entryBytes);
    this.lastTime = lastEntry.time;
    if (!bytesEqual(hashes[hashes.length - 1]!, lastEntry.leafHash) && plan[plan.length - 1]!.level === 0)
      throw new StorageError('STORAGE_CORRUPT', 'stored tree does not match the last entry; run verify');
  }

  // ---------------------------------------------------------------- reading

  get size(): number {
    return this._size;
  }

  get ledgerId(): Uint8Array {
    return this._ledgerId;
  }

  get manifest(): ManifestBody {
    return this.registry.manifest!;
  }

  get origin(): string {
    return this.manifest.origin;
  }

  /** Keys as of the current end of the log. */
  get keys(): KeyRegistry {
    return this.registry;
  }

  /** Kind definitions known to this process. */
  get kinds(): ReadonlyMap<string, KindDefinition> {
    return this.kindDefs;
  }

  /** The underlying store, for tools that need raw access (tests, migrations). */
  get store(): LedgerStore {
    return this.db;
  }

  private async readEntry(seq: number): Promise<Entry> {
    return (await this.get(seq)) as Entry;
  }

  /**
   * The entry at `seq`. With `kind`, its body is typed by this ledger's body map, and an entry of another kind
   * throws STORAGE_NOT_FOUND. Bodies are not re-validated on read: the kind's schema checked them on append, and
   * `verify` checks them again.
   */
  get(seq: number): Promise<StoredEntry>;
  get<K extends KindOf<M>>(seq: number, kind: K): Promise<EntryOf<M, K>>;
  async get(seq: number, kind?: string): Promise<StoredEntry> {
    const e = await this.getAny(seq);
    if (kind !== undefined && e.kind !== kind)
      throw new StorageError('STORAGE_NOT_FOUND', `entry ${seq} is ${e.kind}, not ${kind}`);
    return e;
  }

  /** Narrows an entry to a kind of this ledger's body map (compares the kind name; see `kindGuard`). */
  isKind<K extends KindOf<M>, E extends Entry>(entry: E, kind: K): entry is Narrowed<E, K, M[K]> {
    return entry.kind === kind;
  }

  private async getAny(seq: number): Promise<StoredEntry> {
    this.assertOpen();
    if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('seq must be a non-negative integer');
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.db.get(entryKey(seq));
    } catch (err) {
      throw mapLevelError(err, `entry ${seq}`);
    }
    if (!bytes) throw new StorageError('STORAGE_NOT_FOUND', `no entry ${seq}`);
    return this.toStored(bytes, seq);
  }

  private toStored(bytes: Uint8Array, seq: number): StoredEntry {
    let d: ReturnType<typeof decodeSignedEntry>;
    try {
      d = decodeSignedEntry(bytes);
    } catch (err) {
      throw new StorageError('STORAGE_CORRUPT', `entry ${seq} is not a valid entry; run verify`, {
        cause: err,
      });
    }
    return { ...d.entry, signature: d.signature, bytes, leafHash: hashLeaf(this.suite.hash, bytes) };
  }

  /** Entries in [from, to) in order, streamed; with `kind`, only that kind's, their bodies typed. */
  entries(range?: { from?: number; to?: number }): AsyncIterableIterator<StoredEntry>;
  entries<K extends KindOf<M>>(range: {
    from?: number;
    to?: number;
    kind: K;
  }): AsyncIterableIterator<EntryOf<M, K>>;
  async *entries(
    range: { from?: number; to?: number; kind?: string } = {},
  ): AsyncIterableIterator<StoredEntry> {
    this.assertOpen();
    const from = range.from ?? 0;
    const to = range.to ?? this._size;
    for await (const [k, v] of this.db.iterate({ gte: entryKey(from), lt: entryKey(to) })) {
      const e = this.toStored(v, readU64(k, 1));
      if (range.kind === undefined || e.kind === range.kind) yield e;
    }
  }

  /** Seqs of entries with `key` in `index`, in log order. */
  async lookup(index: string, key: string): Promise<number[]> {
    this.assertOpen();
    const prefix = indexPrefix(index, key);
    const keys = await this.db.allKeys({ gte: prefix, lt: prefixEnd(prefix) });
    return keys.map((k) => readU64(k, k.length - 8));
  }

  /** Index rows whose key is in [gte, lt), in key order then log order. */
  async lookupRange(
    index: string,
    range: { gte?: string; lt?: string } = {},
  ): Promise<Array<{ key: string; seq: number }>> {
    this.assertOpen();
    const base = indexPrefix(index);
    const gte = range.gte !== undefined ? indexPrefix(index, range.gte) : base;
    const lt = range.lt !== undefined ? indexPrefix(index, range.lt) : prefixEnd(base);
    const keys = await this.db.allKeys({ gte, lt });
    const dec = new TextDecoder();
    const out: Array<{ key: string; seq: number }> = [];
    for (const k of keys) {
      const p = parseIndexKey(k);
      if (p) out.push({ key: dec.decode(p.key), seq: p.seq });
    }
    return out;
  }

  // ---------------------------------------------------------------- tree

  private async getNodes(ids: readonly NodeId[]): Promise<Uint8Array[]> {
    if (ids.length === 0) return [];
    let vals: Array<Uint8Array | undefined>;
    try {
      vals = await this.db.getMany(ids.map((id) => nodeKey(id.level, id.index)));
    } catch (err) {
      throw mapLevelError(err, 'tree nodes');
    }
    return vals.map((v, i) => {
      if (v?.length !== 32)
        throw new StorageError(
          'STORAGE_CORRUPT',
          `tree node (${ids[i]!.level}, ${ids[i]!.index}) is missing or malformed; run verify`,
        );
      return v;
    });
  }

  /** Root hash at `treeSize` (default: current size). O(log n) reads. */
  async root(treeSize: number = this._size): Promise<Uint8Array> {
    this.assertOpen();
    this.checkTreeSize(treeSize, 'treeSize');
    if (treeSize === this._size) return this.range.root();
    if (treeSize === 0) return this.suite.hash(EMPTY);
    return foldNodes(this.suite.hash, await this.getNodes(rootPlan(treeSize)));
  }

  /**
   * Hashes of the perfect subtrees at `level` (2^level leaves each) with index in [begin, end), as stored: level 0
   * gives leaf hashes. Every one must be complete in the log as it stands (`end · 2^level ≤ size`, else RangeError).
   * The C2SP tlog-tiles reader (src/serve/tiles.ts) serves level 8·L of tile row L from here.
   */
  async subtreeHashes(level: number, begin: number, end: number): Promise<Uint8Array[]> {
    this.assertOpen();
    if (!Number.isSafeInteger(level) || level < 0 || level > 52)
      throw new RangeError('level must be in [0, 52]');
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < begin)
      throw new RangeError('begin and end must be integers with 0 ≤ begin ≤ end');
    if (end * 2 ** level > this._size)
      throw new RangeError(
        `subtrees [${begin}, ${end}) at level ${level} are not complete at size ${this._size}`,
      );
    const ids: NodeId[] = [];
    for (let i = begin; i < end; i++) ids.push({ level, index: i });
    return this.getNodes(ids);
  }

  /** RFC 9162 inclusion proof of entry `seq` in the tree of size `treeSize`. O(log n) reads. */
  async inclusionProof(seq: number, treeSize: number = this._size): Promise<Uint8Array[]> {
    this.assertOpen();
    this.checkTreeSize(treeSize, 'treeSize');
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= treeSize)
      throw new RangeError('seq must be < treeSize');
    return this.materializePlan(inclusionProofPlan(seq, treeSize));
  }

  /** RFC 9162 consistency proof between tree sizes `size1` ≤ `size2`. O(log n) reads. */
  async consistencyProof(size1: number, size2: number = this._size): Promise<Uint8Array[]> {
    this.assertOpen();
    this.checkTreeSize(size2, 'size2');
    if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2)
      throw new RangeError('size1 must be in [1, size2]');
    return this.materializePlan(consistencyProofPlan(size1, size2));
  }

  private async materializePlan(plan: NodeId[][]): Promise<Uint8Array[]> {
    return materializeAsync(this.suite.hash, plan, (ids) => this.getNodes(ids));
  }

  private checkTreeSize(n: number, name: string): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this._size)
      throw new RangeError(`${name} must be in [0, ${this._size}]`);
  }

  // ---------------------------------------------------------------- checkpoints

  /**
   * Signs a checkpoint (C2SP tlog-checkpoint as a signed note) of the log as it stands, after checking that it is
   * consistent with the latest checkpoint in the log, and records it in the log as a `core/checkpoint` entry (so a
   * deleted or altered checkpoint is itself detected). Returns the note text; its size is the entry count before
   * the checkpoint entry.
   */
  async checkpoint(): Promise<string> {
    return (await this.signCheckpointEntry(false))!;
  }

  /**
   * Signs and records a checkpoint as `checkpoint` does, but only when the log grew since its last checkpoint (its
   * last entry is not a checkpoint); otherwise records nothing and returns undefined. The test runs under the append
   * lock, after the entries other processes appended are caught up, so servers sharing one PostgreSQL ledger that
   * all call this on a schedule record one checkpoint per new size, not one each.
   */
  checkpointIfGrown(): Promise<string | undefined> {
    return this.signCheckpointEntry(true);
  }

  private async signCheckpointEntry(ifGrown: boolean): Promise<string | undefined> {
    this.assertOpen();
    const signer = this.checkpointSigner;
    if (!signer) throw new TypeError('no checkpointSigner: pass one to Ledger.open to sign checkpoints');
    const ck = this.manifest.checkpointKey;
    if (!bytesEqual(signer.publicKey, ck.publicKey))
      throw new PolicyError(
        'CHECKPOINT_KEY_MISMATCH',
        'checkpointSigner is not the checkpoint key of the manifest',
      );
    // Serialise with appends: the note is built inside the batch so that its size is exactly the entry's seq.
    let note = '';
    const unchanged = new Error('the last entry is a checkpoint');
    const run = this.enqueue([{ kind: CHECKPOINT_KIND, body: { note: '' } }], signer, async (st) => {
      if (ifGrown && st.size > 0) {
        const last = st.entries.get(st.size - 1) ?? (await this.get(st.size - 1));
        if (last.kind === CHECKPOINT_KIND) throw unchanged;
      }
      const latest = await this.latestStoredCheckpoint();
      const root = st.range!.root(); // a late item is built on the written log (see take)
      if (latest) {
        // Stored checkpoints cover committed entries only, so their root is computed from stored nodes.
        if (latest.size > this._size || !bytesEqual(await this.root(latest.size), latest.rootHash))
          throw new PolicyError(
            'CHECKPOINT_INCONSISTENT',
            `refusing to sign: the checkpoint at size ${latest.size} does not match this log; run verify`,
          );
      }
      note = await signCheckpoint({ origin: this.origin, size: st.size, rootHash: root }, ck.name, signer);
      return { kind: CHECKPOINT_KIND, body: { note } };
    });
    try {
      await run;
    } catch (err) {
      if (err === unchanged) return undefined;
      throw err;
    }
    return note;
  }

  /** Checkpoint notes recorded in the log, newest first. */
  async checkpoints(limit = Number.POSITIVE_INFINITY): Promise<string[]> {
    this.assertOpen();
    const seqs = await this.lookup(CORE_KIND_INDEX, CHECKPOINT_KIND);
    const out: string[] = [];
    for (let i = seqs.length - 1; i >= 0 && out.length < limit; i--) {
      const e = await this.get(seqs[i]!); // by the kind index: a checkpoint entry
      if (isCoreKind(e, CHECKPOINT_KIND)) out.push(e.body.note);
    }
    return out;
  }

  /**
   * The newest checkpoint already on disk, verified. (A checkpoint signed earlier in the same batch was computed from
   * the same in-memory tree, so it is consistent by construction.)
   */
  private async latestStoredCheckpoint() {
    const [note] = await this.checkpoints(1);
    return note === undefined ? undefined : this.verifyOwnCheckpoint(note);
  }

  /** Verifies a checkpoint note against this ledger's checkpoint key. Throws CryptoError when it does not verify. */
  verifyOwnCheckpoint(note: string): { origin: string; size: number; rootHash: Uint8Array } {
    return checkpointVerifier(this.manifest, this.suite)(note);
  }

  // ---------------------------------------------------------------- appending

  /**
   * Appends one entry signed by `signer`. Resolves once the entry is durable (its batch synced to disk, unless the
   * ledger was opened with `sync: false`). Throws ValidationError (bad body, every issue with its path),
   * PolicyError (signer not registered, revoked, or lacking the kind's role; kind undeclared) and StorageError.
   * Nothing is written when it throws.
   */
  async append(input: AppendInput, signer: Signer): Promise<AppendResult> {
    return (await this.enqueue([input], signer))[0]!;
  }

  /** Appends several entries atomically: all are written, in order, or none (errors name the input index). */
  appendBatch(inputs: readonly AppendInput[], signer: Signer): Promise<AppendResult[]> {
    if (!Array.isArray(inputs) || inputs.length === 0)
      throw new TypeError('inputs must be a non-empty array');
    return this.enqueue(inputs, signer);
  }

  /**
   * Checks `inputs` as `appendBatch` would at the current end of the log (signer, roles, schema, references, kind
   * checks), without signing or writing: throws the error the append would throw. A caller that must store files
   * before it can append (content refs) checks first, so that a refused record leaves no file behind. An append
   * after a passing check can still be refused if the log changed in between.
   */
  async check(inputs: readonly AppendInput[], signer: Signer): Promise<void> {
    this.assertOpen();
    if (!Array.isArray(inputs) || inputs.length === 0)
      throw new TypeError('inputs must be a non-empty array');
    if (!signer || typeof signer.sign !== 'function' || !(signer.publicKey instanceof Uint8Array))
      throw new TypeError('signer must be a Signer');
    await this.flushing;
    const st = this.committedState();
    st.registry = this.registry.clone();
    const item: Pending = { inputs, signer, resolve: () => {}, reject: () => {} };
    const before: SavePoint = { ...st, prepared: 0 };
    for (let i = 0; i < inputs.length; i++)
      await this.prepare(st, item, inputs[i]!, before, inputs.length > 1 ? i : undefined);
  }

  /** Registers a key for a principal with roles; `admin` must sign. */
  registerKey(
    reg: { publicKey: Uint8Array; principal: string; roles: readonly string[]; attributes?: CborValue },
    admin: Signer,
  ): Promise<AppendResult> {
    const body: Record<string, CborValue> = {
      publicKey: reg.publicKey,
      principal: reg.principal,
      roles: [...reg.roles],
    };
    if (reg.attributes !== undefined) body.attributes = reg.attributes;
    return this.append({ kind: KEY_REGISTER_KIND, body }, admin);
  }

  /** Revokes a key from this point of the log on; `admin` must sign. */
  revokeKey(keyId: string, reason: string, admin: Signer): Promise<AppendResult> {
    if (typeof keyId !== 'string' || !/^[0-9a-f]{64}$/.test(keyId))
      throw new TypeError('keyId must be 64 hex digits');
    return this.append({ kind: KEY_REVOKE_KIND, body: { keyId: fromHex(keyId), reason } }, admin);
  }

  /** Declares kinds in the log (their role requirements) and makes their definitions known to this process. */
  async declareKinds(defs: readonly KindDefinition[], admin: Signer): Promise<void> {
    for (const d of defs) this.setKindDef(d);
    // With several writers (PostgreSQL), another process may declare the same kinds meanwhile (several servers
    // starting at once): catch up first, and when a declaration lost that race, catch up and try what is left.
    const shared = this.db.writers === 'multi';
    for (let attempt = 0; ; attempt++) {
      if (shared) await this.refresh();
      const todo = defs.filter((d) => !this.registry.kinds.has(d.kind));
      if (!todo.length) return;
      try {
        await this.enqueue(
          todo.map((d) => ({ kind: KIND_DECLARE_KIND, body: { kind: d.kind, roles: [...d.roles] } })),
          admin,
        );
        return;
      } catch (err) {
        const lostRace =
          shared && err instanceof ValidationError && err.issues.every((i) => i.code === 'duplicate_kind');
        if (!lostRace || attempt >= 3) throw err;
      }
    }
  }

  private enqueue(
    inputs: readonly AppendInput[],
    signer: Signer,
    late?: LateBuilder,
  ): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new StorageError('STORAGE_CLOSED', 'ledger is closed'));
    if (!signer || typeof signer.sign !== 'function' || !(signer.publicKey instanceof Uint8Array))
      return Promise.reject(new TypeError('signer must be a Signer'));
    return new Promise((resolve, reject) => {
      this.queue.push(late ? { inputs, signer, resolve, reject, late } : { inputs, signer, resolve, reject });
      this.kick();
    });
  }

  /**
   * Wakes the flush loop while it waits for the group commit in flight: called when a caller queues (the loop may
   * stage the next one) and when that group commit ends.
   */
  private wake: (() => void) | undefined;

  private kick(): void {
    if (this.flushing) {
      this.wake?.();
      return;
    }
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      if (this.queue.length) this.kick();
    });
  }

  /**
   * Takes the next group commit's items off the queue (at most MAX_BATCH_INPUTS inputs). `pipelined`: stops before an
   * item built late (a checkpoint reads the committed log, so it waits for the batches below it).
   */
  private take(pipelined: boolean): Pending[] {
    const items: Pending[] = [];
    let count = 0;
    while (this.queue.length && count < MAX_BATCH_INPUTS) {
      if (pipelined && this.queue[0]!.late) break;
      const p = this.queue.shift()!;
      items.push(p);
      count += p.inputs.length;
    }
    return items;
  }

  /**
   * Writes the queue as group commits. On a single-writer store (LevelDB) they are pipelined: while one group commit's
   * signatures are checked (on worker threads) and its batch is synced, the next is built and its signatures are
   * requested, on top of the first as staged. The next one is written only once the first has committed whole; if
   * the first lost entries (a refused signature, a failed write), the next is dropped unwritten and its items go back
   * to the queue, in order, to be built again on what was written. Its refusals are held back until then, since a
   * check may have read the entries below. On a shared store (PostgreSQL) each group commit is built under the store's
   * lock on the stored head, one after another.
   */
  private async flushLoop(): Promise<void> {
    const pipelining = this.db.writers === 'single';
    let below: InFlight | undefined;
    while (this.queue.length || below) {
      // A batch whose callers are answered is written (or failed, its items back in the queue): nothing to stage on.
      if (below?.ended) {
        below = undefined;
        continue;
      }
      if (below && (!pipelining || !this.queue.length || this.queue[0]!.late || !this.enough(below.inputs))) {
        if (pipelining && !this.queue[0]?.late) {
          // Wait for the batch below to end (writeBatch wakes this loop) or for more callers: then the next batch is
          // staged while this one is written.
          await new Promise<void>((r) => {
            this.wake = r;
          });
          this.wake = undefined;
          continue;
        }
        await below.done;
        below = undefined;
        continue;
      }
      if (!below) {
        below = this.startBatch(this.take(false));
        continue;
      }
      const items = this.take(true);
      const under = await below.staged();
      let staged: StagedBatch | undefined;
      try {
        staged = under ? await this.stageBatch(items, this.stagedOn(under)) : undefined;
      } catch {
        staged = undefined; // built again below, on the written log, where the error reaches its caller
      }
      const outcome = await below.done;
      below = undefined;
      if (!staged || !outcome.intact || staged.start !== this._size) {
        // Not written: its items go back after those the batch below re-queued, ahead of later callers.
        this.queue.splice(outcome.requeued, 0, ...items);
        continue;
      }
      below = this.startBatch(items, staged);
    }
  }

  /**
   * Whether the queue holds enough to stage on a batch of `below` inputs in flight: at least half as many. Fewer wait
   * to join the callers that the batch below gives back, so that callers who append again as soon as they are
   * answered (64 officers, each awaiting its record) form one large group commit instead of a large one and a small
   * one that each pay a sync.
   */
  private enough(below: number): boolean {
    let n = 0;
    for (const p of this.queue) {
      n += p.inputs.length;
      if (2 * n >= below) return true;
    }
    return false;
  }

  /** Starts writing a group commit: `pre` staged on the batch below (pipelining), else built under the store's lock. */
  private startBatch(items: Pending[], pre?: StagedBatch): InFlight {
    const flight = new InFlight(items);
    flight.done = this.writeBatch(items, pre, flight);
    return flight;
  }

  /** Where a batch staged on `under` (still being written) starts: its end, as staged. */
  private stagedOn(under: StagedBatch): BatchState {
    const u = under.st;
    return {
      size: u.size,
      lastEntryHash: u.lastEntryHash,
      lastTime: u.lastTime,
      range: undefined,
      registry: u.registry,
      ops: [],
      index: new Map(),
      entries: new Map(),
      committed: under.start,
      below: { index: u.index, entries: u.entries },
      reads: this.reads,
      validated: new Map(),
    };
  }

  /** The batch state at the end of the committed log. */
  private committedState(): BatchState {
    return {
      size: this._size,
      lastEntryHash: this.lastEntryHash,
      lastTime: this.lastTime,
      range: this.range.clone(),
      registry: this.registry,
      ops: [],
      index: new Map(),
      entries: new Map(),
      committed: this._size,
      reads: this.reads,
      validated: new Map(),
    };
  }

  /**
   * One group commit: entries are built and checked in order (each `prev` is the hash of the previous entry's bytes,
   * so nothing waits for a signature), signed concurrently (an HSM or a signer pool works in parallel), then hashed
   * into the tree and written as one LevelDB batch with one sync. An item that fails leaves no trace; items after a
   * failed signature are re-queued, since their `prev` chains through it. `pre`: the batch was staged on the one
   * below it, which has since committed whole (see flushLoop).
   */
  private async writeBatch(
    items: Pending[],
    pre: StagedBatch | undefined,
    flight: InFlight,
  ): Promise<Outcome> {
    let built: StagedBatch | undefined;
    try {
      await this.db.append(
        async (head) => {
          if (pre) {
            // The batch below committed whole, so this one's refusals stand, and it extends the written tree.
            if (head !== pre.start)
              throw new StorageError('STORAGE_CORRUPT', 'the log moved under a staged batch');
            built = pre;
            await this.finishBatch(pre, this.range.clone());
          } else {
            // Under the store's append lock: first the entries other processes appended since our last batch.
            if (head !== this._size) await this.catchUp(head);
            built = await this.stageBatch(items, this.committedState());
            flight.onStaged(built);
            await this.finishBatch(built);
          }
          return built.accepted.length ? { puts: built.st.ops, head: built.st.size } : undefined;
        },
        { sync: this.sync },
      );
    } catch (err) {
      // Nothing was written: its entries fail. Items refused while building (their checks may have read entries of
      // this batch) and items after a refused signature go back to the queue, in order, to be built again.
      flight.onStaged(undefined);
      flight.ended = true;
      const e = mapLevelError(err, 'append');
      const again = new Set<Pending>([...(built?.requeue ?? []), ...(built?.refused ?? []).map(([i]) => i)]);
      const back = items.filter((i) => again.has(i));
      for (const item of items) if (!again.has(item)) item.reject(e);
      this.queue.unshift(...back);
      this.wake?.();
      return { intact: false, requeued: back.length };
    }
    // From here on nothing waits: the state is updated and every caller answered in this turn. (A batch staged on the
    // one below was never offered to stage on: its `staged` resolves to undefined here.)
    flight.onStaged(undefined);
    flight.ended = true;
    const { st, results, accepted, requeue, refused } = built!;
    // Refusals stand once what they were checked against is written.
    for (const [item, err] of refused) item.reject(err);
    if (requeue.length) this.queue.unshift(...requeue);
    const outcome = { intact: built!.intact, requeued: requeue.length };
    this.wake?.();
    if (accepted.length === 0) return outcome;
    this.addCommitted(st.index);
    // The committed rows extend the cached lookups of their keys (keys not cached are read from disk when asked).
    // A lookup whose read began after the write landed (from `check`) already holds them: only later seqs are added.
    for (const [index, cachedOf] of this.cachedLookups) {
      const byKey = st.index.get(index);
      if (byKey === undefined) continue;
      for (const [key, seqs] of byKey) {
        const cached = cachedOf.get(key);
        if (cached === undefined || !seqs.length) continue;
        const extend = (l: number[]) => {
          const last = l.length ? l[l.length - 1]! : -1;
          return l.concat(seqs.filter((s) => s > last));
        };
        // A settled list is extended now (`lookupNow` answers it); an unsettled one when its read ends.
        const next = this.cacheLookup(cachedOf, key, cached.p.then(extend));
        if (cached.v !== undefined) next.v = extend(cached.v);
      }
    }
    this._size = st.size;
    this.lastEntryHash = st.lastEntryHash;
    this.lastTime = st.lastTime;
    this.range = st.range!;
    this.registry = st.registry;
    for (const item of accepted) item.resolve(results.get(item)!);
    return outcome;
  }

  /**
   * Brings the in-memory state (size, tree frontier, previous entry hash, time, keys and kinds) up to `head`, the
   * stored entry count, by replaying the entries other processes appended since (a PostgreSQL ledger has several
   * writers). Called under the append lock, before a batch is built; and by `refresh`. The cached index lookups of
   * check hooks are dropped, since other writers' rows are not in them.
   */
  private async catchUp(head: number): Promise<void> {
    if (head === this._size) return;
    if (this._size === 0)
      throw new StorageError('STORAGE_EXISTS', 'a ledger already exists here; use Ledger.open');
    if (head < this._size)
      throw new StorageError(
        'STORAGE_CORRUPT',
        `the store holds ${head} entries, fewer than the ${this._size} this ledger has seen; run verify`,
      );
    const range = this.range.clone();
    const registry = this.registry.clone();
    let size = this._size;
    let lastEntryHash = this.lastEntryHash;
    let lastTime = this.lastTime;
    // Kept only while a filter needs their rows.
    const caught: StoredEntry[] = [];
    try {
      for await (const [k, v] of this.db.iterate({ gte: entryKey(size), lt: entryKey(head) })) {
        const seq = k.length === 9 ? readU64(k, 1) : -1;
        if (seq !== size) break;
        const e = this.toStored(v, seq);
        if (e.kind.startsWith('core/') && e.kind !== MANIFEST_KIND) registry.apply(e);
        if (this.filters.size) caught.push(e);
        range.append(e.leafHash);
        lastEntryHash = this.suite.hash(decodeSignedEntry(e.bytes).entryBytes);
        lastTime = Math.max(lastTime, e.time);
        size++;
      }
    } catch (err) {
      throw mapLevelError(err, 'entries appended by other writers');
    }
    if (size !== head)
      throw new StorageError(
        'STORAGE_CORRUPT',
        `entry ${size} is missing below the head ${head}; run verify`,
      );
    this.cachedLookups.clear();
    this.cachedLookupCount = 0;
    this.addCaughtUp(caught);
    this._size = size;
    this.range = range;
    this.registry = registry;
    this.lastEntryHash = lastEntryHash;
    this.lastTime = lastTime;
  }

  /**
   * Catches up with entries other processes appended to a shared store (PostgreSQL) since this ledger's last append
   * or refresh: `size`, `root`, proofs and `keys` then reflect them. Returns the new size. A LevelDB ledger has one
   * writer, so this finds nothing new there.
   */
  async refresh(): Promise<number> {
    this.assertOpen();
    while (this.flushing) await this.flushing;
    const run = (async () => {
      let head: number;
      try {
        head = await this.db.head();
      } catch (err) {
        throw mapLevelError(err, 'head');
      }
      await this.catchUp(head);
    })();
    this.flushing = run
      .catch(() => {})
      .finally(() => {
        this.flushing = undefined;
        if (this.queue.length) this.kick();
      });
    await run;
    return this._size;
  }

  /**
   * Builds one group commit (see writeBatch) on `st`: entries are built and checked in order, and their signatures
   * requested. Items refused here are listed with their errors (the caller rejects them); `finishBatch` waits for the
   * signatures, checks them and prepares the write.
   */
  private async stageBatch(items: Pending[], st: BatchState): Promise<StagedBatch> {
    const b = new StagedBatch(items, st);
    const chunk = signChunkOf(items);
    // The warm-up pass is for two or more entries with check hooks: a lone entry skips its call and its turn.
    if (items.length !== 1 || items[0]!.inputs.length > 1) await this.warmUp(items, st);
    for (const item of items) {
      if (b.requeue.length) {
        b.requeue.push(item);
        continue;
      }
      if (item.late && b.prepared.length && !(await this.signPrepared(b))) {
        b.requeue.push(item);
        continue;
      }
      const sp = b.savepoint();
      // Core entries change keys and roles: give the item its own copy so a failure leaves the registry untouched.
      if (item.late || hasCoreInput(item.inputs)) st.registry = st.registry.clone();
      try {
        for (let i = 0; i < item.inputs.length; i++) {
          const input = item.late ? await item.late(st) : item.inputs[i]!;
          b.prepared.push(await this.prepare(st, item, input, sp, item.inputs.length > 1 ? i : undefined));
          if (b.prepared.length - b.unsigned >= chunk) this.requestSignatures(b);
        }
        b.results.set(item, []);
        b.accepted.push(item);
      } catch (err) {
        b.rollback(sp);
        b.refused.push([item, err]);
      }
    }
    this.requestSignatures(b);
    return b;
  }

  /** Waits for the signatures of `b` and checks them; puts its entries into `range` (default: the state's) and the write. */
  private finishBatch(b: StagedBatch, range?: CompactRange): Promise<unknown> | undefined {
    if (range) b.st.range = range;
    return b.prepared.length ? this.signPrepared(b) : undefined;
  }

  /**
   * Requests the signatures of entries built but not yet sent to their signer, and checks each one that comes back
   * against its entry and the signer's public key. Called every SIGN_CHUNK entries so that a concurrent signer (a
   * signer pool, an HSM) works while the rest of the batch is being built.
   */
  private requestSignatures(b: StagedBatch): void {
    if (b.unsigned === b.prepared.length) return;
    const chunk = b.prepared.slice(b.unsigned);
    b.unsigned = b.prepared.length;
    // Large chunks go to the workers while the machine has a free core (check-placement.ts).
    const pool = chunk.length >= VERIFY_POOL_MIN ? this.checkPool() : undefined;
    if (pool) b.sharing = true;
    const c: SigChunk = new SigChunk(this.signChecked(chunk, pool, b));
    for (let i = 0; i < chunk.length; i++) {
      chunk[i]!.sig = c;
      chunk[i]!.sigAt = i;
    }
  }

  /**
   * Waits for every requested signature of `b`. The first entry whose signature failed (the signer threw, or returned
   * something that is not a valid signature of that entry by that key) rejects its item with CRYPTO_SIGNER_FAILED;
   * the batch rolls back to the start of that item, and the items after it are tried again in the next batch
   * (their `prev` chained through the refused entry). Then what remains goes to the tree and the batch.
   */
  private async signPrepared(b: StagedBatch): Promise<boolean> {
    this.requestSignatures(b);
    const wait = b.signaturesBack();
    if (wait) await wait;
    const sigs = b.signatures();
    let bad = -1;
    for (let i = 0; i < sigs.length; i++)
      if (!(sigs[i] instanceof Uint8Array)) {
        bad = i;
        break;
      }
    const { st, results, accepted, requeue, refused, items } = b;
    if (bad >= 0) {
      const failed = b.prepared[bad]!.item;
      failed.reject(sigs[bad]);
      const firstOfItem = b.prepared.findIndex((p) => p.item === failed);
      // Every item built after it is tried again, the refused ones too: their checks saw the refused entry.
      const isRefused = new Set(refused.map(([i]) => i));
      const later = items.slice(items.indexOf(failed) + 1).filter((i) => results.has(i) || isRefused.has(i));
      requeue.push(...later);
      for (const i of [failed, ...later]) {
        results.delete(i);
        const at = accepted.indexOf(i);
        if (at >= 0) accepted.splice(at, 1);
      }
      for (let r = refused.length - 1; r >= 0; r--) if (later.includes(refused[r]![0])) refused.splice(r, 1);
      b.rollback(b.prepared[firstOfItem]!.before);
      b.intact = false;
    }
    const prepared = b.prepared;
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i]!;
      const signature = sigs[i] as Uint8Array;
      // RFC 9162 §2.1.1 leaf hash over LEAF_PREFIX ‖ signed entry, framed in one buffer (no copy to hash it).
      const leaf = signedEntryLeaf(p.entryBytes, signature);
      const signed = leaf.subarray(1);
      const leafHash = this.suite.hash(leaf);
      const e = p.entry;
      st.ops.push({ key: entryKey(e.seq), value: signed });
      for (const n of st.range!.append(leafHash))
        st.ops.push({ key: nodeKey(n.level, n.index), value: n.hash });
      for (const key of p.rowKeys) st.ops.push({ key, value: EMPTY });
      // The staged entry (seen by later check hooks of the batch) gets its signature in place.
      e.signature = signature;
      e.bytes = signed;
      e.leafHash = leafHash;
      results.get(p.item)!.push({ seq: e.seq, leafHash, time: e.time });
    }
    b.prepared = [];
    b.unsigned = 0;
    return bad < 0;
  }

  /**
   * Reads of the committed log by check hooks, kept between batches. Entries never change; an index lookup's list
   * changes only when this ledger, the log's only writer, commits rows under that key, and `commit` appends them to
   * the cached list. Records of a case name the same case, action and officers again and again, so most of a
   * document's reference checks are answered here. Bounded: each map is dropped whole when it outgrows its limit.
   * A read that has settled keeps its value beside its promise, so that `lookupNow` / `getNow` answer it at once.
   */
  private readonly cachedLookups = new Map<string, Map<string, Cached<number[]>>>();
  /** Keys in `cachedLookups`, all indexes together (its bound). */
  private cachedLookupCount = 0;
  private readonly cachedEntries = new Map<number, Cached<StoredEntry>>();
  private readonly reads: CommittedReads = {
    lookup: (index, key) => {
      // A key no row has, by the index's filter: no storage read (a fresh array: callers may keep it).
      if (this.filterOf(index)?.mayHave(key) === false) return Promise.resolve([]);
      let byKey = this.cachedLookups.get(index);
      let c = byKey?.get(key);
      if (c === undefined) {
        if (this.cachedLookupCount >= READ_CACHE_LOOKUPS) {
          this.cachedLookups.clear();
          this.cachedLookupCount = 0;
          byKey = undefined;
        }
        if (byKey === undefined) {
          byKey = new Map();
          this.cachedLookups.set(index, byKey);
        }
        c = this.cacheLookup(byKey, key, this.lookup(index, key));
        this.cachedLookupCount++;
        c.p.catch(() => {
          if (this.cachedLookups.get(index)?.delete(key)) this.cachedLookupCount--;
        });
      }
      return c.p;
    },
    get: (seq) => {
      let c = this.cachedEntries.get(seq);
      if (c === undefined) {
        if (this.cachedEntries.size >= READ_CACHE_ENTRIES) this.cachedEntries.clear();
        const p = this.get(seq);
        const made: Cached<StoredEntry> = { p };
        c = made;
        this.cachedEntries.set(seq, made);
        p.then(
          (e) => {
            made.v = e;
          },
          () => {
            if (this.cachedEntries.get(seq) === made) this.cachedEntries.delete(seq);
          },
        );
      }
      return c.p;
    },
    lookupNow: (index, key) => {
      if (this.filterOf(index)?.mayHave(key) === false) return NO_ROWS;
      return this.cachedLookups.get(index)?.get(key)?.v;
    },
    getNow: (seq) => this.cachedEntries.get(seq)?.v,
  };

  /** Caches the lookup `p` of `key` in `byKey`; its value is kept beside it once it settles. */
  private cacheLookup(
    byKey: Map<string, Cached<number[]>>,
    key: string,
    p: Promise<number[]>,
  ): Cached<number[]> {
    const c: Cached<number[]> = { p };
    byKey.set(key, c);
    p.then(
      (v) => {
        c.v = v;
      },
      () => {},
    );
    return c;
  }

  private setKindDef(def: KindDefinition): void {
    this.kindDefs.set(def.kind, def);
    for (const index of def.filteredIndexes ?? []) this.filteredIndexes.add(index);
  }

  /** Indexes the check hooks of the known kinds read through a key filter (KindDefinition.filteredIndexes). */
  private readonly filteredIndexes = new Set<string>();
  /** Their filters, made on the first check lookup of each (see key-filter.ts); a filter that failed is remade. */
  private readonly filters = new Map<string, KeyFilter>();

  /**
   * The filter of `index` when it is ready to answer, else undefined (the lookup reads storage). The first call for a
   * filtered index makes its filter and starts the scan that fills it: from then on every row this ledger commits or
   * catches up with is added (`addCommitted`, `addCaughtUp`), so a row written while the scan runs is in it whether the scan saw it or not.
   */
  private filterOf(index: string): KeyFilter | undefined {
    if (!this.filteredIndexes.has(index)) return undefined;
    let f = this.filters.get(index);
    if (f === undefined) {
      f = new KeyFilter();
      this.filters.set(index, f);
      void this.fillFilter(index, f);
      return undefined;
    }
    return f.ready && !f.overflowed ? f : undefined;
  }

  private async fillFilter(index: string, f: KeyFilter): Promise<void> {
    const prefix = indexPrefix(index);
    const lt = prefixEnd(prefix);
    try {
      // In pages (one store call each; appends go on between them). A row written behind the page being read is
      // added by its commit, since the filter exists: rows are never removed, so nothing is missed.
      let after: Uint8Array | undefined;
      for (;;) {
        const page = await this.db.allKeys(
          after === undefined
            ? { gte: prefix, lt, limit: FILTER_PAGE }
            : { gt: after, lt, limit: FILTER_PAGE },
        );
        for (const k of page) f.addRow(k, prefix.length);
        // A scan that a close cut short is not complete.
        if (f.overflowed || this.closed) return;
        if (page.length < FILTER_PAGE) break;
        after = page[page.length - 1];
      }
      f.ready = true;
    } catch {
      // Unreadable now (closed, a read error): the lookups read storage, and the next one tries again.
      if (this.filters.get(index) === f) this.filters.delete(index);
    }
  }

  /** Adds the committed rows of a group commit (`st.index`) to the filters. */
  private addCommitted(index: RowIndex): void {
    // forEach: no iterator or entry pair per filter and key (this runs for every group commit).
    this.filters.forEach((f, name) => {
      index.get(name)?.forEach((seqs, key) => {
        if (seqs.length) f.add(key); // empty: rolled back
      });
    });
  }

  /**
   * Adds the rows of entries other writers appended (caught up with) to the filters. Their rows are what this process's
   * kind definitions derive, as verify derives them; an entry of a kind this process does not know (its rows are not
   * known here), or whose rows cannot be derived, drops every filter (they are made again by a scan when next asked).
   */
  private addCaughtUp(entries: readonly StoredEntry[]): void {
    if (this.filters.size === 0) return;
    try {
      for (const e of entries) {
        const def = this.kindDefs.get(e.kind);
        if (def === undefined && !e.kind.startsWith('core/') && e.kind !== MANIFEST_KIND)
          throw new Error(`unknown kind ${e.kind}`);
        for (const r of indexRowsOf(e, def)) this.filters.get(r.index)?.add(r.key);
      }
    } catch {
      this.filters.clear();
    }
  }

  /**
   * Before a batch is built in order, the check hooks of its entries run together against the committed log, so
   * that their reads (index lookups, referenced entries) are issued at once — LevelDB serves them in parallel —
   * and cached for the batch; the real checks then run one after another, each seeing the entries staged before it,
   * and find their reads done. Bodies are validated here, once. Results of this pass are discarded: a hook must be
   * free of side effects (it may run twice). Only batches with two or more checked entries take this pass.
   */
  private async warmUp(items: readonly Pending[], st: BatchState): Promise<void> {
    const todo: Array<{ def: KindDefinition; input: AppendInput; item: Pending; seq: number }> = [];
    let seq = st.size;
    for (const item of items) {
      if (item.late) break;
      for (const input of item.inputs) {
        const def = typeof input?.kind === 'string' ? this.kindDefs.get(input.kind) : undefined;
        if (def?.check && def.validate && !input.kind.startsWith('core/'))
          todo.push({ def, input, item, seq });
        seq++;
      }
    }
    if (todo.length < 2) return;
    // The committed log's reads, as the real pass sees them before its staged rows: the cached list copied (a hook may
    // keep or change what `lookup` gives it; the cache is shared by every later check).
    const reads = st.reads;
    const lookup = (index: string, k: string) => reads.lookup(index, k).then(copyRows);
    await Promise.all(
      todo.map(async ({ def, input, item, seq }) => {
        try {
          const issues = def.validate!(input.body);
          st.validated.set(input, issues);
          if (issues.length) return;
          const key = st.registry.keys.get(item.signer.keyId);
          await def.check!(
            {
              version: FORMAT_VERSION,
              ledgerId: this._ledgerId,
              seq,
              prev: ZERO_HASH,
              time: st.lastTime,
              kind: input.kind,
              body: input.body,
              content: input.content ?? [],
              signer: item.signer.keyId,
            },
            {
              size: seq,
              signerRoles: key?.roles ?? [],
              signerPrincipal: key?.principal ?? '',
              lookup,
              get: reads.get,
              lookupNow: reads.lookupNow,
              getNow: reads.getNow,
            },
          );
        } catch {
          // The real pass reports what went wrong, in order.
        }
      }),
    );
  }

  /** Builds and checks one entry at the end of the batch state. Throws ValidationError / PolicyError. */
  private async prepare(
    st: BatchState,
    item: Pending,
    input: AppendInput,
    before: SavePoint,
    batchIndex?: number,
  ): Promise<Prepared> {
    const signer = item.signer;
    if (!input || typeof input !== 'object')
      refuse(batchIndex, [{ code: 'invalid_type', path: [], message: 'input must be an object' }]);
    const { kind, body } = input;
    const content = input.content ?? [];
    if (typeof kind !== 'string' || kind.length === 0 || kind.length > 128 || kind.includes('\u0000'))
      refuse(batchIndex, [
        {
          code: 'invalid_kind',
          path: ['kind'],
          message: 'kind must be a non-empty string of ≤ 128 characters',
        },
      ]);
    const contentIssues = checkContentRefs(content);
    if (contentIssues.length) refuse(batchIndex, contentIssues);
    const seq = st.size;
    if (kind === MANIFEST_KIND && seq !== 0)
      throw new PolicyError('MANIFEST_DUPLICATE', 'a manifest may only be entry 0');
    if (signer.keyId !== this.keyIdOf(signer.publicKey))
      throw new TypeError('signer.keyId does not match signer.publicKey');
    const time = Math.max(this.clock(), st.lastTime);
    if (!Number.isSafeInteger(time) || time < 0)
      throw new RangeError('clock must return integer ms since epoch');
    // The entry as staged for later check hooks of the batch: its signature fields are filled in once signed.
    const entry: Staged = {
      version: FORMAT_VERSION,
      ledgerId: this._ledgerId,
      seq,
      prev: st.lastEntryHash,
      time,
      kind,
      body,
      content,
      signer: signer.keyId,
      signature: EMPTY,
      bytes: EMPTY,
      leafHash: EMPTY,
    };

    // Who may sign this.
    if (isCoreKind(entry, MANIFEST_KIND)) {
      const m = entry.body;
      if (!m.rootKeys.some((k) => bytesEqual(k.publicKey, signer.publicKey)))
        throw new PolicyError('MANIFEST_SIGNER', 'the manifest must be signed by one of its root keys');
    } else {
      const problem = st.registry.checkSigner(entry);
      if (problem) throw new PolicyError(problem.code, problem.message, { seq, kind, signer: signer.keyId });
      const reg = st.registry.keys.get(signer.keyId)!;
      if (!bytesEqual(reg.publicKey, signer.publicKey))
        throw new PolicyError('SIGNER_UNKNOWN', 'signer public key differs from the registered key');
    }

    // What it says.
    const def = this.kindDefs.get(kind);
    let issues: Issue[] = [];
    if (kind.startsWith('core/')) {
      issues = validateCoreBody(kind, body);
      if (!issues.length) issues = st.registry.stateIssues(entry);
    } else if (def?.validate) {
      issues = st.validated.get(input) ?? def.validate(body);
    }
    if (issues.length)
      refuse(
        batchIndex,
        issues.map((i) => ({ ...i, path: ['body', ...i.path] })),
      );
    let entryBytes: Uint8Array;
    try {
      entryBytes = encodeEntry(entry);
    } catch (err) {
      if (err instanceof EncodingError)
        refuse(batchIndex, [
          {
            code: 'not_encodable',
            path: ['body'],
            message: `body cannot be canonically encoded: ${err.message}`,
          },
        ]);
      throw err;
    }
    if (entryBytes.length > MAX_ENTRY_BYTES)
      refuse(batchIndex, [
        {
          code: 'too_large',
          path: ['body'],
          message: `entry is ${entryBytes.length} bytes; the limit is ${MAX_ENTRY_BYTES} (commit content by digest)`,
        },
      ]);
    const rows = this.indexRows(entry, def);
    const rowKeys = entryIndexKeys(rows, seq);
    // A row too long to store (every store: MAX_INDEX_ROW_CHARS; PostgreSQL: its btree's key bytes) is refused here,
    // before anything is signed or written, with the path of the field the key came from.
    const maxKey = this.db.maxKeyBytes;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const chars = r.index.length + r.key.length;
      const bytes = rowKeys[i]!.length;
      if (chars > MAX_INDEX_ROW_CHARS || (maxKey !== undefined && bytes > maxKey))
        refuse(batchIndex, [
          {
            code: 'too_large',
            path: ['body', ...(pathOfKey(entry.body, r.key) ?? [])],
            message:
              chars > MAX_INDEX_ROW_CHARS
                ? `index row ${r.index} is ${chars} characters long; at most ${MAX_INDEX_ROW_CHARS}`
                : `index row ${r.index} has a ${bytes}-byte key; this ${this.db.kind} store keeps keys of at most ${maxKey} bytes`,
          },
        ]);
    }
    if (def?.check) {
      const key = st.registry.keys.get(signer.keyId);
      st.hookReads ??= this.hookReads(st);
      const reads = st.hookReads;
      const ctx: KindCheckContext = {
        size: st.size,
        signerRoles: key?.roles ?? [ADMIN_ROLE],
        signerPrincipal: key?.principal ?? '',
        lookup: reads.lookup,
        get: reads.get,
        lookupNow: reads.lookupNow,
        getNow: reads.getNow,
      };
      // A check that had every read at hand answers without a promise.
      const checked = def.check(entry, ctx);
      const more = Array.isArray(checked) ? checked : await checked;
      if (more.length) refuse(batchIndex, more);
    }

    // Stage: later entries of the batch see this one (its signature is not known yet: pending fields are empty).
    for (const r of rows) {
      let byKey = st.index.get(r.index);
      if (byKey === undefined) {
        byKey = new Map();
        st.index.set(r.index, byKey);
      }
      const list = byKey.get(r.key);
      if (list) list.push(seq);
      else byKey.set(r.key, [seq]);
    }
    if (kind === MANIFEST_KIND || kind.startsWith('core/')) st.registry.apply(entry);
    st.entries.set(seq, entry);
    st.size = seq + 1;
    st.lastEntryHash = this.suite.hash(entryBytes);
    st.lastTime = time;
    return { item, entry, entryBytes, rows, rowKeys, before };
  }

  /** Index lookups and entries as check hooks of entries staged on `st` see them (see StagedReads), made once per batch. */
  private hookReads(st: BatchState): HookReads {
    const r = new StagedReads(st);
    return {
      lookup: r.lookup.bind(r),
      get: r.get.bind(r),
      lookupNow: r.lookupNow.bind(r),
      getNow: r.getNow.bind(r),
    };
  }

  /**
   * Asks each entry's signer for its signature and checks every signature that comes back before the entry may
   * commit: a signer (custom, HSM, remote) that throws, or returns anything but a valid signature of exactly this
   * entry under its public key, would otherwise poison the log (verify fails on it forever, and the next checkpoint
   * signs over it). Resolves, per entry, to the signature or to the CryptoError CRYPTO_SIGNER_FAILED that refuses it;
   * never rejects. With `pool` (a chunk of at least VERIFY_POOL_MIN entries, nodeSuite only, placed on the workers by
   * `checkPool`) the checks run on worker threads while this thread builds the next entries, and the check is handed
   * to `into`, whose waiter helps with it (`SharedCheck.help`) when it would otherwise wait; else here.
   */
  private async signChecked(
    chunk: ReadonlyArray<{ readonly item: Pending; readonly entryBytes: Uint8Array }>,
    pool: SignaturePool | undefined,
    into?: { addShared(check: SharedCheck): void },
  ): Promise<Array<Uint8Array | CryptoError>> {
    const n = chunk.length;
    const messages = new Array<Uint8Array>(n);
    const signs = new Array<Promise<Uint8Array | CryptoError>>(n);
    for (let i = 0; i < n; i++) {
      messages[i] = signingMessage(chunk[i]!.entryBytes);
      signs[i] = this.signOne(chunk[i]!.item.signer, messages[i]!);
    }
    // A lone entry (an awaited append) waits for its one signature without Promise.all's extra promises.
    const out = n === 1 ? [await signs[0]!] : await Promise.all(signs);
    const toPool: Array<{
      readonly at: number;
      readonly publicKey: Uint8Array;
      readonly entryBytes: Uint8Array;
      readonly signature: Uint8Array;
    }> = [];
    for (let i = 0; i < n; i++) {
      const sig = out[i];
      if (!(sig instanceof Uint8Array)) continue;
      const publicKey = chunk[i]!.item.signer.publicKey;
      if (pool) {
        // The suite's strict pre-checks, here; the curve check (OpenSSL, the same call) on a worker.
        if (passesWorkerPrechecks(pool.alg, publicKey, sig))
          toPool.push({ at: i, publicKey, entryBytes: chunk[i]!.entryBytes, signature: sig });
        else out[i] = signatureWrong();
      } else if (!this.suite.verify(publicKey, messages[i]!, sig)) out[i] = signatureWrong();
    }
    if (toPool.length) {
      // Checked by the workers and by this thread when it would otherwise wait (see SharedCheck); a worker that
      // fails leaves what it held to this thread.
      const check = pool!.share(toPool, (j) => {
        const t = toPool[j]!;
        return this.suite.verify(t.publicKey, messages[t.at]!, t.signature);
      });
      into?.addShared(check);
      const ok = await check.result;
      toPool.forEach((t, j) => {
        if (!ok[j]) out[t.at] = signatureWrong();
      });
    }
    return out;
  }

  /**
   * One signature of `signer`, as `signChecked` takes it: the signature when it is one of the suite's length, else the
   * CryptoError that refuses the entry (the signer threw, rejected, or returned something else); never rejects.
   */
  private signOne(signer: Signer, message: Uint8Array): Promise<Uint8Array | CryptoError> {
    let sig: Promise<Uint8Array>;
    try {
      sig = signer.sign(message);
    } catch (err) {
      return Promise.resolve(signerThrew(err));
    }
    return Promise.resolve(sig).then(this.sigOfLength, signerThrew);
  }

  private readonly sigOfLength = (sig: unknown): Uint8Array | CryptoError =>
    sig instanceof Uint8Array && sig.length === this.suite.signatureLength
      ? sig
      : signerFailed(`signer returned a signature that is not ${this.suite.signatureLength} bytes`);

  /** Where the checks of a large chunk go: the worker pool while the machine has a free core (check-placement.ts). */
  private checkPool(): SignaturePool | undefined {
    return workerAlgorithmOf(this.suite) !== undefined && checksOnWorkers(this.signatureChecks)
      ? this.verifyPool()
      : undefined;
  }

  private sigPool: SignaturePool | undefined;
  /** Worker threads that check signatures of large chunks (started on first use, stopped by `close`): checkPoolSize(). */
  private verifyPool(): SignaturePool | undefined {
    const alg = workerAlgorithmOf(this.suite);
    if (alg === undefined) return undefined;
    this.sigPool ??= new SignaturePool(ENTRY_CONTEXT, checkPoolSize(), alg);
    return this.sigPool;
  }

  private keyIdCache = new Map<Uint8Array, string>();
  /** Key id of a signer's public key, cached per key object (one SHA-256 per signer, not per entry). */
  private keyIdOf(publicKey: Uint8Array): string {
    let id = this.keyIdCache.get(publicKey);
    if (id === undefined) {
      id = this.suite.keyId(publicKey);
      if (this.keyIdCache.size > 1024) this.keyIdCache.clear();
      this.keyIdCache.set(publicKey, id);
    }
    return id;
  }

  /** Index rows of an entry: core rows plus those its kind declares. Shared with verify. */
  indexRows(entry: Entry, def = this.kindDefs.get(entry.kind)): Array<{ index: string; key: string }> {
    return indexRowsOf(entry, def);
  }

  // ---------------------------------------------------------------- verify and close

  /**
   * Verifies the whole log (or, with `since`, what follows a trusted checkpoint): canonical bytes, signatures,
   * chain against tree, sequence numbers, signers and roles, stored tree nodes, checkpoints and index rows, and
   * consistency with checkpoints held elsewhere. Reports every problem with the first affected seq and a code.
   */
  async verify(options: VerifyOptions = {}): Promise<LedgerVerifyReport> {
    this.assertOpen();
    await this.flushing;
    if (this.db.writers === 'single')
      return verifyLedger(
        { db: this.db, suite: this.suite, kinds: this.kindDefs, size: this._size },
        options,
      );
    // Others append while we read: verify one snapshot, to its own end (its rows past our size are not extra).
    const view = await this.db.snapshot();
    try {
      const size = await storedSize(view);
      return await verifyLedger({ db: view, suite: this.suite, kinds: this.kindDefs, size }, options);
    } finally {
      await view.release().catch(() => {});
    }
  }

  /** Waits for pending appends, then closes the database (if this ledger opened it). */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing) await this.flushing;
    this.closed = true;
    const pool = this.sigPool;
    this.sigPool = undefined;
    await pool?.close();
    if (this.ownsDb) await this.db.close();
  }

  /** Closes the store if this ledger opened it (from a path or URL). */
  private async closeStore(): Promise<void> {
    if (this.ownsDb) await this.db.close().catch(() => {});
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('STORAGE_CLOSED', 'ledger is closed');
  }
}

function checkContentRefs(content: readonly ContentRef[]): Issue[] {
  if (!Array.isArray(content))
    return [{ code: 'invalid_type', path: ['content'], message: 'content must be an array' }];
  const out: Issue[] = [];
  content.forEach((c, i) => {
    if (!c || !(c.digest instanceof Uint8Array) || c.digest.length !== 32)
      out.push({ code: 'invalid_type', path: ['content', i, 'digest'], message: 'digest must be 32 bytes' });
    if (!c || !Number.isSafeInteger(c.size) || c.size < 0)
      out.push({
        code: 'invalid_type',
        path: ['content', i, 'size'],
        message: 'size must be a non-negative integer',
      });
    if (!c || !(c.chunkRoot instanceof Uint8Array) || c.chunkRoot.length !== 32)
      out.push({
        code: 'invalid_type',
        path: ['content', i, 'chunkRoot'],
        message: 'chunkRoot must be 32 bytes',
      });
  });
  return out;
}

/**
 * The size of a stored log for verification: one past the last entry key, or — when the block holding the last entry
 * keys is damaged — one past the last leaf node (stored in other blocks), so the damage is located by verify. Keys of
 * the wrong length among the entry keys (strays, which verify reports as STRAY_KEY) are passed over, so a stray after
 * the last entry does not hide the log. A store whose entries and leaves both cannot be listed cannot be verified at all
 * (STORAGE_CORRUPT).
 */
async function storedSize(db: StoreReader): Promise<number> {
  const lastKey = async (gte: Uint8Array, lt: Uint8Array) =>
    (await db.allKeys({ gte, lt, reverse: true, limit: 1 }))[0];
  try {
    let lt: Uint8Array = Uint8Array.of(P_ENTRY + 1);
    for (;;) {
      const page = await db.allKeys({ gte: entryKey(0), lt, reverse: true, limit: 16 });
      for (const k of page) if (k.length === 9) return readU64(k, 1) + 1;
      if (page.length < 16) return 0;
      lt = page[page.length - 1]!;
    }
  } catch (err) {
    try {
      const leaf = await lastKey(nodeKey(0, 0), nodeKey(1, 0));
      if (leaf && leaf.length === 10) return readU64(leaf, 2) + 1;
    } catch {
      // both unreadable: below
    }
    throw mapLevelError(err, 'ledger');
  }
}
