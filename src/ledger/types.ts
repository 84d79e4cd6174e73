import type { CborValue } from '../encoding/value';
import type { Issue } from '../errors';
import type { CryptoSuite, Signer } from '../crypto/types';
import type { ProblemCode } from '../problems';

export type { CborValue };

/** Reference from an entry to a file in the content store (see src/content). */
export interface ContentRef {
  /** SHA-256 of the whole file, 32 bytes. */
  readonly digest: Uint8Array;
  /** Size in bytes. */
  readonly size: number;
  /** RFC 9162 Merkle root over the SHA-256 of each fixed-size chunk (see src/content), 32 bytes. */
  readonly chunkRoot: Uint8Array;
}

export interface AppendInput {
  /** Kind name, e.g. `core/key.register` or `enf/document`. Must be declared (see KindDefinition). */
  readonly kind: string;
  readonly body: CborValue;
  readonly content?: readonly ContentRef[];
}

export interface AppendResult {
  readonly seq: number;
  readonly leafHash: Uint8Array;
  /** Append time (ms since epoch) taken from the ledger's injected clock. */
  readonly time: number;
}

/**
 * An entry as stored and as returned by `get` and `entries`. `K` and `B` narrow the kind and its body when the kind
 * is known (`ledger.get(seq, kind)`, `ledger.entries({ kind })`, `isKind`); by default any kind, any CBOR body.
 */
export interface Entry<K extends string = string, B = CborValue> {
  readonly version: number;
  readonly ledgerId: Uint8Array;
  readonly seq: number;
  readonly prev: Uint8Array;
  readonly time: number;
  readonly kind: K;
  readonly body: B;
  readonly content: readonly ContentRef[];
  /** Key id (hex) of the signer. */
  readonly signer: string;
}

export interface StoredEntry<K extends string = string, B = CborValue> extends Entry<K, B> {
  readonly signature: Uint8Array;
  /** Canonical CBOR bytes of the signed entry (the Merkle leaf data). */
  readonly bytes: Uint8Array;
  readonly leafHash: Uint8Array;
}

/**
 * Body types by kind name, at the type level only: `{ 'enf/case': CaseBody, … }`. Each layer that defines kinds has
 * one, its bodies inferred from the kinds' zod schemas (domain/bodies.ts, retention/kinds.ts, access/kinds.ts).
 */
export type BodyMap = object;

/** The kind names of a body map. */
export type KindOf<M extends BodyMap> = Extract<keyof M, string>;

/** An entry of kind `K` of the body map `M`, its body typed. */
export type EntryOf<M extends BodyMap, K extends KindOf<M>> = StoredEntry<K, M[K]>;

/**
 * Kind definitions that also carry, at the type level only, the body of each kind (`M`). `Ledger.create` / `open`
 * infer the ledger's body map from the `kinds` they are given; a plain `KindDefinition[]` adds nothing to it.
 */
export type KindSet<M extends BodyMap> = readonly KindDefinition[] & { readonly __bodies?: M };

/**
 * A type guard for the kinds of a body map: `const isRecord = kindGuard<RecordBodies>()`, then
 * `if (isRecord(e, KIND.case)) e.body.caseId`. It compares kind names only: a body is typed by its kind because the
 * kind's schema checked it on append (and `verify` checks it again).
 */
export function kindGuard<M extends { readonly [K in keyof M]: CborValue }>() {
  return <K extends KindOf<M>, E extends Entry>(entry: E, kind: K): entry is Narrowed<E, K, M[K]> =>
    entry.kind === kind;
}

/** `E` (an Entry or a StoredEntry) with its kind and body narrowed. */
export type Narrowed<E extends Entry, K extends string, B> = Extract<
  E extends StoredEntry ? StoredEntry<K, Extract<B, CborValue>> : Entry<K, Extract<B, CborValue>>,
  E
>;

/** Context given to a kind's `check` hook on append: read-only access to the ledger's state. */
export interface KindCheckContext {
  readonly size: number;
  /** Seqs of entries with `key` in `index`, in log order. */
  lookup(index: string, key: string): Promise<number[]>;
  /** The entry at `seq` (committed or staged before this one). It may be the ledger's own: read it, never change it. */
  get(seq: number): Promise<StoredEntry>;
  /**
   * What `lookup(index, key)` would give, when the ledger has it without reading storage (the index's key filter, its
   * cache of earlier reads, the rows staged in this group commit); else undefined, and `lookup` is the way. The list
   * may be the ledger's own: read it, never change it. A check that finds every answer here can finish without
   * waiting. Absent where no such answers are kept.
   */
  lookupNow?(index: string, key: string): readonly number[] | undefined;
  /** What `get(seq)` would give, when the ledger has the entry without reading storage; else undefined. */
  getNow?(seq: number): StoredEntry | undefined;
  /** Roles the signer holds at this point of the log. */
  readonly signerRoles: readonly string[];
  readonly signerPrincipal: string;
}

/**
 * How a kind plugs into the generic core. The core never knows enforcement record kinds; the domain layer declares
 * them with this shape. The role requirement is also recorded in the log (a `core/kind.declare` entry) so verifiers
 * without this code can still check roles.
 */
export interface KindDefinition {
  readonly kind: string;
  /** The signer must hold at least one of these roles at the point of the log where the entry is appended. */
  readonly roles: readonly string[];
  /** Schema check of the body. Returns every issue (paths relative to the body); empty when valid. */
  validate?(body: unknown): Issue[];
  /** Derived index rows for this entry: e.g. `{ index: 'case', key: caseId }`. Recomputed and compared by verify. */
  indexes?(entry: Entry): ReadonlyArray<{ readonly index: string; readonly key: string }>;
  /**
   * Reference and state checks against the ledger, on append only. Returns issues; empty when fine. Must be free of
   * side effects: in a group commit it may run more than once (a first pass issues the batch's reads together; an
   * entry is checked again when an entry before it is not written after all).
   */
  check?(entry: Entry, ctx: KindCheckContext): Issue[] | Promise<Issue[]>;
  /**
   * Indexes that `check` looks up expecting to find nothing most of the time (the ids a new entry defines: "is this
   * id new?"). The ledger keeps a complete in-memory filter of each one's keys, built by one keys-only scan on the
   * first such lookup and kept up to date by every entry it writes or catches up with, so that a check's lookup of a
   * key no row has costs no storage read. Lookups only: rows and stored bytes are the same with or without it.
   * Memory: 5.3–10.7 bytes per distinct key of each index named (docs/design/append.md §8).
   */
  readonly filteredIndexes?: readonly string[];
}

export interface VerifyProblem {
  /** First affected sequence number, or -1 when the problem is not tied to one entry. */
  readonly seq: number;
  /** What was found: a code of the catalogue (src/problems.ts, docs/PROBLEMS.md). */
  readonly code: ProblemCode;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly size: number;
  readonly root: Uint8Array;
  readonly problems: VerifyProblem[];
}

export type Clock = () => number;

export interface LedgerOptionsBase {
  /** Injected clock in ms since epoch; defaults to Date.now. */
  readonly clock?: Clock;
  /**
   * Crypto suite implementation. `create` uses it (default: the Node implementation of the signer's suite) and
   * writes its id into the manifest; `open` and `verify` default to the Node implementation of the suite the
   * manifest names, and refuse one for another suite (CRYPTO_UNKNOWN_SUITE).
   */
  readonly suite?: CryptoSuite;
  /** Kind definitions known to this process (the domain layer passes its own). */
  readonly kinds?: readonly KindDefinition[];
  /** Await fsync before an append resolves. Default true. */
  readonly sync?: boolean;
  /**
   * Where append checks the signatures of a group commit's chunk of 32 entries or more (every signature is checked
   * before it commits, wherever): `workers` on the signature worker threads, shared with the calling thread;
   * `here` on the calling thread; `auto` (default) on the workers only while other processes leave a core and a
   * half free (docs/design/append.md §4). The verdicts are the same; only the cost and the parallelism differ.
   */
  readonly signatureChecks?: 'auto' | 'workers' | 'here';
  /** Signs checkpoints; defaults to the creating signer in `create`. */
  readonly checkpointSigner?: Signer;
}
