/**
 * A penalty case (src/domain/example-penalty-case.ts) whose media and scans are in a real content store, reopened with
 * the retention and access kinds under a clock the test controls; and a raw writer that appends a correctly signed,
 * chained and indexed entry straight into LevelDB, bypassing every API check (an insider with a valid key).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { archiveKinds, declareArchiveKinds } from '../../src/access';
import { FsContentStore } from '../../src/content';
import { nodeSuite } from '../../src/crypto/node';
import type { Signer } from '../../src/crypto/types';
import { EnforcementRecords } from '../../src/domain';
import { buildPenaltyCase, exampleSigner } from '../../src/domain/example-penalty-case';
import { Ledger } from '../../src/ledger';
import { decodeSignedEntry, encodeEntry, encodeSignedEntry, signingMessage } from '../../src/ledger/format';
import { P_ENTRY, entryKey, indexKey, nodeKey, readU64 } from '../../src/ledger/keyspace';
import { indexRowsOf } from '../../src/ledger/rows';
import type { CborValue, Entry, EntryOf, KindDefinition, KindOf, StoredEntry } from '../../src/ledger/types';
import type { CoreBodies } from '../../src/ledger/registry';
import type { ArchiveBodies } from '../../src/access/archive';
import type { BodyByKind } from '../../src/domain/bodies';
import type { KIND } from '../../src/domain/kind-names';
import { DEFAULT_RETENTION_POLICY, expiryOf, policyHash } from '../../src/retention';
import { afterAll, beforeAll } from 'vitest';
import { CompactRange, hashLeaf, rootPlan } from '../../src/merkle';

export const signer = (label: string): Signer => exampleSigner(label, nodeSuite.hash);
export const people = {
  root: signer('root'),
  archivist: signer('P-sun'),
  head: signer('P-chen'),
  supervisor: signer('P-zhao'),
  officer: signer('P-wang'),
  officer2: signer('P-li'),
};

/** China Standard Time wall clock → ms. */
export const cst = (y: number, mo: number, d: number, h = 0, mi = 0): number =>
  Date.UTC(y, mo - 1, d, h - 8, mi);

export function tempDir(prefix = 'el-ret-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

async function* once(b: Uint8Array) {
  yield b;
}

export interface World {
  readonly dir: string;
  readonly ledgerPath: string;
  readonly store: FsContentStore;
  ledger: Ledger<CoreBodies & ArchiveBodies>;
  er: EnforcementRecords;
  readonly caseId: string;
  /** The test's clock: set `world.now`. */
  now: number;
  readonly clock: () => number;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the penalty case into `dir` and reopens it with the archive kinds declared. */
export async function buildWorld(dir: string): Promise<World> {
  const store = await FsContentStore.open(join(dir, 'content'));
  const ledgerPath = join(dir, 'ledger');
  const built = await buildPenaltyCase(ledgerPath, { putContent: (b) => store.put(once(b)) });
  const w = {
    dir,
    ledgerPath,
    store,
    caseId: built.caseId,
    now: cst(2026, 5, 1, 9, 0),
  } as World;
  (w as { clock: () => number }).clock = () => w.now;
  w.reopen = async () => {
    w.ledger = await Ledger.open(ledgerPath, { kinds: archiveKinds(), clock: w.clock });
    w.er = new EnforcementRecords(w.ledger);
  };
  w.close = () => w.ledger.close();
  await w.reopen();
  await declareArchiveKinds(w.ledger, people.root);
  return w;
}

/**
 * One world per test file: built in a temp folder before the file's tests (then `ready` gets it), closed and removed
 * after them.
 */
export function useWorld(prefix: string, ready: (w: World) => Promise<void> | void): void {
  const { dir, cleanup } = tempDir(prefix);
  let w: World | undefined;
  beforeAll(async () => {
    w = await buildWorld(dir);
    await ready(w);
  });
  afterAll(async () => {
    await w?.close().catch(() => {});
    cleanup();
  });
}

/** Every entry of `kind`, in log order, its body typed. */
export async function entriesOfKind<K extends KindOf<CoreBodies & ArchiveBodies>>(
  ledger: World['ledger'],
  kind: K,
) {
  const out: Array<EntryOf<CoreBodies & ArchiveBodies, K>> = [];
  for await (const e of ledger.entries({ kind })) out.push(e);
  return out;
}

/** An AV segment entry and a document entry of the world, typed. */
export type Segment = EntryOf<BodyByKind, typeof KIND.segment>;
export type DocumentEntry = EntryOf<BodyByKind, typeof KIND.document>;

/** A purge target: the entry and its first content. */
export const target = (e: StoredEntry) => ({ seq: e.seq, digest: e.content[0]!.digest });

/** Expiry of an AV segment not used as evidence: 6 months from its end. */
export const avExpiry = (seg: Segment) => expiryOf(seg.body.endedAt, 6);

/** A purge body of one AV segment under the default policy, as a forger would write it. */
export function avPurgeBody(
  purgeId: string,
  seg: Segment,
  ids: { requestId?: string; approvalId?: string },
  at: number,
): CborValue {
  return {
    v: 1,
    purgeId,
    ...ids,
    policy: policyHash(DEFAULT_RETENTION_POLICY),
    targets: [
      {
        ...target(seg),
        retentionClass: 'AV',
        basis: 'av_recording',
        from: seg.body.endedAt,
        expiresAt: avExpiry(seg),
      },
    ],
    purgedAt: at,
  };
}

const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/**
 * Appends an entry directly in the LevelDB folder (the ledger must be closed): signed by `by`, chained to the last
 * entry, with its tree nodes and index rows, exactly as the ledger would write it, but without any kind check.
 */
export async function rawAppend(
  path: string,
  kinds: readonly KindDefinition[],
  by: Signer,
  kind: string,
  body: CborValue,
  time: number,
): Promise<number> {
  const db = new ClassicLevel<Uint8Array, Uint8Array>(path, BIN);
  try {
    const [lastKey] = (await db
      .keys({ gte: entryKey(0), lt: Uint8Array.of(P_ENTRY + 1), reverse: true, limit: 1 })
      .all()) as Uint8Array[];
    const size = readU64(lastKey!, 1) + 1;
    const last = decodeSignedEntry((await db.get(entryKey(size - 1)))!);
    const hash = nodeSuite.hash;
    const entry: Entry = {
      version: 1,
      ledgerId: last.entry.ledgerId,
      seq: size,
      prev: hash(last.entryBytes),
      time: Math.max(time, last.entry.time),
      kind,
      body,
      content: [],
      signer: by.keyId,
    };
    const bytes = encodeEntry(entry);
    const signed = encodeSignedEntry(bytes, await by.sign(signingMessage(bytes)));
    const plan = rootPlan(size);
    const nodes = (await db.getMany(plan.map((id) => nodeKey(id.level, id.index)))) as Uint8Array[];
    const range = CompactRange.fromFrontier(hash, size, nodes);
    const ops = [{ type: 'put' as const, key: entryKey(size), value: signed }];
    for (const n of range.append(hashLeaf(hash, signed)))
      ops.push({ type: 'put', key: nodeKey(n.level, n.index), value: n.hash });
    const def = kinds.find((k) => k.kind === kind);
    for (const r of indexRowsOf(entry, def))
      ops.push({ type: 'put', key: indexKey(r.index, r.key, size), value: new Uint8Array(0) });
    await db.batch(ops);
    return size;
  } finally {
    await db.close();
  }
}
