/**
 * Full and incremental verification of a stored ledger, as a checklist (LEDGER_CHECKS): the top-level function runs
 * small named checks in order, and the report carries each check's status beside every problem found. Streams the
 * log in constant memory; signatures are checked on worker threads for large logs. Every problem carries the first
 * affected seq and a code from the catalogue (src/problems.ts). Damage is located, never an abort: an unreadable part
 * of the store is reported as a range of seqs and the rest is still checked. A programming error is thrown, never
 * reported as a problem with the data.
 */
import { bytesEqual, toHex } from '../bytes';
import type { CryptoSuite } from '../crypto/types';
import { workerAlgorithmOf, workerThreshold } from '../crypto/worker-verifiers';
import {
  CompactRange,
  consistencyProofPlan,
  foldNodes,
  materializeAsync,
  rootPlan,
  verifyConsistency,
} from '../merkle';
import type { NewNode, NodeId } from '../merkle';
import { hashChildren, hashLeaf } from '../merkle/hash';
import type { CheckResult, CheckStatus, ProblemCode } from '../problems';
import { checkpointVerifier } from './checkpoint-key';
import type { StoreReader } from './store';
import { ENTRY_CONTEXT, ZERO_HASH, decodeSignedEntry, signingMessage } from './format';
import {
  P_ENTRY,
  P_INDEX,
  P_NODE,
  entryKey,
  entryKeys,
  indexKey,
  indexKeyRoom,
  indexKeySeq,
  leafKeys,
  nodeKey,
  nodeKeys,
  parseIndexKey,
  readU64,
  writeIndexKey,
} from './keyspace';
import { LogState } from './log-state';
import {
  CHECKPOINT_KIND,
  type CheckpointBody,
  KEY_REGISTER_KIND,
  KEY_REVOKE_KIND,
  KIND_DECLARE_KIND,
  isCoreKind,
} from './registry';
import { CORE_KIND_INDEX, type IndexRow, indexRowsOf } from './rows';
import { SigBatch, SignaturePool } from './sig-pool';
import type { Entry, KindDefinition, VerifyProblem, VerifyReport } from './types';

export type { VerifyProblem, VerifyReport };

export interface VerifyOptions {
  /** Checkpoints (signed notes) held outside the ledger — a witness's, an inspector's, a bundle's. */
  readonly checkpoints?: readonly string[];
  /** Pinned root public keys: the manifest must name exactly these (detects a log rebuilt under another root). */
  readonly trustedRootKeys?: readonly Uint8Array[];
  /** Incremental mode: trust the log up to this checkpoint (note text, verified) and check only what follows. */
  readonly since?: string;
  /** Progress callback, called every few thousand entries. */
  readonly onProgress?: (p: { readonly done: number; readonly total: number }) => void;
  /**
   * Worker threads for signatures: 0 checks inline. Default: all cores when the range exceeds 4,096 entries (1,024 on
   * an sm2-sm3 ledger, whose checks cost several times more).
   */
  readonly workers?: number;
  /** Stop collecting after this many problems (a final TOO_MANY_PROBLEMS says so). Default 10,000. */
  readonly maxProblems?: number;
}

export interface VerifyContext {
  readonly db: StoreReader;
  readonly suite: CryptoSuite;
  /** Kind definitions known here: their body schemas and index rows are checked; other kinds' are not checked. */
  readonly kinds: ReadonlyMap<string, KindDefinition>;
  readonly size: number;
}

/** The checks of a ledger verification, in the order they run. */
export const LEDGER_CHECKS = [
  /** Entry 0 is a manifest of a known format and suite, signed by one of its root keys. */
  'manifest',
  /** The manifest names exactly the pinned root keys (`trustedRootKeys`); not anchored without them. */
  'root-keys',
  /** `since`: the trusted checkpoint verifies and the log still has its root. */
  'trusted-start',
  /** Checkpoints held elsewhere: the log is not shorter (truncation) and has the same root (fork, rewrite). */
  'held-checkpoints',
  /** Every seq is present, readable and a well-formed entry with the right seq, version, ledger id and time order. */
  'entries',
  /** Each entry names the hash of the entry before it. */
  'chain',
  /** Each signer was registered, unrevoked and held a role the kind requires, at that point of the log. */
  'signers',
  /** Every signature verifies. */
  'signatures',
  /** Core bodies, and the bodies of kinds defined here, match their schemas. */
  'bodies',
  /** Every stored tree node equals the tree of the entries; nothing lies beyond the end. */
  'tree',
  /** Checkpoints recorded in the log match the log at their size. */
  'checkpoint-entries',
  /** Derived index rows: none missing, altered or extra. */
  'index-rows',
  /** No key outside the known keyspaces. */
  'keyspace',
] as const;
export type LedgerCheck = (typeof LEDGER_CHECKS)[number];

/** What `verify` returns: the report, each check's status, and counts of what it checked. */
export type LedgerVerifyReport = VerifyReport & {
  readonly checks: readonly CheckResult<LedgerCheck>[];
  readonly stats: VerifyStats;
};

export interface VerifyStats {
  entries: number;
  signatures: number;
  nodes: number;
  indexRows: number;
  checkpoints: number;
}

/**
 * Entries per store read, and tree nodes and index rows per store call. Small, so that what a batch holds (its values,
 * leaves and pending nodes) dies young: with 2,048 a batch outlived young-generation collections, which copied and
 * promoted it (8 full collections per 100k entries, GC threads ~12 µs per entry); with 256, one, and a store call costs
 * little per entry either way.
 */
const BATCH = 256;
/** Keys per store call when the index keyspace is scanned. */
const KEY_PAGE = 4096;

/**
 * Verifies the ledger in `ctx.db`. The top level is the checklist; each step is a small function below. Problems are
 * never thrown: a damaged store gives located problems. Misuse (bad options) and programming errors are thrown.
 */
export async function verifyLedger(ctx: VerifyContext, opts: VerifyOptions): Promise<LedgerVerifyReport> {
  const run = new Run(ctx, opts);
  const state = await checkManifest(run);
  if (state) checkRootKeys(run, state);
  else run.notChecked('root-keys', 'no valid manifest');
  const start = state ? await startFromTrustedCheckpoint(run, state) : noTrustedStart(run);
  const held = state ? await checkHeldCheckpoints(run, state, start) : noHeldCheckpoints(run);
  // The checks after the pass need the pass's reads, not its signature verdicts: they run while the workers finish
  // the signatures still in flight.
  await checkEntries(run, state, start, held, async (pass) => {
    await checkEntryKeys(run, start, pass);
    await checkLateCheckpointEntries(run, pass.lateCheckpoints);
    await checkTreeEnd(run);
    await checkKeyspace(run);
    await checkIndexRows(run, start, pass, state);
  });
  return run.report(start.range.root());
}

// ---------------------------------------------------------------------------------------------- the run's state

/** Problems by check, and guarded reads of the store: a read that fails is damage to report, not an abort. */
class Run {
  readonly problems: VerifyProblem[] = [];
  readonly stats: VerifyStats = { entries: 0, signatures: 0, nodes: 0, indexRows: 0, checkpoints: 0 };
  readonly db: StoreReader;
  readonly suite: CryptoSuite;
  readonly size: number;
  private readonly counts = new Map<LedgerCheck, number>();
  private readonly skipped = new Map<LedgerCheck, string>();
  private readonly anchors = new Map<LedgerCheck, string>();
  private readonly details = new Map<LedgerCheck, string>();
  private readonly maxProblems: number;
  private overflow = false;

  constructor(
    readonly ctx: VerifyContext,
    readonly opts: VerifyOptions,
  ) {
    this.db = ctx.db;
    this.suite = ctx.suite;
    this.size = ctx.size;
    this.maxProblems = opts.maxProblems ?? 10_000;
    if (!Number.isSafeInteger(this.maxProblems) || this.maxProblems < 1)
      throw new RangeError('options.maxProblems must be a positive integer');
  }

  add(check: LedgerCheck, seq: number, code: ProblemCode, message: string): void {
    this.counts.set(check, (this.counts.get(check) ?? 0) + 1);
    if (this.problems.length < this.maxProblems) this.problems.push({ seq, code, message });
    else this.overflow = true;
  }

  /** The check could not run (what it needs is missing). Never a problem. */
  notChecked(check: LedgerCheck, why: string): void {
    this.skipped.set(check, why);
  }

  /** The check ran against nothing the user supplied. */
  notAnchored(check: LedgerCheck, why: string): void {
    this.anchors.set(check, why);
  }

  detail(check: LedgerCheck, text: string): void {
    this.details.set(check, text);
  }

  async entry(seq: number): Promise<Uint8Array | undefined | Error> {
    try {
      return await this.db.get(entryKey(seq));
    } catch (err) {
      return readError(err);
    }
  }

  /** Stored nodes; a read that fails gives `undefined` for each (reported as missing where they are checked). */
  nodes(ids: readonly NodeId[]): Promise<Array<Uint8Array | undefined>> {
    return this.getMany(nodeKeys(ids));
  }

  /** Stored leaves (level-0 nodes) of `seqs`, as `nodes` reads them. */
  leaves(seqs: readonly number[]): Promise<Array<Uint8Array | undefined>> {
    return this.getMany(leafKeys(seqs));
  }

  private async getMany(keys: Uint8Array[]): Promise<Array<Uint8Array | undefined>> {
    try {
      return await this.db.getMany(keys);
    } catch (err) {
      readError(err);
      return new Array<undefined>(keys.length).fill(undefined);
    }
  }

  report(root: Uint8Array): LedgerVerifyReport {
    const problems = [...this.problems];
    if (this.overflow)
      problems.push({
        seq: -1,
        code: 'TOO_MANY_PROBLEMS',
        message: `more than ${this.maxProblems} problems; the rest are not listed`,
      });
    problems.sort((a, b) => (a.seq === b.seq ? 0 : a.seq < 0 ? 1 : b.seq < 0 ? -1 : a.seq - b.seq));
    const checks = LEDGER_CHECKS.map((name): CheckResult<LedgerCheck> => {
      const n = this.counts.get(name) ?? 0;
      const why = this.skipped.get(name) ?? this.anchors.get(name);
      const status: CheckStatus =
        n > 0
          ? 'failed'
          : this.skipped.has(name)
            ? 'not_checked'
            : this.anchors.has(name)
              ? 'not_anchored'
              : 'passed';
      const detail = n > 0 ? this.details.get(name) : (why ?? this.details.get(name));
      return detail === undefined ? { name, status, problems: n } : { name, status, problems: n, detail };
    });
    return { ok: problems.length === 0, size: this.size, root, problems, checks, stats: this.stats };
  }
}

/**
 * A storage read error is damage to report only when it is one: LevelDB's corruption and I/O errors. Anything else
 * (a TypeError, a closed database) is a programming error or misuse and is thrown.
 */
function readError(err: unknown): Error {
  const code = (err as { code?: unknown } | null)?.code;
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (code === 'LEVEL_CORRUPTION' || code === 'LEVEL_IO_ERROR' || cause === 'LEVEL_CORRUPTION')
    return err as Error;
  // A store that reports its own damage (PostgreSQL's data_corrupted / index_corrupted).
  if (code === 'STORAGE_CORRUPT') return err as Error;
  throw err;
}

// ---------------------------------------------------------------------------------------------- manifest and keys

async function checkManifest(run: Run): Promise<LogState | undefined> {
  if (run.size === 0) {
    run.add('manifest', 0, 'MANIFEST_MISSING', 'the log is empty: entry 0 (the manifest) is missing');
    return undefined;
  }
  const raw = await run.entry(0);
  if (raw instanceof Error) {
    run.add('manifest', 0, 'ENTRIES_UNREADABLE', `entry 0 cannot be read: ${raw.message}`);
    return undefined;
  }
  let genesis: Entry | undefined;
  if (raw !== undefined) {
    try {
      genesis = decodeSignedEntry(raw).entry;
    } catch (err) {
      run.add('manifest', 0, 'ENTRY_MALFORMED', `entry 0: ${(err as Error).message}`);
      return undefined;
    }
  }
  const r = LogState.fromGenesis(genesis, run.suite);
  if (!r.ok) {
    run.add('manifest', r.problem.seq, r.problem.code, r.problem.message);
    return undefined;
  }
  return r.state;
}

function checkRootKeys(run: Run, state: LogState): void {
  const pinned = run.opts.trustedRootKeys;
  if (!pinned) {
    run.notAnchored('root-keys', 'no pinned root keys: a log rebuilt under another root key is not detected');
    return;
  }
  const want = pinned.map(toHex).sort();
  const have = state.manifest.rootKeys.map((k) => toHex(k.publicKey)).sort();
  if (want.length !== have.length || want.some((w, i) => w !== have[i]))
    run.add(
      'root-keys',
      0,
      'ROOT_KEY_MISMATCH',
      'the manifest names root keys other than the pinned ones (log rebuilt under another root?)',
    );
}

// ---------------------------------------------------------------------------------------------- trusted start

/** Where the entry pass begins: 0, or the size of a trusted checkpoint whose tree the log still has. */
interface Start {
  readonly seq: number;
  readonly range: CompactRange;
  /** The trusted root at `seq` (incremental mode only). */
  readonly rootHash?: Uint8Array;
  /** Frontier nodes fixed by the trusted root: new nodes above them are checked against them. */
  readonly frontier: ReadonlyArray<{ id: NodeId; hash: Uint8Array }>;
}

function noTrustedStart(run: Run): Start {
  if (run.opts.since !== undefined) {
    run.add(
      'trusted-start',
      -1,
      'SINCE_UNUSABLE',
      'cannot check the trusted checkpoint without a valid manifest',
    );
  } else run.notChecked('trusted-start', 'full verification (no `since`)');
  return { seq: 0, range: new CompactRange(run.suite.hash), frontier: [] };
}

async function startFromTrustedCheckpoint(run: Run, state: LogState): Promise<Start> {
  const full: Start = { seq: 0, range: new CompactRange(run.suite.hash), frontier: [] };
  if (run.opts.since === undefined) {
    run.notChecked('trusted-start', 'full verification (no `since`)');
    return full;
  }
  let cp: { size: number; rootHash: Uint8Array };
  try {
    cp = checkpointVerifier(state.manifest, run.suite)(run.opts.since);
  } catch (err) {
    run.add(
      'trusted-start',
      -1,
      'TRUSTED_CHECKPOINT_INVALID',
      `trusted checkpoint does not verify: ${(err as Error).message}`,
    );
    return full;
  }
  if (cp.size > run.size) {
    run.add(
      'trusted-start',
      run.size,
      'TRUNCATED',
      `log has ${run.size} entries but the trusted checkpoint has ${cp.size}`,
    );
    return full;
  }
  if (cp.size === 0) return full;
  const plan = rootPlan(cp.size);
  const hashes = await run.nodes(plan);
  if (hashes.some((h) => h?.length !== 32)) {
    run.add(
      'trusted-start',
      -1,
      'SINCE_MISMATCH',
      'stored tree nodes for the trusted size are missing; run a full verify',
    );
    return full;
  }
  const range = CompactRange.fromFrontier(run.suite.hash, cp.size, hashes as Uint8Array[]);
  if (!bytesEqual(range.root(), cp.rootHash)) {
    run.add(
      'trusted-start',
      -1,
      'SINCE_MISMATCH',
      `the log at size ${cp.size} no longer has the trusted root (rewritten history)`,
    );
    return full;
  }
  run.detail('trusted-start', `entries before ${cp.size} trusted (their root matches the checkpoint)`);
  return {
    seq: cp.size,
    range,
    rootHash: cp.rootHash,
    frontier: plan.map((id, i) => ({ id, hash: hashes[i]! })),
  };
}

// ---------------------------------------------------------------------------------------------- held checkpoints

/** Roots the log must have at given sizes (from checkpoints held elsewhere). */
type HeldRoots = ReadonlyMap<number, readonly Uint8Array[]>;

function noHeldCheckpoints(run: Run): HeldRoots {
  run.stats.checkpoints = run.opts.checkpoints?.length ?? 0;
  run.notChecked('held-checkpoints', 'no valid manifest to check them with');
  return new Map();
}

async function checkHeldCheckpoints(run: Run, state: LogState, start: Start): Promise<HeldRoots> {
  const notes = run.opts.checkpoints ?? [];
  run.stats.checkpoints = notes.length;
  const held = new Map<number, Uint8Array[]>();
  if (notes.length === 0 && start.rootHash === undefined) {
    run.notAnchored(
      'held-checkpoints',
      'no checkpoint held elsewhere: truncation, a fork, or a rewrite by someone holding the keys cannot be detected from the ledger alone',
    );
    return held;
  }
  const verifier = checkpointVerifier(state.manifest, run.suite);
  for (const note of notes) {
    let cp: { size: number; rootHash: Uint8Array };
    try {
      cp = verifier(note);
    } catch (err) {
      run.add(
        'held-checkpoints',
        -1,
        'TRUSTED_CHECKPOINT_INVALID',
        `checkpoint held elsewhere: ${(err as Error).message}`,
      );
      continue;
    }
    if (cp.size > run.size) {
      run.add(
        'held-checkpoints',
        run.size,
        'TRUNCATED',
        `a checkpoint held elsewhere has size ${cp.size} but the log has ${run.size} entries: entries ${run.size}… were cut`,
      );
      continue;
    }
    held.set(cp.size, [...(held.get(cp.size) ?? []), cp.rootHash]);
  }
  // Checkpoints before an incremental start: prove them consistent with the trusted root from stored nodes.
  if (start.rootHash !== undefined) {
    for (const [n, roots] of held) {
      if (n === 0 || n >= start.seq) continue;
      const proof = await materializeAsync(run.suite.hash, consistencyProofPlan(n, start.seq), async (ids) =>
        (await run.nodes(ids)).map((h) => h ?? new Uint8Array(32)),
      );
      for (const root of roots)
        if (!verifyConsistency(run.suite.hash, n, start.seq, proof, root, start.rootHash))
          run.add(
            'held-checkpoints',
            n - 1,
            'FORK',
            `checkpoint at size ${n} is inconsistent with the trusted one`,
          );
    }
    compareHeld(run, held, start.seq, start.range.root());
  }
  return held;
}

function compareHeld(run: Run, held: HeldRoots, size: number, root: Uint8Array): void {
  for (const want of held.get(size) ?? [])
    if (!bytesEqual(want, root))
      run.add(
        'held-checkpoints',
        size - 1,
        'FORK',
        `the log at size ${size} does not match a checkpoint held elsewhere (same size, other root)`,
      );
}

// ---------------------------------------------------------------------------------------------- the entry pass

interface PassResult {
  /** Checkpoint entries whose size is below their own seq: checked after the pass from stored (verified) nodes. */
  readonly lateCheckpoints: ReadonlyArray<{ seq: number; size: number; rootHash: Uint8Array }>;
  /** How many distinct expected rows were found stored (`RowCheck.found`); undefined when a read of rows failed. */
  readonly rowsStored: number | undefined;
  /**
   * Entry keys the pass found by looking them up (`undefined`: a read failed, so not known; `null`: the entries were
   * not streamed).
   */
  readonly entryKeys: number | undefined | null;
  /** Seqs whose rows cannot be derived here (damaged entry, invalid body, kind not defined here). */
  readonly rowsUnknown: SeqSet;
  readonly undefinedKinds: ReadonlySet<string>;
}

/** A set of seqs as a bitmap: constant memory per entry (1 bit), for the rows check after the pass. */
class SeqSet {
  private bits = new Uint8Array(1024);
  count = 0;
  add(seq: number): void {
    const i = seq >>> 3;
    if (i >= this.bits.length) {
      const grown = new Uint8Array(Math.max(i + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    if (!(this.bits[i]! & (1 << (seq & 7)))) this.count++;
    this.bits[i]! |= 1 << (seq & 7);
  }
  has(seq: number): boolean {
    const i = seq >>> 3;
    return i < this.bits.length && (this.bits[i]! & (1 << (seq & 7))) !== 0;
  }
}

/**
 * Streams the entries from the start: header, chain, signer, body and signature of each, the tree above them, their
 * index rows and any checkpoint they record. One pass in constant memory; reads and signature checks are batched.
 */
async function checkEntries(
  run: Run,
  state: LogState | undefined,
  start: Start,
  held: HeldRoots,
  afterReads: (pass: PassResult) => Promise<void>,
): Promise<PassResult> {
  const pass = new EntryPass(run, state, start, held);
  if (!state) {
    for (const c of [
      'entries',
      'chain',
      'signers',
      'signatures',
      'bodies',
      'tree',
      'checkpoint-entries',
    ] as const)
      run.notChecked(c, 'no valid manifest');
    const result = pass.result();
    await afterReads(result);
    return result;
  }
  await pass.replayKeysBefore();
  try {
    pass.streamed = true;
    await pass.stream();
    // `afterReads` runs on what the pass read while the signature checks still in flight end on the workers.
    await afterReads(pass.result());
    await pass.finishSignatures();
  } finally {
    await pass.close();
  }
  run.opts.onProgress?.({ done: run.stats.entries, total: run.size - start.seq });
  return pass.result();
}

interface Decoded {
  readonly seq: number;
  readonly bytes: Uint8Array;
  readonly entry: Entry;
  readonly entryBytes: Uint8Array;
  readonly signature: Uint8Array;
}

function decoded(seq: number, bytes: Uint8Array): Decoded {
  // Views: `bytes` is this read's own buffer, kept with the parts (the signature batch copies what it sends).
  const d = decodeSignedEntry(bytes, { views: true });
  return { seq, bytes, entry: d.entry, entryBytes: d.entryBytes, signature: d.signature };
}

class EntryPass {
  private readonly tree: TreeCheck;
  private readonly sigs: SignatureCheck;
  private readonly rows: RowCheck;
  private readonly range: CompactRange;
  /** Hash of the previous entry's bytes (the `prev` the next entry must carry); undefined when unknowable. */
  private prevHash: Uint8Array | undefined = ZERO_HASH;
  private lastTime = 0;
  private expected: number;
  private treeBroken = false;
  private readonly late: Array<{ seq: number; size: number; rootHash: Uint8Array }> = [];
  private readonly rowsUnknown = new SeqSet();
  private readonly undefinedKinds = new Set<string>();
  private readonly verifyCheckpoint: ((note: string) => { size: number; rootHash: Uint8Array }) | undefined;
  /** Whether the entries were streamed, and how many of their keys the lookups found (undefined after a read failed). */
  streamed = false;
  private keysFound: number | undefined = 0;

  constructor(
    private readonly run: Run,
    private readonly state: LogState | undefined,
    private readonly start: Start,
    private readonly held: HeldRoots,
  ) {
    this.range = start.range;
    this.expected = start.seq;
    this.tree = new TreeCheck(run, start.frontier);
    const total = run.size - start.seq;
    const alg = workerAlgorithmOf(run.suite);
    const workers = run.opts.workers ?? (alg !== undefined && total > workerThreshold(alg) ? undefined : 0);
    this.sigs = new SignatureCheck(run, workers);
    this.rows = new RowCheck(run);
    this.verifyCheckpoint = state ? checkpointVerifier(state.manifest, run.suite) : undefined;
  }

  /** Incremental mode: rebuild keys and kinds from the core entries before the start (each proven in the tree). */
  async replayKeysBefore(): Promise<void> {
    const start = this.start.seq;
    if (start === 0 || !this.state) return;
    const seqs = new Set<number>();
    for (const kind of [KEY_REGISTER_KIND, KEY_REVOKE_KIND, KIND_DECLARE_KIND]) {
      const it = this.run.db.keys({
        gte: indexKey(CORE_KIND_INDEX, kind, 0),
        lt: indexKey(CORE_KIND_INDEX, kind, start),
      });
      for await (const k of it) seqs.add(readU64(k, k.length - 8));
    }
    for (const s of [...seqs].sort((a, b) => a - b)) {
      const d = await this.decodeAt(s, 'entries');
      if (!d) continue;
      const level0 = (await this.run.nodes([{ level: 0, index: s }]))[0];
      if (!level0 || !bytesEqual(level0, hashLeaf(this.run.suite.hash, d.bytes)))
        this.run.add('tree', s, 'TREE_NODE_MISMATCH', `entry ${s} does not match its leaf`);
      this.state.apply(d.entry);
    }
    const last = await this.decodeAt(start - 1, 'entries');
    if (last) {
      this.prevHash = this.run.suite.hash(last.entryBytes);
      this.lastTime = last.entry.time;
    }
  }

  private async decodeAt(seq: number, check: LedgerCheck): Promise<Decoded | undefined> {
    const raw = await this.run.entry(seq);
    if (raw instanceof Error) {
      this.run.add(check, seq, 'ENTRIES_UNREADABLE', `entry ${seq} cannot be read: ${raw.message}`);
      return undefined;
    }
    if (raw === undefined) {
      this.run.add(check, seq, 'ENTRY_MISSING', `entry ${seq} is missing`);
      return undefined;
    }
    try {
      return decoded(seq, raw);
    } catch (err) {
      this.run.add(check, seq, 'ENTRY_MALFORMED', `entry ${seq}: ${(err as Error).message}`);
      return undefined;
    }
  }

  /**
   * Reads the entries in batches; a batch the store cannot read is reported as a range and skipped. Ends when every
   * read is done, with the last signature checks still in flight (`finishSignatures`).
   */
  async stream(): Promise<void> {
    let lastProgress = 0;
    const size = this.run.size;
    for (let from = this.start.seq; from < size; ) {
      const to = Math.min(size, from + BATCH);
      // Looked up by key (a lookup of a batch's keys costs less here than a range read of them, which also hands out
      // every key); keys of the entry keyspace that are no entry's are looked for after the pass (`checkEntryKeys`).
      let values: Array<Uint8Array | undefined>;
      try {
        values = await this.run.db.getMany(entryKeys(from, to));
      } catch (err) {
        const e = readError(err);
        this.keysFound = undefined;
        while (this.expected < from) await this.missing(this.expected++);
        from = await this.readAround(e);
        continue;
      }
      const seqs = new Array<number>(to - from);
      for (let i = 0; i < seqs.length; i++) seqs[i] = from + i;
      const leaves = await this.run.leaves(seqs);
      for (let i = 0; i < seqs.length; i++) {
        const v = values[i];
        if (v === undefined) continue; // reported as missing when the next entry is met, or at the end
        const seq = seqs[i]!;
        if (this.keysFound !== undefined) this.keysFound++;
        if (this.expected < seq) await this.gap(seq);
        this.one(seq, v, leaves[i]);
        // Signatures go to the workers as soon as a small batch is full, so they start early and end together.
        if (this.sigs.full) await this.sigs.flush();
      }
      await this.tree.flushIfFull();
      await this.rows.flushIfFull();
      if (this.run.opts.onProgress && this.run.stats.entries - lastProgress >= 4096) {
        lastProgress = this.run.stats.entries;
        this.run.opts.onProgress({ done: this.run.stats.entries, total: this.run.size - this.start.seq });
      }
      from = to;
    }
    while (this.expected < this.run.size) await this.missing(this.expected++);
    await this.tree.flush();
    await this.rows.flush();
    await this.sigs.flush();
  }

  /** Waits for every signature check still in flight (their verdicts are problems of the `signatures` check). */
  finishSignatures(): Promise<void> {
    return this.sigs.finish();
  }

  /**
   * The store failed reading a batch: read the entries one by one up to the damage, report the unreadable range up to
   * the next readable entry, and return where batches resume.
   */
  private async readAround(err: Error): Promise<number> {
    const end = Math.min(this.run.size, this.expected + BATCH);
    for (let s = this.expected; s < end; s++) {
      const raw = await this.run.entry(s);
      if (raw === undefined) continue; // reported as missing when the next entry is met
      if (raw instanceof Error) {
        while (this.expected < s) await this.missing(this.expected++);
        const resume = await this.findReadable(s);
        this.run.add(
          'entries',
          s,
          'ENTRIES_UNREADABLE',
          `entries ${s}–${resume - 1} cannot be read (${raw.message || err.message})`,
        );
        for (let u = s; u < resume; u++) await this.standIn(u);
        this.expected = resume;
        return resume;
      }
      const [leaf] = await this.run.nodes([{ level: 0, index: s }]);
      await this.gap(s);
      this.one(s, raw, leaf);
    }
    return end;
  }

  /** The first seq after `from` whose entry can be read (by doubling, then bisecting); the size when none. */
  private async findReadable(from: number): Promise<number> {
    const readable = async (s: number) => !((await this.run.entry(s)) instanceof Error);
    let step = 1;
    let bad = from;
    let good = this.run.size;
    while (bad + step < this.run.size) {
      if (await readable(bad + step)) {
        good = bad + step;
        break;
      }
      bad += step;
      step *= 2;
    }
    while (good - bad > 1) {
      const mid = bad + Math.floor((good - bad) / 2);
      if (await readable(mid)) good = mid;
      else bad = mid;
    }
    return good;
  }

  close(): Promise<void> {
    return this.sigs.close();
  }

  result(): PassResult {
    return {
      lateCheckpoints: this.late,
      rowsStored: this.rows.found,
      entryKeys: this.streamed ? this.keysFound : null,
      rowsUnknown: this.rowsUnknown,
      undefinedKinds: this.undefinedKinds,
    };
  }

  /** A seq with no readable entry: carry on with the stored leaf hash so later entries still meet the tree. */
  private async standIn(seq: number): Promise<void> {
    this.rowsUnknown.add(seq);
    this.prevHash = undefined;
    const stand = this.treeBroken ? undefined : (await this.run.nodes([{ level: 0, index: seq }]))[0];
    if (stand && stand.length === 32) this.appendLeaf(seq, stand);
    else this.treeBroken = true;
  }

  private async missing(seq: number): Promise<void> {
    this.run.add('entries', seq, 'ENTRY_MISSING', `entry ${seq} is missing`);
    await this.standIn(seq);
  }

  private appendLeaf(seq: number, leaf: Uint8Array): void {
    for (const n of this.range.append(leaf)) this.tree.push(n);
    if (this.held.has(seq + 1)) compareHeld(this.run, this.held, seq + 1, this.range.root());
  }

  /** Entries missing before `seq` (reported, and stood in for from their stored leaves). */
  private async gap(seq: number): Promise<void> {
    while (this.expected < seq) await this.missing(this.expected++);
  }

  /** One entry, after any gap before it (`gap`): synchronous, so the pass does not wait a turn per entry. */
  private one(seq: number, bytes: Uint8Array, storedLeaf: Uint8Array | undefined): void {
    const run = this.run;
    this.expected = seq + 1;
    run.stats.entries++;
    const leaf = hashLeaf(run.suite.hash, bytes);
    let d: Decoded | undefined;
    try {
      d = decoded(seq, bytes);
    } catch (err) {
      d = undefined;
      if (storedLeaf?.length === 32 && !bytesEqual(storedLeaf, leaf)) {
        // The entry's bytes changed under an intact tree: one problem, here; the tree goes on with the stored leaf.
        run.add(
          'entries',
          seq,
          'ENTRY_MALFORMED',
          `entry ${seq}: ${(err as Error).message} (its bytes differ from the stored leaf hash)`,
        );
        this.damaged(seq, storedLeaf);
        return;
      }
      run.add('entries', seq, 'ENTRY_MALFORMED', `entry ${seq}: ${(err as Error).message}`);
    }
    if (d && storedLeaf?.length === 32 && !bytesEqual(storedLeaf, leaf)) {
      // Bytes changed under an intact tree (the stored leaf is the original's): when the entry no longer stands on
      // its own (its signer may not sign it, or its signature fails), report that once, here — not its effects on
      // the leaf, the chain, its rows and the checkpoints after it. A validly signed entry stands: checked in full.
      const problem = this.unsigned(d);
      if (problem) {
        run.add(
          problem.code === 'BAD_SIGNATURE' ? 'signatures' : 'signers',
          seq,
          problem.code,
          problem.message,
        );
        this.damaged(seq, storedLeaf);
        return;
      }
    }
    if (d) this.checkEntry(d);
    else this.rowsUnknown.add(seq);
    if (!this.treeBroken) {
      this.tree.leaf(seq, leaf, storedLeaf);
      this.appendLeaf(seq, leaf);
    }
    this.prevHash = d ? run.suite.hash(d.entryBytes) : undefined;
  }

  /** An entry whose bytes are damaged: the chain to the next is unknowable, its rows are not derived. */
  private damaged(seq: number, storedLeaf: Uint8Array): void {
    this.rowsUnknown.add(seq);
    this.prevHash = undefined;
    if (!this.treeBroken) {
      this.tree.leaf(seq, storedLeaf, storedLeaf);
      this.appendLeaf(seq, storedLeaf);
    }
  }

  /** Why the entry is not validly signed here (its signer's problem, or a failed signature); undefined when it is. */
  private unsigned(d: Decoded): { code: ProblemCode; message: string } | undefined {
    const key = this.state!.signerKey(d.entry);
    if ('code' in key) return key;
    let ok = false;
    try {
      ok = this.run.suite.verify(key.publicKey, signingMessage(d.entryBytes), d.signature);
    } catch {
      ok = false;
    }
    if (ok) return undefined;
    return {
      code: 'BAD_SIGNATURE',
      message: `entry ${d.seq}: signature does not verify (its bytes differ from the stored leaf hash)`,
    };
  }

  private checkEntry(d: Decoded): void {
    const run = this.run;
    const state = this.state!;
    const { seq, entry: e } = d;
    const header = state.headerProblems(e, seq);
    for (const p of header) run.add('entries', p.seq, p.code, p.message);
    if (this.prevHash && !bytesEqual(e.prev, this.prevHash))
      run.add(
        'chain',
        seq,
        'CHAIN_BROKEN',
        `entry ${seq}: previous-entry hash does not match entry ${seq - 1}`,
      );
    if (e.time < this.lastTime)
      run.add('entries', seq, 'TIME_REGRESSION', `entry ${seq} is dated before entry ${seq - 1}`);
    // An entry out of place (another seq, another ledger) does not set the time the next ones must not precede.
    if (!header.length) this.lastTime = Math.max(this.lastTime, e.time);
    const signer = state.signerKey(e);
    if ('code' in signer)
      run.add(signer.code === 'MANIFEST_SIGNER' ? 'manifest' : 'signers', seq, signer.code, signer.message);
    else this.sigs.add(e.signer, signer.publicKey, d);
    const bodyOk = this.checkBody(e);
    if (seq > 0 && bodyOk) state.apply(e);
    if (isCoreKind(e, CHECKPOINT_KIND) && bodyOk) this.checkCheckpointEntry(seq, e);
    const def = run.ctx.kinds.get(e.kind);
    if (!bodyOk || (!e.kind.startsWith('core/') && !def)) {
      this.rowsUnknown.add(seq);
      return;
    }
    // A kind whose `indexes` throws on a body its own schema accepted is a bug in the kind, not bad data: thrown.
    this.rows.expect(seq, indexRowsOf(e, def));
  }

  /** The body against its schema: core kinds here, other kinds when defined here (else not checked). */
  private checkBody(e: Entry): boolean {
    const core = this.state!.coreBodyProblem(e);
    if (core) {
      this.run.add('bodies', core.seq, core.code, core.message);
      return false;
    }
    if (e.kind.startsWith('core/')) return true;
    const def = this.run.ctx.kinds.get(e.kind);
    if (!def) {
      this.undefinedKinds.add(e.kind);
      return true;
    }
    const issues = def.validate?.(e.body) ?? [];
    if (issues.length) {
      this.run.add(
        'bodies',
        e.seq,
        'BODY_INVALID',
        `entry ${e.seq} (${e.kind}): ${issues.map((i) => `${['body', ...i.path].join('.')}: ${i.code}`).join('; ')}`,
      );
      return false;
    }
    return true;
  }

  private checkCheckpointEntry(seq: number, e: Entry<typeof CHECKPOINT_KIND, CheckpointBody>): void {
    const note = e.body.note;
    let cp: { size: number; rootHash: Uint8Array };
    try {
      cp = this.verifyCheckpoint!(note);
    } catch (err) {
      this.run.add(
        'checkpoint-entries',
        seq,
        'CHECKPOINT_INVALID',
        `checkpoint entry ${seq}: ${(err as Error).message}`,
      );
      return;
    }
    if (cp.size > seq)
      this.run.add(
        'checkpoint-entries',
        seq,
        'CHECKPOINT_INVALID',
        `checkpoint entry ${seq} claims size ${cp.size}, beyond itself`,
      );
    else if (cp.size === seq) {
      if (!this.treeBroken && !bytesEqual(this.range.root(), cp.rootHash))
        this.run.add(
          'checkpoint-entries',
          seq,
          'CHECKPOINT_MISMATCH',
          `checkpoint entry ${seq} does not match the log before it`,
        );
    } else this.late.push({ seq, size: cp.size, rootHash: cp.rootHash });
  }
}

/**
 * Keys in the entry keyspace that are no entry's (not 9 bytes long), from the pass's start (from the keyspace's start in
 * a full verification) up to the first entry at or past the size. The pass looked its entries up by key, so it counted
 * those it found: when the keyspace holds as many keys (counted without handing each out, `countKeys`), there is none
 * other; else the keys are listed.
 */
async function checkEntryKeys(run: Run, start: Start, pass: PassResult): Promise<void> {
  if (pass.entryKeys === null) return;
  const lt = Uint8Array.of(P_ENTRY + 1);
  // From the start, the whole keyspace: a key shorter than the first entry's sorts before it.
  const gte = start.seq === 0 ? Uint8Array.of(P_ENTRY) : entryKey(start.seq);
  if (pass.entryKeys !== undefined && run.db.countKeys) {
    try {
      if ((await run.db.countKeys({ gte, lt })) === pass.entryKeys) return;
    } catch (err) {
      readError(err); // then listed, as below
    }
  }
  try {
    let page = await run.db.allKeys({ gte, lt, limit: KEY_PAGE });
    for (;;) {
      for (const k of page) {
        if (k.length !== 9)
          run.add('keyspace', -1, 'STRAY_KEY', `unexpected key in the entry keyspace: ${toHex(k)}`);
        else if (readU64(k, 1) >= run.size) return;
      }
      if (page.length < KEY_PAGE) return;
      page = await run.db.allKeys({ gt: page[page.length - 1]!, lt, limit: KEY_PAGE });
    }
  } catch (err) {
    readError(err); // the entries there were reported unreadable by the pass
  }
}

// ---------------------------------------------------------------------------------------------- tree nodes

/**
 * Each stored node is checked against what lies directly below it: a leaf against the hash of its entry, an interior
 * node against the hash of its two stored children — or, when a child failed its own check, against the value that
 * child should have had. So a damaged entry or node is reported once, where it is, not at every ancestor; and by
 * induction the stored tree equals the tree of the entries wherever nothing is reported. A node whose children both
 * passed is compared with the hash the compact range already computed (no second hash).
 */
class TreeCheck {
  /** Nodes awaiting their parent's check (the right frontier and the current batch only), by level, by index. */
  private readonly below: Array<Map<number, Below>> = [];
  private batch: NewNode[] = [];

  constructor(
    private readonly run: Run,
    frontier: ReadonlyArray<{ id: NodeId; hash: Uint8Array }>,
  ) {
    for (const f of frontier)
      this.level(f.id.level).set(f.id.index, { stored: f.hash, expected: f.hash, ok: true, exact: true });
  }

  /** A leaf, checked now against its stored hash (read with its entry). */
  leaf(seq: number, computed: Uint8Array, stored: Uint8Array | undefined): void {
    const ok = stored !== undefined && stored.length === 32 && bytesEqual(stored, computed);
    this.level(0).set(seq, {
      stored: stored?.length === 32 ? stored : undefined,
      expected: computed,
      ok,
      exact: true,
    });
    this.run.stats.nodes++;
    if (stored === undefined)
      this.run.add(
        'tree',
        seq,
        'TREE_NODE_MISSING',
        `tree node (0, ${seq}) covering entries ${seq}… is missing`,
      );
    else if (!ok)
      this.run.add(
        'tree',
        seq,
        'TREE_NODE_MISMATCH',
        `stored leaf hash of entry ${seq} differs from the entry`,
      );
  }

  private level(level: number): Map<number, Below> {
    let m = this.below[level];
    if (m === undefined) {
      m = new Map();
      this.below[level] = m;
    }
    return m;
  }

  /** A node the compact range completed (leaves are checked by `leaf`). */
  push(node: NewNode): void {
    if (node.level > 0) this.batch.push(node);
  }

  async flushIfFull(): Promise<void> {
    if (this.batch.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    const got = await this.run.nodes(batch);
    const hash = this.run.suite.hash;
    this.run.stats.nodes += batch.length;
    for (let i = 0; i < batch.length; i++) {
      const id = batch[i]!;
      const computed = id.hash;
      const raw = got[i];
      const stored = raw && raw.length === 32 ? raw : undefined;
      const children = this.level(id.level - 1);
      const l = children.get(2 * id.index);
      const r = children.get(2 * id.index + 1);
      children.delete(2 * id.index);
      children.delete(2 * id.index + 1);
      let expected = computed;
      let ok: boolean;
      let exact = true;
      if (l && r && !(l.ok && r.ok && l.exact && r.exact)) {
        // Only when something below is damaged: the value this node should have had — it is fine when stored as the
        // hash of its stored children (the damage is below, reported there, not here).
        const asStored = l.stored && r.stored ? hashChildren(hash, l.stored, r.stored) : undefined;
        if (stored !== undefined && asStored !== undefined && bytesEqual(stored, asStored)) {
          ok = true;
          expected = stored;
        } else {
          expected = hashChildren(hash, l.ok ? l.stored! : l.expected, r.ok ? r.stored! : r.expected);
          ok = stored !== undefined && bytesEqual(stored, expected);
        }
        exact = bytesEqual(expected, computed);
      } else ok = stored !== undefined && bytesEqual(stored, computed);
      this.level(id.level).set(id.index, { stored, expected, ok, exact });
      const first = id.index * 2 ** id.level;
      if (raw === undefined)
        this.run.add(
          'tree',
          first,
          'TREE_NODE_MISSING',
          `tree node (${id.level}, ${id.index}) covering entries ${first}… is missing`,
        );
      else if (!ok)
        this.run.add(
          'tree',
          first,
          'TREE_NODE_MISMATCH',
          `tree node (${id.level}, ${id.index}) covering entries ${first}… differs from its children`,
        );
    }
    // Fresh maps for the next batch (the few nodes still waiting, copied). A Map that lives long with entries added and
    // deleted gets a new backing table at each rehash, and V8 links the replaced table to its successor; once a
    // mark-compact has moved one of them to the old generation, that chain keeps every later table, with the nodes,
    // digests and stored values it held, alive through scavenges until the next mark-compact, so a long verify
    // promoted a batch's worth of garbage every scavenge (bench/RESULTS.md, "Verification memory, second pass").
    for (let l = 0; l < this.below.length; l++) {
      const m = this.below[l];
      if (m !== undefined) this.below[l] = new Map(m);
    }
  }
}

interface Below {
  /** The stored value (undefined when missing or not 32 bytes). */
  readonly stored: Uint8Array | undefined;
  /** The value this node should have: the hash of what lies below, as far as that is intact. */
  readonly expected: Uint8Array;
  /** Whether the stored value is the expected one (or the hash of its stored children). */
  readonly ok: boolean;
  /** Whether `expected` is the hash the compact range computed here (then no rehash is needed above). */
  readonly exact: boolean;
}

// ---------------------------------------------------------------------------------------------- signatures

/** Signatures per job sent to the pool: small, so the workers start soon after the pass does and finish together. */
const SIG_BATCH = 256;
/** Jobs in flight (queued on or running in the workers); beyond this the pass waits for the oldest one only. */
const SIG_WINDOW = 16;

/**
 * Signatures, checked in batches on worker threads (or inline). The first signature by each key goes through the
 * full suite (strict RFC 8032 key checks included); later ones through the pool. At most a bounded window of batches
 * is in flight: when it is full, the pass waits for the oldest one only, so the workers never run dry.
 */
class SignatureCheck {
  private readonly pool: SignaturePool | undefined;
  private readonly vetted = new Map<string, boolean>();
  /** The batch being filled (bytes written straight into the buffers sent to a worker) and its entries' seqs. */
  private batch = new SigBatch();
  /**
   * The seqs of the batch being filled. A batch's seqs live until its verdict, a window of batches later: a new array
   * per batch outlived two scavenges and was left in the old generation as garbage, so the arrays are reused (`spare`).
   */
  private seqs: Float64Array = new Float64Array(SIG_BATCH);
  private readonly spare: Float64Array[] = [];
  private readonly inFlight: Array<Promise<void>> = [];

  constructor(
    private readonly run: Run,
    workers: number | undefined,
  ) {
    // The worker pool checks the suites whose checks a worker can make exactly as the suite does
    // (src/crypto/worker-verifiers.ts); any other implementation verifies on this thread.
    const alg = workerAlgorithmOf(run.suite);
    this.pool =
      workers === 0 || alg === undefined ? undefined : new SignaturePool(ENTRY_CONTEXT, workers, alg);
  }

  add(keyId: string, publicKey: Uint8Array, d: Decoded): void {
    this.run.stats.signatures++;
    const vetted = this.vetted.get(keyId);
    if (vetted === undefined || !this.pool) {
      let ok = false;
      try {
        ok = this.run.suite.verify(publicKey, signingMessage(d.entryBytes), d.signature);
      } catch {
        ok = false; // a malformed key or signature is a failed check here, as in `suite.verify`'s contract
      }
      if (!ok) this.bad(d.seq);
      if (vetted === undefined) this.vetted.set(keyId, ok);
      return;
    }
    const i = this.batch.count;
    if (i === this.seqs.length) {
      const grown = new Float64Array(2 * i);
      grown.set(this.seqs);
      this.seqs = grown;
    }
    this.seqs[i] = d.seq;
    this.batch.add(publicKey, d.entryBytes, d.signature);
  }

  private bad(seq: number): void {
    this.run.add('signatures', seq, 'BAD_SIGNATURE', `entry ${seq}: signature does not verify`);
  }

  get full(): boolean {
    return this.batch.count >= SIG_BATCH;
  }

  async flush(): Promise<void> {
    if (!this.batch.count || !this.pool) return;
    const batch = this.batch;
    const seqs = this.seqs;
    // The next batch starts with room for as many bytes as this one held (no regrowth on a uniform log).
    this.batch = new SigBatch(batch.bytes + (batch.bytes >>> 4));
    const count = batch.count;
    this.seqs = this.spare.pop() ?? new Float64Array(SIG_BATCH);
    const job = this.pool.checkBatch(batch).then((res) => {
      for (let i = 0; i < count; i++) if (res[i] !== 1) this.bad(seqs[i]!);
      if (seqs.length === SIG_BATCH) this.spare.push(seqs);
    });
    job.catch(() => {}); // a dead worker (WORKER_FAILED) is thrown where the jobs are awaited, never left unhandled
    this.inFlight.push(job);
    // A window of small batches keeps every worker busy; beyond it, wait for the oldest only.
    while (this.inFlight.length > SIG_WINDOW) await this.inFlight.shift();
  }

  async finish(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight.splice(0));
  }

  /** Worker threads must not outlive the call, whatever happened (they would keep the process alive). */
  async close(): Promise<void> {
    await this.pool?.close();
  }
}

// ---------------------------------------------------------------------------------------------- index rows

class RowCheck {
  /**
   * How many distinct expected rows were found stored; undefined once a read of rows failed (then not known). The
   * stored rows of the judged entries number exactly this when no other row is stored: the test for extra rows.
   */
  found: number | undefined = 0;
  /** The batch's rows and their seqs, and their keys written one after another (`ends[i]` ends row i's). */
  private rows: IndexRow[] = [];
  private seqs: number[] = [];
  private keys = new Uint8Array(BATCH * 48);
  private ends: number[] = [];

  constructor(private readonly run: Run) {}

  expect(seq: number, rows: readonly IndexRow[]): void {
    next: for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      // The same row twice in one entry is one stored row: looked up (and found) once.
      for (let j = 0; j < i; j++) if (r.index === rows[j]!.index && r.key === rows[j]!.key) continue next;
      const at = this.ends.length ? this.ends[this.ends.length - 1]! : 0;
      const room = at + indexKeyRoom(r.index, r.key);
      if (room > this.keys.length) {
        const grown = new Uint8Array(2 * room);
        grown.set(this.keys.subarray(0, at));
        this.keys = grown;
      }
      this.ends.push(writeIndexKey(this.keys, at, r.index, r.key, seq));
      this.rows.push(r);
      this.seqs.push(seq);
    }
  }

  async flushIfFull(): Promise<void> {
    if (this.rows.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.rows.length) return;
    const { rows, seqs, keys, ends } = this;
    this.rows = [];
    this.seqs = [];
    this.keys = new Uint8Array(keys.length);
    this.ends = [];
    // The keys as views of the batch's one buffer (see nodeKeys).
    const views = new Array<Uint8Array>(ends.length);
    for (let i = 0, at = 0; i < ends.length; at = ends[i++]!)
      views[i] = new Uint8Array(keys.buffer, at, ends[i]! - at);
    // 0: no row; 1: a row; 2: a row with a value.
    let got: Uint8Array;
    try {
      const db = this.run.db;
      if (db.hasMany) got = await db.hasMany(views);
      else {
        const vs = await db.getMany(views);
        got = new Uint8Array(vs.length);
        for (let i = 0; i < vs.length; i++) got[i] = vs[i] === undefined ? 0 : vs[i]!.length === 0 ? 1 : 2;
      }
    } catch (err) {
      const e = readError(err);
      this.found = undefined;
      this.run.add(
        'index-rows',
        seqs[0]!,
        'ENTRIES_UNREADABLE',
        `index rows of entries ${seqs[0]!}–${seqs[seqs.length - 1]!} cannot be read (${e.message})`,
      );
      return;
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const seq = seqs[i]!;
      const g = got[i];
      if (g !== 0 && this.found !== undefined) this.found++;
      if (g === 0) {
        this.run.add(
          'index-rows',
          seq,
          'INDEX_MISSING',
          `index row ${row.index}/${row.key} of entry ${seq} is missing`,
        );
      } else if (g === 2)
        this.run.add(
          'index-rows',
          seq,
          'INDEX_CORRUPT',
          `index row ${row.index}/${row.key} of entry ${seq} has a value`,
        );
    }
  }
}

/**
 * Extra rows: any stored row that no checked entry accounts for. A full scan of the index keyspace, so only in a full
 * verification (`since` checks the new entries' rows are present, and says that extra rows were not looked for).
 * Rows of entries whose rows cannot be derived here (a kind without a definition, a damaged entry) are not judged.
 */
async function checkIndexRows(
  run: Run,
  start: Start,
  pass: PassResult,
  state: LogState | undefined,
): Promise<void> {
  if (!state) {
    run.notChecked('index-rows', 'no valid manifest: the entries could not be checked');
    return;
  }
  if (pass.undefinedKinds.size) {
    const why = `no definition here for kinds ${[...pass.undefinedKinds].sort().join(', ')}`;
    run.detail('bodies', `bodies of those kinds' entries not checked: ${why}`);
    run.detail('index-rows', `rows of ${pass.rowsUnknown.count} entries not checked: ${why}`);
  }
  if (start.seq > 0) {
    run.detail(
      'index-rows',
      'incremental: rows of new entries checked; extra rows are looked for by a full verify',
    );
    return;
  }
  // Every entry's rows known and every read of rows answered: the keyspace holds at least the expected rows found, so
  // it holds no other row when it holds no more keys than that, which a count tells without handing out each key
  // (`countKeys`). Else the rows are listed and counted as below (rows past the size and rows of entries not judged
  // left out).
  if (pass.rowsStored !== undefined && pass.rowsUnknown.count === 0 && run.db.countKeys) {
    let count: number | undefined;
    try {
      count = await run.db.countKeys({ gte: Uint8Array.of(P_INDEX), lt: Uint8Array.of(P_INDEX + 1) });
    } catch (err) {
      readError(err); // then listed, as below
    }
    if (count === pass.rowsStored) {
      run.stats.indexRows = count;
      return;
    }
  }
  let stored = 0;
  // Read in pages of keys (one store call each, not one per key), the next page after the last key read.
  const scan = async (visit: (page: Uint8Array[]) => void | Promise<void>) => {
    const lt = Uint8Array.of(P_INDEX + 1);
    try {
      let page = await run.db.allKeys({ gte: Uint8Array.of(P_INDEX), lt, limit: KEY_PAGE });
      for (;;) {
        await visit(page);
        if (page.length < KEY_PAGE) break;
        page = await run.db.allKeys({ gt: page[page.length - 1]!, lt, limit: KEY_PAGE });
      }
    } catch (err) {
      const e = readError(err);
      run.add('index-rows', -1, 'ENTRIES_UNREADABLE', `index rows cannot be read: ${e.message}`);
    }
  };
  // The count: a page at a time, without a turn or an allocation per row (a malformed row counts, as it is extra).
  await scan((page) => {
    for (const k of page) {
      const seq = indexKeySeq(k);
      if (seq < 0 || (seq < run.size && !pass.rowsUnknown.has(seq))) stored++;
    }
  });
  run.stats.indexRows = stored;
  // No extra row when the stored rows are exactly the expected ones found (compared with the expected count, a missing
  // row and an extra one would cancel out).
  if (pass.rowsStored !== undefined && stored === pass.rowsStored) return;
  const dec = new TextDecoder();
  const extra = async (k: Uint8Array) => {
    const p = parseIndexKey(k);
    if (!p) {
      run.add('index-rows', -1, 'INDEX_EXTRA', `malformed index row ${toHex(k)}`);
      return;
    }
    if (p.seq < run.size && pass.rowsUnknown.has(p.seq)) return;
    const index = dec.decode(p.index);
    const key = dec.decode(p.key);
    const raw = p.seq < run.size ? await run.entry(p.seq) : undefined;
    let rows: IndexRow[] = [];
    if (raw instanceof Uint8Array) {
      const e = decodeSignedEntry(raw).entry; // decoded fine in the pass (else its rows would be unknown)
      rows = indexRowsOf(e, run.ctx.kinds.get(e.kind));
    }
    if (!rows.some((r) => r.index === index && r.key === key))
      run.add(
        'index-rows',
        p.seq,
        'INDEX_EXTRA',
        `index row ${index}/${key} → ${p.seq} does not follow from entry ${p.seq}`,
      );
  };
  await scan(async (page) => {
    for (const k of page) await extra(k);
  });
}

// ---------------------------------------------------------------------------------------------- after the pass

async function checkLateCheckpointEntries(run: Run, late: PassResult['lateCheckpoints']): Promise<void> {
  for (const c of late) {
    const hs = c.size === 0 ? [] : await run.nodes(rootPlan(c.size));
    if (hs.some((h) => !h)) continue; // missing nodes already reported
    const root =
      c.size === 0 ? run.suite.hash(new Uint8Array(0)) : foldNodes(run.suite.hash, hs as Uint8Array[]);
    if (!bytesEqual(root, c.rootHash))
      run.add(
        'checkpoint-entries',
        c.seq,
        'CHECKPOINT_MISMATCH',
        `checkpoint entry ${c.seq} does not match the log at size ${c.size}`,
      );
  }
}

/** Stray tree nodes beyond the log (e.g. entries cut from the end without their nodes). */
async function checkTreeEnd(run: Run): Promise<void> {
  const size = run.size;
  for (let level = 0; level < 64; level++) {
    const count = Math.floor(size / 2 ** level);
    let extra: Uint8Array[];
    try {
      extra = await run.db.allKeys({
        gte: nodeKey(level, count),
        lt: level < 63 ? nodeKey(level + 1, 0) : Uint8Array.of(P_NODE + 1),
        limit: 1,
      });
    } catch (err) {
      run.add(
        'tree',
        size,
        'ENTRIES_UNREADABLE',
        `tree nodes at level ${level} cannot be read: ${readError(err).message}`,
      );
      continue;
    }
    if (extra.length) {
      const k = extra[0]!;
      const idx = k.length === 10 ? readU64(k, 2) : -1;
      run.add(
        'tree',
        size,
        'TREE_NODE_EXTRA',
        `tree node (${level}, ${idx}) lies beyond the end of the log: entries after ${size - 1} were removed`,
      );
      return;
    }
    if (count === 0) return;
  }
}

/** Keys outside every known keyspace (a key of the wrong length among the entries is found by the entry pass). */
async function checkKeyspace(run: Run): Promise<void> {
  const first = async (gte: Uint8Array, lt: Uint8Array): Promise<Uint8Array | undefined> => {
    try {
      return (await run.db.allKeys({ gte, lt, limit: 1 }))[0];
    } catch (err) {
      run.add('keyspace', -1, 'ENTRIES_UNREADABLE', `keys cannot be listed: ${readError(err).message}`);
      return undefined;
    }
  };
  let lo = 0;
  for (const p of [P_ENTRY, P_NODE, P_INDEX, 256]) {
    if (p > lo) {
      const stray = await first(
        Uint8Array.of(lo),
        p < 256 ? Uint8Array.of(p) : Uint8Array.of(255, 255, 255, 255),
      );
      if (stray) run.add('keyspace', -1, 'STRAY_KEY', `unexpected key ${toHex(stray)}`);
    }
    lo = p + 1;
  }
}
