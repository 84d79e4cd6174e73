/**
 * Full and incremental verification of a stored ledger. Streams the log in constant memory; signatures are checked
 * on worker threads for large logs. Every problem carries the first affected seq, a stable code and a message.
 */
import type { ProblemCode } from '../problems';
import { bytesEqual, toHex } from '../bytes';
import type { CryptoSuite } from '../crypto/types';
import { encodeCanonical } from '../encoding/cbor';
import {
  CompactRange,
  consistencyProofPlan,
  foldNodes,
  materializeAsync,
  rootPlan,
  verifyConsistency,
} from '../merkle';
import type { NodeId } from '../merkle';
import { hashChildren, hashLeaf } from '../merkle/hash';
import { type AnyLevel, BIN } from './db';
import {
  ENTRY_CONTEXT,
  FORMAT_VERSION,
  MANIFEST_KIND,
  ZERO_HASH,
  decodeSignedEntry,
  signingMessage,
} from './format';
import { P_ENTRY, P_INDEX, P_NODE, entryKey, indexKey, nodeKey, parseIndexKey, readU64 } from './keyspace';
import {
  CHECKPOINT_KIND,
  KEY_REGISTER_KIND,
  KEY_REVOKE_KIND,
  KIND_DECLARE_KIND,
  KeyRegistry,
  type ManifestBody,
  validateCoreBody,
} from './registry';
import { SignaturePool, type SigItem } from './sig-pool';
import type { Entry, KindDefinition, VerifyProblem, VerifyReport } from './types';
import { CORE_KIND_INDEX, indexRowsOf } from './rows';
import { checkpointVerifier } from './checkpoint-key';

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
  /** Worker threads for signatures: 0 checks inline. Default: all cores when the range exceeds 4,096 entries. */
  readonly workers?: number;
  /** Stop collecting after this many problems (a final TOO_MANY_PROBLEMS says so). Default 10,000. */
  readonly maxProblems?: number;
}

export interface VerifyContext {
  readonly db: AnyLevel;
  readonly suite: CryptoSuite;
  readonly kinds: ReadonlyMap<string, KindDefinition>;
  readonly size: number;
}

/** What `verify` returns: the report plus counts of what it checked. */
export type LedgerVerifyReport = VerifyReport & { readonly stats: VerifyStats };

export interface VerifyStats {
  entries: number;
  signatures: number;
  nodes: number;
  indexRows: number;
  checkpoints: number;
}

const BATCH = 2048;

export async function verifyLedger(ctx: VerifyContext, opts: VerifyOptions): Promise<LedgerVerifyReport> {
  const { db, suite } = ctx;
  const size = ctx.size;
  const maxProblems = opts.maxProblems ?? 10_000;
  const problems: VerifyProblem[] = [];
  let truncatedProblems = false;
  const add = (seq: number, code: ProblemCode, message: string) => {
    if (problems.length < maxProblems) problems.push({ seq, code, message });
    else truncatedProblems = true;
  };
  const stats: VerifyStats = { entries: 0, signatures: 0, nodes: 0, indexRows: 0, checkpoints: 0 };
  const registry = new KeyRegistry((pub) => suite.keyId(pub));

  // Nodes waiting for their parent's check (the right frontier and the current batch only): the stored value,
  // the value expected from what lies below, and whether the two agreed.
  const below = new Map<string, { stored: Uint8Array | undefined; expected: Uint8Array; ok: boolean }>();
  const nodeName = (level: number, index: number) => `${level}/${index}`;
  // ---- Incremental start: a trusted checkpoint fixes the tree up to `start`.
  let start = 0;
  let trustedSince: { size: number; rootHash: Uint8Array } | undefined;
  let range = new CompactRange(suite.hash);
  /** Hash of the previous entry's bytes (the `prev` the next entry must carry); undefined when unknowable. */
  let prevHash: Uint8Array | undefined = ZERO_HASH;
  let lastTime = 0;
  let manifest: ManifestBody | undefined;
  let ledgerId: Uint8Array | undefined;

  const readEntry = async (seq: number) => {
    const v = (await db.get(entryKey(seq), BIN)) as Uint8Array | undefined;
    return v ? { bytes: v, ...decodeSignedEntry(v) } : undefined;
  };

  const getNodes = async (ids: readonly NodeId[]) =>
    (await db.getMany(
      ids.map((i) => nodeKey(i.level, i.index)),
      BIN,
    )) as Array<Uint8Array | undefined>;

  // Manifest first: every other check depends on it.
  let genesis: Awaited<ReturnType<typeof readEntry>>;
  try {
    genesis = await readEntry(0);
  } catch (err) {
    genesis = undefined;
    add(0, 'ENTRY_MALFORMED', `entry 0: ${(err as Error).message}`);
  }
  if (genesis) {
    const issues =
      genesis.entry.kind === MANIFEST_KIND ? validateCoreBody(MANIFEST_KIND, genesis.entry.body) : [];
    if (genesis.entry.kind !== MANIFEST_KIND) add(0, 'MANIFEST_MISSING', 'entry 0 is not a manifest');
    else if (issues.length)
      add(
        0,
        issues.some((i) => i.code === 'unknown_suite') ? 'SUITE_UNKNOWN' : 'MANIFEST_INVALID',
        issues[0]!.message,
      );
    else {
      manifest = genesis.entry.body as unknown as ManifestBody;
      ledgerId = suite.hash(encodeCanonical(genesis.entry.body));
    }
  } else if (problems.length === 0) add(0, 'ENTRY_MISSING', 'entry 0 (the manifest) is missing');

  if (manifest && opts.trustedRootKeys) {
    const want = opts.trustedRootKeys.map(toHex).sort();
    const have = manifest.rootKeys.map((k) => toHex(k.publicKey)).sort();
    if (want.length !== have.length || want.some((w, i) => w !== have[i]))
      add(
        0,
        'ROOT_KEY_MISMATCH',
        'the manifest names root keys other than the pinned ones (log rebuilt under another root?)',
      );
  }
  const cpVerifier = manifest ? checkpointVerifier(manifest, suite) : undefined;

  if (opts.since !== undefined) {
    if (!cpVerifier)
      add(-1, 'SINCE_UNUSABLE', 'cannot check the trusted checkpoint without a valid manifest');
    else {
      try {
        const cp = cpVerifier(opts.since);
        trustedSince = { size: cp.size, rootHash: cp.rootHash };
      } catch (err) {
        add(
          -1,
          'TRUSTED_CHECKPOINT_INVALID',
          `trusted checkpoint does not verify: ${(err as Error).message}`,
        );
      }
    }
    if (trustedSince && trustedSince.size > size) {
      add(size, 'TRUNCATED', `log has ${size} entries but the trusted checkpoint has ${trustedSince.size}`);
      trustedSince = undefined;
    }
    if (trustedSince && trustedSince.size > 0) {
      start = trustedSince.size;
      const plan = rootPlan(start);
      const hashes = await getNodes(plan);
      if (hashes.some((h) => h?.length !== 32)) {
        add(-1, 'SINCE_MISMATCH', 'stored tree nodes for the trusted size are missing; run a full verify');
        start = 0;
      } else {
        range = CompactRange.fromFrontier(suite.hash, start, hashes as Uint8Array[]);
        // The frontier is trusted (its fold is the trusted root): new nodes above it are checked against it.
        for (let i = 0; i < plan.length; i++)
          below.set(nodeName(plan[i]!.level, plan[i]!.index), {
            stored: hashes[i]!,
            expected: hashes[i]!,
            ok: true,
          });
        if (!bytesEqual(range.root(), trustedSince.rootHash)) {
          add(
            -1,
            'SINCE_MISMATCH',
            `the log at size ${start} no longer has the trusted root (rewritten history)`,
          );
          start = 0;
          range = new CompactRange(suite.hash);
          below.clear();
        }
      }
    }
  }

  // In incremental mode, rebuild keys and kinds from the core entries before `start` (each proven included).
  if (start > 0 && genesis) {
    registry.apply(genesis.entry);
    ledgerId = genesis.entry.ledgerId;
    const seqs = new Set<number>();
    for (const kind of [KEY_REGISTER_KIND, KEY_REVOKE_KIND, KIND_DECLARE_KIND]) {
      const it = db.keys({
        ...BIN,
        gte: indexKey(CORE_KIND_INDEX, kind, 0),
        lt: indexKey(CORE_KIND_INDEX, kind, start),
      });
      for await (const k of it) seqs.add(readU64(k as Uint8Array, (k as Uint8Array).length - 8));
    }
    for (const s of [...seqs].sort((a, b) => a - b)) {
      const e = await readEntry(s);
      if (!e) {
        add(s, 'ENTRY_MISSING', `key entry ${s} is missing`);
        continue;
      }
      const leaf = hashLeaf(suite.hash, e.bytes);
      const level0 = (await getNodes([{ level: 0, index: s }]))[0];
      if (!level0 || !bytesEqual(level0, leaf))
        add(s, 'TREE_NODE_MISMATCH', `entry ${s} does not match its leaf`);
      registry.apply(e.entry);
    }
    const last = await readEntry(start - 1);
    if (last) {
      prevHash = suite.hash(last.entryBytes);
      lastTime = last.entry.time;
    }
  }

  // Checkpoints held elsewhere to compare against (those recorded in the log are checked as entries).
  const wantRoots = new Map<number, Array<{ rootHash: Uint8Array; note: string }>>();
  for (const note of opts.checkpoints ?? []) {
    stats.checkpoints++;
    if (!cpVerifier) break;
    let cp: { size: number; rootHash: Uint8Array; origin: string };
    try {
      cp = cpVerifier(note);
    } catch (err) {
      add(-1, 'TRUSTED_CHECKPOINT_INVALID', `checkpoint held elsewhere: ${(err as Error).message}`);
      continue;
    }
    if (cp.size > size) {
      add(
        size,
        'TRUNCATED',
        `a checkpoint held elsewhere has size ${cp.size} but the log has ${size} entries: entries ${size}… were cut`,
      );
      continue;
    }
    const list = wantRoots.get(cp.size) ?? [];
    list.push({ rootHash: cp.rootHash, note });
    wantRoots.set(cp.size, list);
  }
  /** Checkpoint entries whose size is below their own seq: checked after the stream from stored (verified) nodes. */
  const lateCheckpoints: Array<{ seq: number; size: number; rootHash: Uint8Array }> = [];
  const compareRoot = (n: number, root: Uint8Array) => {
    for (const w of wantRoots.get(n) ?? [])
      if (!bytesEqual(w.rootHash, root))
        add(
          n - 1,
          'FORK',
          `the log at size ${n} does not match a checkpoint held elsewhere (same size, other root)`,
        );
  };
  // Checkpoints before an incremental start: prove them consistent with the trusted root from stored nodes.
  if (start > 0 && trustedSince) {
    for (const n of [...wantRoots.keys()].filter((n) => n < start && n > 0)) {
      try {
        const proof = await materializeAsync(suite.hash, consistencyProofPlan(n, start), async (ids) => {
          const hs = await getNodes(ids);
          if (hs.some((h) => !h)) throw new Error('tree nodes missing');
          return hs as Uint8Array[];
        });
        for (const w of wantRoots.get(n)!)
          if (!verifyConsistency(suite.hash, n, start, proof, w.rootHash, trustedSince.rootHash))
            add(n - 1, 'FORK', `checkpoint at size ${n} is inconsistent with the trusted one`);
      } catch (err) {
        add(n - 1, 'FORK', `cannot prove checkpoint at ${n} consistent: ${(err as Error).message}`);
      }
    }
    compareRoot(start, range.root());
  }

  // ---- Stream entries.
  const total = size - start;
  const useWorkers = opts.workers ?? (total > 4096 ? undefined : 0);
  // The worker pool checks Ed25519 only (node:crypto in bare workers); other suites verify on this thread.
  const pool =
    useWorkers === 0 || suite.id !== 'ed25519-sha256'
      ? undefined
      : new SignaturePool(ENTRY_CONTEXT, useWorkers);
  const vettedKeys = new Map<string, boolean>();
  let sigBatch: Array<SigItem & { seq: number }> = [];
  const sigJobs: Array<Promise<void>> = [];
  let nodeBatch: Array<{ id: NodeId; hash: Uint8Array }> = [];
  let rowBatch: Array<{ key: Uint8Array; seq: number; label: string }> = [];
  let expectedRows = 0;
  let treeBroken = false;

  const flushSigs = () => {
    if (!sigBatch.length) return;
    const batch = sigBatch;
    sigBatch = [];
    if (pool) {
      const job = pool.check(batch).then((res) =>
        res.forEach((ok, i) => {
          if (!ok) add(batch[i]!.seq, 'BAD_SIGNATURE', `entry ${batch[i]!.seq}: signature does not verify`);
        }),
      );
      job.catch(() => {}); // a dead worker (WORKER_FAILED) is thrown where the jobs are awaited, never left unhandled
      sigJobs.push(job);
      if (sigJobs.length > 2 * pool.size) {
        const j = sigJobs.splice(0, sigJobs.length);
        return Promise.all(j).then(() => undefined);
      }
    } else {
      for (const it of batch)
        if (!suite.verify(it.publicKey, signingMessage(it.entryBytes), it.signature))
          add(it.seq, 'BAD_SIGNATURE', `entry ${it.seq}: signature does not verify`);
    }
    return undefined;
  };
  /**
   * Each stored node is checked against what lies directly below it: a leaf against the hash of its entry, an
   * interior node against the hash of its two stored children — or, when a child failed its own check, against the
   * value that child should have had. So a damaged entry or node is reported once, where it is, not at every
   * ancestor; and by induction the stored tree equals the tree of the entries wherever nothing is reported.
   */
  const flushNodes = async () => {
    if (!nodeBatch.length) return;
    const batch = nodeBatch;
    nodeBatch = [];
    const got = await getNodes(batch.map((b) => b.id));
    stats.nodes += batch.length;
    for (let i = 0; i < batch.length; i++) {
      const { id, hash: computed } = batch[i]!;
      const raw = got[i];
      const stored = raw && raw.length === 32 ? raw : undefined;
      const first = id.index * 2 ** id.level;
      let ok: boolean;
      let expected = computed;
      const l = id.level > 0 ? below.get(nodeName(id.level - 1, 2 * id.index)) : undefined;
      const r = id.level > 0 ? below.get(nodeName(id.level - 1, 2 * id.index + 1)) : undefined;
      if (l && r) {
        below.delete(nodeName(id.level - 1, 2 * id.index));
        below.delete(nodeName(id.level - 1, 2 * id.index + 1));
        const asStored = l.stored && r.stored ? hashChildren(suite.hash, l.stored, r.stored) : undefined;
        if (stored !== undefined && asStored !== undefined && bytesEqual(stored, asStored)) {
          ok = true;
          expected = stored;
        } else {
          // Only when something below is damaged: the value this node should have had.
          expected = hashChildren(suite.hash, l.ok ? l.stored! : l.expected, r.ok ? r.stored! : r.expected);
          ok = stored !== undefined && bytesEqual(stored, expected);
        }
      } else {
        ok = stored !== undefined && bytesEqual(stored, computed);
      }
      below.set(nodeName(id.level, id.index), { stored, expected, ok });
      if (raw === undefined)
        add(
          first,
          'TREE_NODE_MISSING',
          `tree node (${id.level}, ${id.index}) covering entries ${first}… is missing`,
        );
      else if (!ok)
        add(
          first,
          'TREE_NODE_MISMATCH',
          id.level === 0
            ? `stored leaf hash of entry ${first} differs from the entry`
            : `tree node (${id.level}, ${id.index}) covering entries ${first}… differs from its children`,
        );
    }
  };
  const flushRows = async () => {
    if (!rowBatch.length) return;
    const batch = rowBatch;
    rowBatch = [];
    const got = (await db.getMany(
      batch.map((r) => r.key),
      BIN,
    )) as Array<Uint8Array | undefined>;
    for (let i = 0; i < batch.length; i++) {
      const g = got[i];
      if (g === undefined)
        add(
          batch[i]!.seq,
          'INDEX_MISSING',
          `index row ${batch[i]!.label} of entry ${batch[i]!.seq} is missing`,
        );
      else if (g.length !== 0)
        add(
          batch[i]!.seq,
          'INDEX_CORRUPT',
          `index row ${batch[i]!.label} of entry ${batch[i]!.seq} has a value`,
        );
    }
  };

  let expected = start;
  let lastProgress = 0;
  const it = db.iterator({ ...BIN, gte: entryKey(start), lt: Uint8Array.of(P_ENTRY + 1) });
  try {
    for await (const [k, v] of it) {
      const key = k as Uint8Array;
      const bytes = v as Uint8Array;
      if (key.length !== 9) {
        add(expected, 'STRAY_KEY', `unexpected key in the entry keyspace: ${toHex(key)}`);
        continue;
      }
      const seq = readU64(key, 1);
      while (expected < seq) {
        add(expected, 'ENTRY_MISSING', `entry ${expected} is missing`);
        // Carry on with the stored leaf hash, so that later entries are still checked against the tree.
        const stand = treeBroken ? undefined : (await getNodes([{ level: 0, index: expected }]))[0];
        if (stand && stand.length === 32) {
          range.append(stand);
          prevHash = undefined;
        } else treeBroken = true;
        expected++;
      }
      expected = seq + 1;
      stats.entries++;
      const leaf = hashLeaf(suite.hash, bytes);
      let d: ReturnType<typeof decodeSignedEntry> | undefined;
      try {
        d = decodeSignedEntry(bytes);
      } catch (err) {
        add(seq, 'ENTRY_MALFORMED', `entry ${seq}: ${(err as Error).message}`);
      }
      if (d) {
        checkEntry(seq, d);
        if (d.entry.kind === CHECKPOINT_KIND) checkCheckpointEntry(seq, d.entry);
      }
      // Tree: recompute every perfect node and compare with what is stored.
      if (!treeBroken)
        for (const n of range.append(leaf))
          nodeBatch.push({ id: { level: n.level, index: n.index }, hash: n.hash });
      prevHash = d ? suite.hash(d.entryBytes) : undefined;
      if (!treeBroken && wantRoots.has(seq + 1)) compareRoot(seq + 1, range.root());
      if (nodeBatch.length >= BATCH) await flushNodes();
      if (rowBatch.length >= BATCH) await flushRows();
      if (sigBatch.length >= BATCH) await flushSigs();
      if (opts.onProgress && stats.entries - lastProgress >= 4096) {
        lastProgress = stats.entries;
        opts.onProgress({ done: stats.entries, total });
      }
    }
    await flushNodes();
    await flushRows();
    await flushSigs();
    await Promise.all(sigJobs);
  } finally {
    await it.close();
    // Worker threads must not outlive the call, whatever happened (they would keep the process alive).
    await pool?.close();
  }
  opts.onProgress?.({ done: stats.entries, total });

  function checkCheckpointEntry(seq: number, e: Entry): void {
    const note = (e.body as { note?: unknown }).note;
    if (!cpVerifier || typeof note !== 'string') return; // BODY_INVALID already reported
    let cp: { size: number; rootHash: Uint8Array };
    try {
      cp = cpVerifier(note);
    } catch (err) {
      add(seq, 'CHECKPOINT_INVALID', `checkpoint entry ${seq}: ${(err as Error).message}`);
      return;
    }
    if (cp.size > seq)
      add(seq, 'CHECKPOINT_INVALID', `checkpoint entry ${seq} claims size ${cp.size}, beyond itself`);
    else if (cp.size === seq) {
      if (!treeBroken && !bytesEqual(range.root(), cp.rootHash))
        add(seq, 'CHECKPOINT_MISMATCH', `checkpoint entry ${seq} does not match the log before it`);
    } else lateCheckpoints.push({ seq, size: cp.size, rootHash: cp.rootHash });
  }

  function checkEntry(seq: number, d: NonNullable<ReturnType<typeof decodeSignedEntry>>): void {
    const e = d.entry;
    if (e.seq !== seq) add(seq, 'SEQ_MISMATCH', `entry stored at ${seq} says seq ${e.seq}`);
    if (e.version !== FORMAT_VERSION)
      add(seq, 'VERSION_UNKNOWN', `entry ${seq} has format version ${e.version}`);
    if (ledgerId && !bytesEqual(e.ledgerId, ledgerId))
      add(seq, 'LEDGER_ID_MISMATCH', `entry ${seq} belongs to another ledger`);
    if (prevHash && !bytesEqual(e.prev, prevHash))
      add(seq, 'CHAIN_BROKEN', `entry ${seq}: previous-entry hash does not match entry ${seq - 1}`);
    if (e.time < lastTime) add(seq, 'TIME_REGRESSION', `entry ${seq} is dated before entry ${seq - 1}`);
    lastTime = Math.max(lastTime, e.time);
    let publicKey: Uint8Array | undefined;
    if (e.kind === MANIFEST_KIND) {
      if (seq !== 0) add(seq, 'MANIFEST_DUPLICATE', `entry ${seq} is a second manifest`);
      else if (manifest) {
        const rk = manifest.rootKeys.find((k) => suite.keyId(k.publicKey) === e.signer);
        if (!rk) add(0, 'MANIFEST_SIGNER', 'the manifest is not signed by one of its root keys');
        publicKey = rk?.publicKey;
        if (ledgerId && !bytesEqual(e.ledgerId, ledgerId))
          add(0, 'LEDGER_ID_MISMATCH', 'ledger id is not the hash of the manifest');
        registry.apply(e);
      }
    } else {
      const problem = registry.checkSigner(e);
      if (problem) add(seq, problem.code, `entry ${seq}: ${problem.message}`);
      publicKey = registry.keys.get(e.signer)?.publicKey;
      const def = ctx.kinds.get(e.kind);
      const issues = e.kind.startsWith('core/')
        ? [...validateCoreBody(e.kind, e.body), ...registry.stateIssues(e)]
        : (def?.validate?.(e.body) ?? []);
      if (issues.length)
        add(
          seq,
          'BODY_INVALID',
          `entry ${seq} (${e.kind}): ${issues.map((i) => `${['body', ...i.path].join('.')}: ${i.code}`).join('; ')}`,
        );
      else if (e.kind.startsWith('core/')) registry.apply(e);
      let rows: Array<{ index: string; key: string }> = [];
      try {
        rows = indexRowsOf(e, def);
      } catch (err) {
        add(seq, 'BODY_INVALID', `entry ${seq}: ${(err as Error).message}`);
      }
      expectedRows += rows.length;
      for (const r of rows)
        rowBatch.push({ key: indexKey(r.index, r.key, seq), seq, label: `${r.index}/${r.key}` });
    }
    if (publicKey) {
      stats.signatures++;
      const hex = e.signer;
      let vetted = vettedKeys.get(hex);
      if (vetted === undefined || !pool) {
        // First signature by each key goes through the full suite (strict RFC 8032 key checks included).
        let ok = false;
        try {
          ok = suite.verify(publicKey, signingMessage(d.entryBytes), d.signature);
        } catch {
          ok = false;
        }
        if (!ok) add(seq, 'BAD_SIGNATURE', `entry ${seq}: signature does not verify`);
        if (vetted === undefined) {
          vetted = ok;
          vettedKeys.set(hex, ok);
        }
      } else {
        sigBatch.push({ publicKey, entryBytes: d.entryBytes, signature: d.signature, seq });
      }
    }
  }

  for (const c of lateCheckpoints) {
    const hs = c.size === 0 ? [] : await getNodes(rootPlan(c.size));
    if (hs.some((h) => !h)) continue; // missing nodes already reported
    const root = c.size === 0 ? suite.hash(new Uint8Array(0)) : foldNodes(suite.hash, hs as Uint8Array[]);
    if (!bytesEqual(root, c.rootHash))
      add(c.seq, 'CHECKPOINT_MISMATCH', `checkpoint entry ${c.seq} does not match the log at size ${c.size}`);
  }

  // ---- Stray tree nodes beyond the log (e.g. entries cut from the end without their nodes).
  for (let level = 0; level < 64; level++) {
    const count = Math.floor(size / 2 ** level);
    const extra = await db
      .keys({
        ...BIN,
        gte: nodeKey(level, count),
        lt: level < 63 ? nodeKey(level + 1, 0) : Uint8Array.of(P_NODE + 1),
        limit: 1,
      })
      .all();
    if (extra.length) {
      const k = extra[0] as Uint8Array;
      const idx = k.length === 10 ? readU64(k, 2) : -1;
      add(
        size,
        'TREE_NODE_EXTRA',
        `tree node (${level}, ${idx}) lies beyond the end of the log: entries after ${size - 1} were removed`,
      );
      break;
    }
    if (count === 0) break;
  }
  // ---- Keys outside every known keyspace.
  const known = [P_ENTRY, P_NODE, P_INDEX].sort((a, b) => a - b);
  let lo = 0;
  for (const p of [...known, 256]) {
    if (p > lo) {
      const stray = await db
        .keys({
          ...BIN,
          gte: Uint8Array.of(lo),
          lt: p < 256 ? Uint8Array.of(p) : Uint8Array.of(255, 255, 255, 255),
          limit: 1,
        })
        .all();
      if (stray.length) add(-1, 'STRAY_KEY', `unexpected key ${toHex(stray[0] as Uint8Array)}`);
    }
    lo = p + 1;
  }
  // ---- Index rows: any row no entry accounts for.
  let storedRows = 0;
  for await (const k of db.keys({ ...BIN, gte: Uint8Array.of(P_INDEX), lt: Uint8Array.of(P_INDEX + 1) })) {
    const p = parseIndexKey(k as Uint8Array);
    if (!p || p.seq >= start) storedRows++;
  }
  stats.indexRows = storedRows;
  if (storedRows !== expectedRows) await findExtraRows();

  async function findExtraRows(): Promise<void> {
    const dec = new TextDecoder();
    for await (const k of db.keys({ ...BIN, gte: Uint8Array.of(P_INDEX), lt: Uint8Array.of(P_INDEX + 1) })) {
      const p = parseIndexKey(k as Uint8Array);
      if (!p) {
        add(-1, 'INDEX_EXTRA', `malformed index row ${toHex(k as Uint8Array)}`);
        continue;
      }
      if (p.seq < start) continue;
      const e = p.seq < size ? await readEntry(p.seq).catch(() => undefined) : undefined;
      const index = dec.decode(p.index);
      const key = dec.decode(p.key);
      const rows = e ? safeRows(e.entry) : [];
      if (!rows.some((r) => r.index === index && r.key === key))
        add(p.seq, 'INDEX_EXTRA', `index row ${index}/${key} → ${p.seq} does not follow from entry ${p.seq}`);
    }
  }
  function safeRows(e: Entry) {
    try {
      return indexRowsOf(e, ctx.kinds.get(e.kind));
    } catch {
      return [];
    }
  }

  if (truncatedProblems)
    problems.push({
      seq: -1,
      code: 'TOO_MANY_PROBLEMS',
      message: `more than ${maxProblems} problems; the rest are not listed`,
    });
  problems.sort((a, b) => (a.seq === b.seq ? 0 : a.seq < 0 ? 1 : b.seq < 0 ? -1 : a.seq - b.seq));
  return { ok: problems.length === 0, size, root: range.root(), problems, stats };
}
